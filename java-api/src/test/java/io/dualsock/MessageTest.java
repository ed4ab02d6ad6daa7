package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.dualsock.SocketOptions.IpprotoIp;
import io.dualsock.SocketOptions.IpprotoIpv6;
import io.dualsock.SocketOptions.IpprotoUdp;
import io.dualsock.SocketOptions.SolSocket;
import io.dualsock.bindings.Constants;

/**
 * receiveMessage/sendMessage on loopback: every control message checked against what the sender
 * did (the address it sent to, the TOS byte it set, the segment size it used), on AF_INET,
 * AF_INET6 with IPV6_V6ONLY and dual-stack AF_INET6 sockets; truncation reported; bad input refused.
 */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class MessageTest {
    private static final int IN_PKTINFO_SPACE = Constants.i("CMSG_SPACE(sizeof(struct in_pktinfo))");

    /** The loopback interface's index, as the kernel lists it. */
    static int loIndex() throws IOException {
        return Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/ifindex")).trim());
    }

    private static ByteBuffer text(String s) {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        b.put(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).flip();
        return b;
    }

    private static String text(ByteBuffer b) {
        b.flip();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void ipv4DestinationTosAndTimestampAreWhatTheSenderUsed() throws IOException {
        try (NativeSocket server = NativeSocketTest.bound(AF_INET, SOCK_DGRAM, Inet4SockAddr.any(0));
             NativeSocket client = NativeSocketTest.bound(AF_INET, SOCK_DGRAM, Inet4SockAddr.loopback(0))) {
            server.setOption(IpprotoIp.IP_PKTINFO, true);
            server.setOption(IpprotoIp.IP_RECVTOS, true);
            server.setOption(SolSocket.SO_TIMESTAMPNS, true);
            int port = server.localAddress().port();
            ControlMessages out = ControlMessages.allocate(64);
            ControlMessages in = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
            SockAddrHolder from = new SockAddrHolder();
            SockAddrHolder dst = new SockAddrHolder();
            for (String to : new String[] {"127.0.0.1", "127.0.0.3"}) {
                int tos = to.endsWith("1") ? 0xb9 : 0x22; // DSCP EF + ECT(1); AF11-ish + ECT(0)
                long before = System.currentTimeMillis() * 1_000_000L;
                assertEquals(2, client.sendMessage(text("hi"), EncodedSockAddr.of(Inet4SockAddr.parse(to, port)),
                        out.clear().addIpTos(tos), 0));
                ByteBuffer data = ByteBuffer.allocateDirect(64);
                assertEquals(2, server.receiveMessage(data, from, in, 0));
                assertEquals("hi", text(data));
                assertEquals(client.localAddress(), from.sockAddr());
                assertFalse(in.isControlTruncated());
                assertFalse(in.isDataTruncated());
                assertTrue(in.hasIpPktinfo(), in.toString());
                assertEquals(to, in.ipPktinfoAddress().address());
                assertEquals(loIndex(), in.ipPktinfoIfindex());
                assertTrue(in.copyIpPktinfoAddress(dst));
                assertEquals(Inet4SockAddr.parse(to, 0), dst.sockAddr());
                assertFalse(in.hasIpv6Pktinfo());
                assertEquals(tos, in.ipTos());
                assertEquals(-1, in.ipv6Tclass());
                assertEquals(-1, in.groSegmentSize());
                // the kernel's receive time: between the send and now (wall clock, 1 s either side for clock steps)
                assertTrue(in.timestampNanos() >= before - 1_000_000_000L, in.toString());
                assertTrue(in.timestampNanos() <= System.currentTimeMillis() * 1_000_000L + 1_000_000_000L);
                assertEquals(3, in.count(), in.toString());
            }
        }
    }

    @Test
    void ipv6OnlySocketGetsIpv6PktinfoAndTrafficClass() throws IOException {
        try (NativeSocket server = NativeSocketTest.dualStack(SOCK_DGRAM, true);
             NativeSocket client = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
            server.setOption(IpprotoIpv6.IPV6_RECVPKTINFO, true);
            server.setOption(IpprotoIpv6.IPV6_RECVTCLASS, true);
            EncodedSockAddr to = EncodedSockAddr.of(Inet6SockAddr.loopback(server.localAddress().port()));
            ControlMessages in = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
            client.sendMessage(text("six"), to, ControlMessages.allocate(32).addIpv6Tclass(0x2a << 2 | 2), 0);
            ByteBuffer data = ByteBuffer.allocateDirect(64);
            assertEquals(3, server.receiveMessage(data, null, in, 0));
            assertEquals("::1", in.ipv6PktinfoAddress().address());
            assertEquals(loIndex(), in.ipv6PktinfoIfindex());
            assertEquals(0x2a << 2 | 2, in.ipv6Tclass());
            assertFalse(in.hasIpPktinfo());
            assertEquals(-1, in.ipTos());
        }
    }

    /**
     * The dual-stack facts: an IPv4 and an IPv6 datagram to an AF_INET6 socket on :: (V6ONLY
     * off) with IP_PKTINFO, IPV6_RECVPKTINFO or both on. IPv4: IP_PKTINFO (127.0.0.1) when
     * IP_PKTINFO is on, IPV6_PKTINFO (::ffff:127.0.0.1) when IPV6_RECVPKTINFO is on, both with
     * both; IPv6: IPV6_PKTINFO only. The IPv4 TOS byte comes as IP_TOS (IP_RECVTOS), never as
     * IPV6_TCLASS.
     */
    @ParameterizedTest(name = "IP_PKTINFO {0}, IPV6_RECVPKTINFO {1}")
    @CsvSource({"true,false", "false,true", "true,true"})
    void dualStackSocketReportsWhatTheOptionsAskFor(boolean ipPktinfo, boolean ipv6Pktinfo) throws IOException {
        try (NativeSocket server = NativeSocketTest.dualStack(SOCK_DGRAM, false);
             NativeSocket c4 = NativeSocket.open(AF_INET, SOCK_DGRAM);
             NativeSocket c6 = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
            server.setOption(IpprotoIp.IP_PKTINFO, ipPktinfo);
            server.setOption(IpprotoIpv6.IPV6_RECVPKTINFO, ipv6Pktinfo);
            server.setOption(IpprotoIp.IP_RECVTOS, true);
            server.setOption(IpprotoIpv6.IPV6_RECVTCLASS, true);
            int port = server.localAddress().port();
            ControlMessages in = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
            ByteBuffer data = ByteBuffer.allocateDirect(64);

            c4.sendMessage(text("4"), EncodedSockAddr.of(Inet4SockAddr.loopback(port)),
                    ControlMessages.allocate(32).addIpTos(0x10), 0);
            server.receiveMessage(data, null, in, 0);
            assertEquals(ipPktinfo, in.hasIpPktinfo(), in.toString());
            if (ipPktinfo) assertEquals("127.0.0.1", in.ipPktinfoAddress().address());
            assertEquals(ipv6Pktinfo, in.hasIpv6Pktinfo(), in.toString());
            if (ipv6Pktinfo) {
                assertEquals("::ffff:127.0.0.1", in.ipv6PktinfoAddress().address());
                assertEquals(loIndex(), in.ipv6PktinfoIfindex());
            }
            assertEquals(0x10, in.ipTos(), in.toString());
            assertEquals(-1, in.ipv6Tclass(), in.toString());

            data.clear();
            c6.sendMessage(text("6"), EncodedSockAddr.of(Inet6SockAddr.loopback(port)),
                    ControlMessages.allocate(32).addIpv6Tclass(0x20), 0);
            server.receiveMessage(data, null, in, 0);
            assertFalse(in.hasIpPktinfo(), in.toString());
            assertEquals(ipv6Pktinfo, in.hasIpv6Pktinfo(), in.toString());
            if (ipv6Pktinfo) assertEquals("::1", in.ipv6PktinfoAddress().address());
            assertEquals(0x20, in.ipv6Tclass(), in.toString());
            assertEquals(-1, in.ipTos(), in.toString());
        }
    }

    /**
     * Replying from the arrival address: the client is connected to 127.0.0.3, so it drops a
     * datagram from any other source. A reply sent without a source leaves from 127.0.0.1 (what
     * routing picks) and is dropped; one with addReplySource leaves from 127.0.0.3 and arrives.
     * Loopback delivers within sendmsg, so the dropped one can never arrive after the good one.
     */
    @ParameterizedTest(name = "server {0}, IPV6_RECVPKTINFO {1}")
    @CsvSource({"AF_INET,false", "AF_INET6,false", "AF_INET6,true"})
    void replyFromTheArrivalAddressReachesAConnectedClient(String family, boolean viaIpv6Pktinfo) throws IOException {
        boolean inet6 = family.equals("AF_INET6");
        try (NativeSocket server = inet6 ? NativeSocketTest.dualStack(SOCK_DGRAM, false)
                : NativeSocketTest.bound(AF_INET, SOCK_DGRAM, Inet4SockAddr.any(0));
             NativeSocket client = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            server.setOption(viaIpv6Pktinfo ? IpprotoIpv6.IPV6_RECVPKTINFO : IpprotoIp.IP_PKTINFO, true);
            int port = server.localAddress().port();
            client.connect(Inet4SockAddr.parse("127.0.0.3", port));
            client.send(text("ping"));
            ControlMessages in = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
            SockAddrHolder from = new SockAddrHolder();
            server.receiveMessage(ByteBuffer.allocateDirect(64), from, in, 0);
            assertEquals(viaIpv6Pktinfo ? "::ffff:127.0.0.3" : "127.0.0.3",
                    (viaIpv6Pktinfo ? in.ipv6PktinfoAddress() : in.ipPktinfoAddress()).address());

            server.sendMessage(text("wrong"), from, null, 0); // from 127.0.0.1: the client drops it
            ControlMessages reply = ControlMessages.allocate(64).addReplySource(in);
            assertEquals(viaIpv6Pktinfo ? "IPV6_PKTINFO" : "IP_PKTINFO", ControlMessages.cmsgName(reply.level(0), reply.type(0)));
            server.sendMessage(text("right"), from, reply, 0);
            ByteBuffer got = ByteBuffer.allocateDirect(64);
            client.recv(got);
            assertEquals("right", text(got));
        }
    }

    @Test
    void perDatagramTosFromADualStackSocketToAMappedAddressTakesIpTos() throws IOException {
        try (NativeSocket server = NativeSocketTest.bound(AF_INET, SOCK_DGRAM, Inet4SockAddr.loopback(0));
             NativeSocket client = NativeSocketTest.dualStack(SOCK_DGRAM, false)) {
            server.setOption(IpprotoIp.IP_RECVTOS, true);
            EncodedSockAddr to = EncodedSockAddr.of(Inet4SockAddr.loopback(server.localAddress().port()).toMapped());
            client.sendMessage(text("m"), to, ControlMessages.allocate(32).addIpTos(0x48), 0);
            ControlMessages in = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
            server.receiveMessage(ByteBuffer.allocateDirect(8), null, in, 0);
            assertEquals(0x48, in.ipTos());
            // IPV6_TCLASS would be ignored by the kernel for this IPv4 datagram: refused before the call
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.sendMessage(text("m"), to,
                    ControlMessages.allocate(32).addIpv6Tclass(0x48), 0));
            assertTrue(e.getMessage().contains("IPV6_TCLASS on an IPv4 datagram"), e.getMessage());
        }
    }

    @Test
    void groCoalescesASegmentedSendIntoOneReceive() throws IOException {
        try (NativeSocket server = NativeSocketTest.bound(AF_INET, SOCK_DGRAM, Inet4SockAddr.loopback(0));
             NativeSocket client = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            org.junit.jupiter.api.Assumptions.assumeTrue(DatagramBatch.segmentationSupported(client), "no UDP_SEGMENT here");
            server.setOption(IpprotoUdp.UDP_GRO, true);
            ByteBuffer big = ByteBuffer.allocateDirect(65536);
            for (int i = 0; i < 1000; i++) big.put(i, (byte) i);
            big.limit(1000);
            EncodedSockAddr to = EncodedSockAddr.of(server.localAddress());
            assertEquals(1000, client.sendMessage(big, to, ControlMessages.allocate(32).addUdpSegment(64), 0));
            ControlMessages in = ControlMessages.allocate(ControlMessages.RECEIVE_SPACE);
            big.clear();
            assertEquals(1000, server.receiveMessage(big, null, in, 0)); // 15 segments of 64 and one of 40, coalesced
            assertEquals(64, in.groSegmentSize(), in.toString());
            for (int i = 0; i < 1000; i++) assertEquals((byte) i, big.get(i));
        }
    }

    @Test
    void truncationIsReportedNeverDropped() throws IOException {
        try (NativeSocket server = NativeSocketTest.bound(AF_INET, SOCK_DGRAM, Inet4SockAddr.loopback(0));
             NativeSocket client = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            server.setOption(IpprotoIp.IP_PKTINFO, true);
            server.setOption(IpprotoIp.IP_RECVTOS, true);
            server.setOption(SolSocket.SO_TIMESTAMPNS, true);
            EncodedSockAddr to = EncodedSockAddr.of(server.localAddress());
            ByteBuffer data = ByteBuffer.allocateDirect(64);
            ControlMessages small = ControlMessages.allocate(IN_PKTINFO_SPACE);
            client.sendTo(text("0123456789"), to);
            data.limit(4);
            assertEquals(4, server.receiveMessage(data, null, small, 0));
            assertTrue(small.isDataTruncated());
            assertTrue(small.isControlTruncated(), small.toString());
            // what fitted is there: the kernel writes the timestamp first (sock_recv_cmsgs), then IP_PKTINFO, IP_TOS
            assertEquals(1, small.count(), small.toString());
            assertTrue(small.hasTimestamp(), small.toString());
            assertFalse(small.hasIpPktinfo());
            assertEquals(-1, small.ipTos());
            // room for nothing: only the flags
            client.sendTo(text("x"), to);
            data.clear();
            ControlMessages none = ControlMessages.allocate(0);
            assertEquals(1, server.receiveMessage(data, null, none, 0));
            assertTrue(none.isControlTruncated());
            assertEquals(0, none.count());
            IllegalStateException e = assertThrows(IllegalStateException.class, none::ipPktinfoIfindex);
            assertTrue(e.getMessage().contains("IP_PKTINFO"), e.getMessage());
        }
    }

    @Test
    void badInputIsRefusedClearly() throws IOException {
        try (NativeSocket s4 = NativeSocket.open(AF_INET, SOCK_DGRAM); NativeSocket s6 = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
            EncodedSockAddr v4 = EncodedSockAddr.of(Inet4SockAddr.loopback(9));
            EncodedSockAddr v6 = EncodedSockAddr.of(Inet6SockAddr.loopback(9));
            ByteBuffer b = text("x");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s4.sendMessage(b, v4, ControlMessages.allocate(32).addIpv6Tclass(1), 0));
            assertTrue(e.getMessage().contains("IPV6_TCLASS") && e.getMessage().contains("AF_INET socket"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> s4.sendMessage(b, v4, ControlMessages.allocate(64).addIpv6Pktinfo(Inet6SockAddr.loopback(0), 0), 0));
            assertTrue(e.getMessage().contains("IPV6_PKTINFO"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> s6.sendMessage(b, v6, ControlMessages.allocate(32).addIpTos(1), 0));
            assertTrue(e.getMessage().contains("IP_TOS on an IPv6 datagram"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s4.sendMessage(b, v6, null, 0));
            IllegalStateException full = assertThrows(IllegalStateException.class, () -> ControlMessages.allocate(8).addIpTos(1));
            assertTrue(full.getMessage().contains("IP_TOS needs"), full.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ControlMessages.allocate(-1));
            assertThrows(IllegalArgumentException.class, () -> ControlMessages.allocate(32).addIpTos(256));
            assertThrows(IllegalArgumentException.class, () -> ControlMessages.allocate(32).addUdpSegment(0));
            assertThrows(NullPointerException.class, () -> s4.receiveMessage(ByteBuffer.allocateDirect(8), null, null, 0));
            assertThrows(IllegalStateException.class, () -> ControlMessages.allocate(64).addReplySource(ControlMessages.allocate(8)));
            // an IPv6 option on an IPv4 socket: the kernel's answer, named
            NativeSocketException k = assertThrows(NativeSocketException.class,
                    () -> s4.setOption(IpprotoIpv6.IPV6_RECVPKTINFO, true));
            assertTrue(k.getMessage().contains("IPV6_RECVPKTINFO"), k.getMessage());
            // a control message the kernel refuses: its errno
            NativeSocketException bad = assertThrows(NativeSocketException.class, () -> s4.sendMessage(text("x"), v4,
                    ControlMessages.allocate(32).add(ControlMessages.IPPROTO_IP, ControlMessages.IP_TOS, new byte[3]), 0));
            assertTrue(bad.getMessage().startsWith("sendmsg failed: EINVAL"), bad.getMessage());
        }
    }

    @Test
    void heapBuffersWorkToo() throws IOException {
        try (NativeSocket server = NativeSocketTest.bound(AF_INET6, SOCK_DGRAM, Inet6SockAddr.loopback(0));
             NativeSocket client = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
            ByteBuffer out = ByteBuffer.wrap("heap".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(4, client.sendMessage(out, EncodedSockAddr.of(server.localAddress()), null, 0));
            assertEquals(4, out.position());
            ByteBuffer in = ByteBuffer.allocate(16);
            ControlMessages c = ControlMessages.allocate(0);
            assertEquals(4, server.receiveMessage(in, null, c, 0));
            assertEquals("heap", text(in));
            assertFalse(c.isControlTruncated());
        }
    }
}
