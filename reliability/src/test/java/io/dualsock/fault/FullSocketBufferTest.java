package io.dualsock.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.SocketOptions;

/**
 * A full socket buffer in non-blocking mode: send() fails with EAGAIN, reported as such (the
 * errno name, not a count of 0 nor a silent drop), the buffer's position does not move, and
 * the byte stream the receiver gets is exactly the bytes send() said it took: nothing lost,
 * nothing duplicated, across many fill-and-drain rounds with partial sends.
 */
class FullSocketBufferTest {
    private static final int ROUNDS = 20;

    @Test
    void tcpFullBufferGivesEagainAndLosesNothing() throws Exception {
        FaultSupport.resetRecord("FullSocketBufferTest");
        for (boolean v6 : new boolean[] {false, true}) {
            run(v6);
        }
    }

    private void run(boolean v6) throws Exception {
        try (NativeSocket listener = FaultSupport.tcpListener(v6, 1);
             NativeSocket sender = NativeSocket.open(v6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            sender.setOption(SocketOptions.SolSocket.SO_SNDBUF, 4096);
            sender.connect(listener.localAddress());
            try (NativeSocket receiver = listener.accept().socket()) {
                sender.setBlocking(false);
                receiver.setBlocking(false);
                ByteBuffer out = ByteBuffer.allocateDirect(65521); // a prime: sends end mid-pattern
                ByteBuffer in = ByteBuffer.allocateDirect(3001);
                long sent = 0, received = 0, eagains = 0, partial = 0;
                for (int round = 0; round < ROUNDS; round++) {
                    // fill until the kernel refuses
                    for (;;) {
                        // the stream is pattern(offset): what send() did not take is offered again
                        out.clear();
                        for (int i = 0; i < out.capacity(); i++) out.put(i, pattern(sent + i));
                        try {
                            int n = sender.send(out);
                            assertTrue(n > 0, "send returned " + n);
                            assertEquals(n, out.position(), "position must advance by the count sent");
                            if (out.hasRemaining()) partial++;
                            sent += n;
                        } catch (NativeSocketException e) {
                            assertEquals("EAGAIN", e.errnoName(), e.getMessage());
                            assertEquals("send", e.call());
                            assertTrue(e.getMessage().startsWith("send failed: EAGAIN ("), e.getMessage());
                            assertEquals(0, out.position(), "position moved on EAGAIN: data would be lost");
                            eagains++;
                            break;
                        }
                    }
                    // drain all of it (a partial drain can leave the window closed until TCP's
                    // persist timer fires, which only makes the test slow)
                    while (received < sent) {
                        in.clear();
                        int n;
                        try {
                            n = receiver.recv(in);
                        } catch (NativeSocketException e) {
                            assertEquals("EAGAIN", e.errnoName(), e.getMessage());
                            receiver.poll(NativeSocket.POLLIN, 1000);
                            continue;
                        }
                        assertTrue(n > 0, "unexpected end of stream");
                        for (int i = 0; i < n; i++) {
                            assertEquals(pattern(received + i), in.get(i), "byte " + (received + i) + " lost or duplicated");
                        }
                        received += n;
                    }
                }
                // an empty non-blocking receive is EAGAIN too
                NativeSocketException e = assertThrows(NativeSocketException.class, () -> receiver.recv(in.clear()));
                assertEquals("EAGAIN", e.errnoName());
                assertEquals(sent, received);
                assertTrue(eagains >= ROUNDS, "every round ended in EAGAIN");
                String tag = v6 ? "tcp6" : "tcp4";
                FaultSupport.record("FullSocketBufferTest", tag + "_bytes_sent_and_received", sent);
                FaultSupport.record("FullSocketBufferTest", tag + "_eagain_reported", eagains);
                FaultSupport.record("FullSocketBufferTest", tag + "_partial_sends", partial);
            }
        }
    }

    private static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 8) * 7 + (i >>> 16));
    }
}
