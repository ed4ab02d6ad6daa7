package io.dualsock.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.SocketOptions;

/**
 * The peer resetting mid-stream (SO_LINGER 0 then close: an RST), while data flows: the next
 * recv reports ECONNRESET, sends report ECONNRESET or EPIPE, always as NativeSocketException
 * naming the call, and no SIGPIPE is raised (the shim sends with MSG_NOSIGNAL; a Java handler
 * for SIGPIPE counts any that would arrive).
 */
class PeerResetTest {

    @Test
    void resetMidStreamIsReportedNotFatal() throws Exception {
        FaultSupport.resetRecord("PeerResetTest");
        AtomicInteger sigpipes = new AtomicInteger();
        sun.misc.SignalHandler previous;
        try {
            previous = sun.misc.Signal.handle(new sun.misc.Signal("PIPE"), s -> sigpipes.incrementAndGet());
        } catch (IllegalArgumentException e) {
            // the VM keeps SIGPIPE to itself: a zero count would prove nothing (the C tests check MSG_NOSIGNAL)
            throw io.dualsock.testsupport.Prerequisite.missing("a Java handler for SIGPIPE (" + e.getMessage() + ")");
        }
        try {
            // Control: a SIGPIPE sent to this thread reaches the handler, so the count below can see one.
            int pipe = jnr.constants.platform.Signal.SIGPIPE.intValue();
            assertEquals(0, FaultSupport.LIBC.tgkill(FaultSupport.POSIX.getpid(), FaultSupport.LIBC.gettid(), pipe));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (sigpipes.get() == 0 && System.nanoTime() < deadline) Thread.sleep(1);
            assertEquals(1, sigpipes.get(), "the control SIGPIPE never reached the handler");
            sigpipes.set(0);
            for (boolean v6 : new boolean[] {false, true}) {
                for (int round = 0; round < 50; round++) resetOnce(v6, round);
            }
        } finally {
            if (previous != null) sun.misc.Signal.handle(new sun.misc.Signal("PIPE"), previous);
        }
        assertEquals(0, sigpipes.get(), "SIGPIPE raised: a send without MSG_NOSIGNAL");
        FaultSupport.record("PeerResetTest", "resets_injected", 100);
        FaultSupport.record("PeerResetTest", "sigpipe_observed", sigpipes.get() + " (a control SIGPIPE was seen)");
    }

    private static void resetOnce(boolean v6, int round) throws Exception {
        try (FaultSupport.TcpPair pair = FaultSupport.tcpPair(v6)) {
            NativeSocket c = pair.client();
            NativeSocket peer = pair.server();
            ByteBuffer chunk = ByteBuffer.allocateDirect(1000);
            // data in flight both ways
            for (int i = 0; i < 10; i++) {
                c.send(chunk.clear());
                peer.send(chunk.clear());
            }
            byte[] b = new byte[20_000];
            int got = 0;
            while (got < 10_000) got += peer.recv(b, got, b.length - got);
            peer.setOption(SocketOptions.SolSocket.SO_LINGER, new SocketOptions.Linger(true, 0));
            peer.close(); // RST
            // what the peer sent before resetting may still be readable: read until the reset shows
            NativeSocketException e = null;
            for (int i = 0; i < 100 && e == null; i++) {
                try {
                    int n = c.recv(b);
                    if (n == 0) throw new AssertionError("orderly end of stream instead of a reset");
                } catch (NativeSocketException x) {
                    e = x;
                }
            }
            assertTrue(e != null && e.errnoName().equals("ECONNRESET"), "recv after RST: " + e);
            assertEquals("recv", e.call());
            assertTrue(e.getMessage().startsWith("recv failed: ECONNRESET ("), e.getMessage());
            // every later send fails the same clear way, never kills the process
            for (int i = 0; i < 3; i++) {
                NativeSocketException s = assertThrows(NativeSocketException.class, () -> c.send(chunk.clear()));
                assertTrue(Set.of("EPIPE", "ECONNRESET").contains(s.errnoName()), s.getMessage());
                assertEquals("send", s.call());
            }
            assertTrue(c.isOpen());
        }
    }
}
