package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.dualsock.SocketOptions.IpprotoIp;
import io.dualsock.SocketOptions.IpprotoUdp;

/** DatagramBatch with per-slot control messages (recvmmsg/sendmmsg) and receiveCoalesced with UDP_GRO, on loopback. */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class DatagramBatchControlTest {

    private static NativeSocket server() throws IOException {
        return NativeSocketTest.bound(AF_INET, SOCK_DGRAM, Inet4SockAddr.any(0));
    }

    @Test
    void eachSlotGetsItsOwnDestinationAndTos() throws IOException {
        try (NativeSocket server = server(); NativeSocket client = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            server.setOption(IpprotoIp.IP_PKTINFO, true);
            server.setOption(IpprotoIp.IP_RECVTOS, true);
            int port = server.localAddress().port();
            DatagramBatch out = DatagramBatch.allocate(3, 16, 64);
            String[] to = {"127.0.0.1", "127.0.0.2", "127.0.0.4"};
            for (int i = 0; i < 3; i++) {
                out.data(i).put(0, (byte) i);
                out.setLength(i, 1).setDestination(i, Inet4SockAddr.parse(to[i], port));
                out.control(i).clear().addIpTos(4 * (i + 1));
            }
            assertEquals(3, out.send(client));
            DatagramBatch in = DatagramBatch.allocate(4, 16, ControlMessages.RECEIVE_SPACE);
            int got = 0;
            while (got < 3) got += in.receive(server, got, 4 - got, DatagramBatch.MSG_WAITFORONE);
            for (int i = 0; i < 3; i++) {
                ControlMessages c = in.control(i);
                assertEquals(i, in.data(i).get(0));
                assertEquals(to[i], c.ipPktinfoAddress().address(), c.toString());
                assertEquals(MessageTest.loIndex(), c.ipPktinfoIfindex());
                assertEquals(4 * (i + 1), c.ipTos());
                assertFalse(c.isControlTruncated());
            }
        }
    }

    @Test
    void aSlotTooSmallForTheControlMessagesIsReported() throws IOException {
        try (NativeSocket server = server(); NativeSocket client = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            server.setOption(IpprotoIp.IP_PKTINFO, true);
            client.sendTo(ByteBuffer.allocateDirect(1), Inet4SockAddr.loopback(server.localAddress().port()));
            DatagramBatch in = DatagramBatch.allocate(1, 16, 8);
            assertEquals(1, in.receive(server));
            assertTrue(in.control(0).isControlTruncated());
            assertFalse(in.control(0).hasIpPktinfo());
        }
    }

    @Test
    void badShapesAndMissingRoomAreRefused() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> DatagramBatch.allocate(2, 16, -1));
        assertThrows(IllegalArgumentException.class, () -> DatagramBatch.allocate(2, 16, DatagramBatch.MAX_CONTROL + 1));
        assertThrows(IllegalArgumentException.class, () -> DatagramBatch.allocate(0, 16, 64));
        DatagramBatch plain = DatagramBatch.allocate(2, 16);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plain.control(0));
        assertTrue(e.getMessage().contains("no room for control messages"), e.getMessage());
        assertEquals(0, DatagramBatch.allocate(2, 16, 0).controlSize());
        DatagramBatch tiny = DatagramBatch.allocate(2, 16, 8);
        try (NativeSocket s = server()) {
            IllegalStateException g = assertThrows(IllegalStateException.class, () -> tiny.receiveCoalesced(s, 0, 2, 0));
            assertTrue(g.getMessage().contains("UDP_GRO"), g.getMessage());
        }
        DatagramBatch b = DatagramBatch.allocate(1, 16, 16);
        assertThrows(IllegalStateException.class, () -> b.control(0).addIpv6Pktinfo(Inet6SockAddr.loopback(0), 0));
        // a message the kernel would ignore for the slot's datagram: refused before sendmmsg
        try (NativeSocket s6 = NativeSocket.open(NativeSocket.AF_INET6, SOCK_DGRAM)) {
            DatagramBatch w = DatagramBatch.allocate(2, 16, 64);
            w.setLength(0, 1).setDestination(0, Inet6SockAddr.loopback(9));
            w.setLength(1, 1).setDestination(1, Inet4SockAddr.loopback(9).toMapped());
            w.control(1).addIpTos(8); // fine: IP_TOS on an IPv4 datagram to ::ffff:127.0.0.1
            w.control(0).addIpTos(8); // ignored on an IPv6 datagram
            IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> w.send(s6));
            assertTrue(f.getMessage().contains("slot 0: IP_TOS on an IPv6 datagram"), f.getMessage());
        }
    }

    /**
     * Two UDP_SEGMENT sends (16 × 64 bytes; 10 × 64 + 10 bytes) to a socket with UDP_GRO on:
     * the batch receives them as coalesced slots whose segment sizes and counts add up to what
     * was sent; without UDP_GRO the same sends arrive as 27 separate datagrams.
     */
    @Test
    void receiveCoalescedCountsWhatTheSegmentedSendsCarried() throws IOException {
        try (NativeSocket gro = NativeSocketTest.bound(AF_INET, SOCK_DGRAM, Inet4SockAddr.loopback(0));
             NativeSocket plain = NativeSocketTest.bound(AF_INET, SOCK_DGRAM, Inet4SockAddr.loopback(0));
             NativeSocket client = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            assumeTrue(DatagramBatch.segmentationSupported(client), "no UDP_SEGMENT on this kernel");
            gro.setOption(IpprotoUdp.UDP_GRO, true);
            ByteBuffer src = ByteBuffer.allocateDirect(2048);
            int[] sizes = {16 * 64, 10 * 64 + 10};
            for (NativeSocket to : new NativeSocket[] {gro, plain}) {
                EncodedSockAddr dst = EncodedSockAddr.of(to.localAddress());
                for (int size : sizes) {
                    src.clear().limit(size);
                    assertEquals(size, DatagramBatch.sendSegmented(client, src, 64, dst));
                }
            }
            DatagramBatch in = DatagramBatch.allocate(8, 65535, ControlMessages.RECEIVE_SPACE);
            int datagrams = 0;
            int bytes = 0;
            int calls = 0;
            while (datagrams < 27) {
                datagrams += in.receiveCoalesced(gro, 0, 8, DatagramBatch.MSG_WAITFORONE);
                calls++;
                for (int i = 0; i < in.receivedSlots(); i++) {
                    bytes += in.length(i);
                    assertEquals(64, in.segmentSize(i), in.control(i).toString());
                    assertEquals(64, in.control(i).groSegmentSize());
                    assertFalse(in.isTruncated(i));
                }
            }
            assertEquals(27, datagrams);
            assertEquals(sizes[0] + sizes[1], bytes);
            assertTrue(calls <= 2, calls + " recvmmsg calls for two coalesced sends");
            // the same sends to a socket without UDP_GRO: one datagram per segment
            DatagramBatch each = DatagramBatch.allocate(32, 2048);
            int n = 0;
            while (n < 27) n += each.receive(plain, n, 32 - n, DatagramBatch.MSG_WAITFORONE);
            assertEquals(27, n);
            assertEquals(10, each.length(26));
        }
    }
}
