package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The README's Java example, compiled and run, so that the README cannot rot. */
class ReadmeExampleTest {

    @Test
    void resolverExample() throws Exception {
        List<AddrInfo> res = Resolver.getaddrinfo("198.51.100.7", "80",
                Hints.builder().inet6().stream().flags(AiFlag.V4MAPPED).build());
        Inet6SockAddr a = (Inet6SockAddr) res.get(0).address();
        assertEquals("[::ffff:198.51.100.7]:80", a.toString());
        assertTrue(a.isV4Mapped());
        assertEquals("198.51.100.7:80", a.v4().toString());
    }

    @Test
    void dualStackServerExample() throws Exception {
        try (NativeSocket server = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_STREAM)) {
            server.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, false);
            server.bind(Inet6SockAddr.any(0));
            server.listen(16);
            int port = server.localAddress().port();
            try (NativeSocket client = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
                client.connect(Inet4SockAddr.loopback(port));
                NativeSocket.Accepted acc = server.accept();
                Inet6SockAddr peer = (Inet6SockAddr) acc.peer();
                assertTrue(peer.isV4Mapped());
                assertEquals(client.localAddress(), peer.v4());
                acc.socket().close();
            }
        }
    }

    @Test
    void connectHelperExample() throws Exception {
        try (NativeSocket server = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            server.bind(Inet4SockAddr.loopback(0));
            server.listen(1);
            String port = Integer.toString(server.localAddress().port());
            try (NativeSocket c = NativeSocket.connect("127.0.0.1", port,
                    Hints.builder().stream().flags(AiFlag.NUMERICHOST).build(), Duration.ofSeconds(3))) {
                assertEquals("127.0.0.1:" + port, c.peerAddress().toString());
            }
        }
    }

    @Test
    void hotPathExample() throws Exception {
        try (NativeSocket rx = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
             NativeSocket udp = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM)) {
            rx.bind(Inet4SockAddr.loopback(0));
            EncodedSockAddr dst = EncodedSockAddr.of(SockAddr.parse("::ffff:127.0.0.1", rx.localAddress().port()));
            SockAddrHolder src = new SockAddrHolder();
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            buf.put((byte) 42).flip();
            assertEquals(1, udp.sendTo(buf, dst));
            buf.clear();
            assertEquals(1, rx.recvFrom(buf, src));
            assertEquals(udp.localAddress().port(), src.port());
            assertTrue(!src.isV4Mapped()); // an AF_INET receiver sees the plain IPv4 source
        }
    }
}
