package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static io.dualsock.NativeSocket.SOCK_STREAM;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.dualsock.SocketOptions.IpprotoIpv6;

/** NativeSocket on loopback: dual-stack behaviour, family checks, buffers (timeouts and modes: NativeSocketModesTest). */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class NativeSocketTest {

    // ---- shared helpers (also used by the other NativeSocket*/SocketOption* tests) ----

    static final Inet4SockAddr LO4 = Inet4SockAddr.loopback(0);
    static final Inet6SockAddr LO6 = Inet6SockAddr.loopback(0);
    static final Inet6SockAddr MAPPED_LO = Inet4SockAddr.loopback(0).toMapped();

    /**
     * Fails a test class that leaves a socket descriptor open. /proc/self/fd is read before and
     * after the class; only descriptors that point at sockets ("socket:[inode]") are compared,
     * because the JVM opens and closes jars, pipes and epoll descriptors of its own meanwhile.
     * Those others are printed, not judged. The tests use no JDK networking, so every socket
     * that appears is one of ours, with one JDK exception made to appear beforehand: NIO's
     * FileDispatcherImpl keeps a socketpair for its whole life (its "pre-close" descriptor),
     * created on the first FileChannel, so one is opened here before the first snapshot.
     */
    static final class FdLeakCheck implements BeforeAllCallback, AfterAllCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);

        @Override
        public void beforeAll(ExtensionContext c) throws IOException {
            FileChannel.open(Path.of("/proc/self/stat")).close();
            c.getStore(NS).put("before", openDescriptors());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void afterAll(ExtensionContext c) throws IOException {
            Map<Integer, String> before = c.getStore(NS).get("before", Map.class);
            Map<Integer, String> after = openDescriptors();
            List<String> leakedSockets = new ArrayList<>();
            List<String> otherNew = new ArrayList<>();
            after.forEach((fd, target) -> {
                if (target.equals(before.get(fd))) return;
                if (target.startsWith("socket:")) leakedSockets.add(fd + " -> " + target + " " + describeSocket(target));
                else otherNew.add(fd + " -> " + target);
            });
            System.out.printf("[fd check] %s: %d descriptors before, %d after; new non-socket (JVM): %s%n",
                    c.getDisplayName(), before.size(), after.size(), otherNew);
            assertTrue(leakedSockets.isEmpty(), "socket descriptors left open by " + c.getDisplayName() + ": " + leakedSockets);
        }
    }

    /** The /proc/net line of a socket inode, to tell what a leaked socket is. */
    static String describeSocket(String target) {
        String inode = target.substring("socket:[".length(), target.length() - 1);
        for (String table : List.of("tcp", "tcp6", "udp", "udp6", "unix", "netlink", "raw", "raw6")) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/net/" + table))) {
                    if (List.of(line.trim().split("\\s+")).contains(inode)) return "(" + table + ": " + line.trim() + ")";
                }
            } catch (IOException e) {
                // table absent on this kernel
            }
        }
        return "(not in /proc/net)";
    }

    static Map<Integer, String> openDescriptors() throws IOException {
        Map<Integer, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    m.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (IOException e) {
                    // the descriptor used to list the directory itself is gone by now
                }
            }
        }
        return m;
    }

    /** "socket:[inode]" for an open descriptor, null when it is not open. */
    static String fdTarget(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    static NativeSocket bound(int family, int type, SockAddr at) throws IOException {
        NativeSocket s = NativeSocket.open(family, type);
        try {
            s.bind(at);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** AF_INET6 socket on :: with IPV6_V6ONLY as given. */
    static NativeSocket dualStack(int type, boolean v6only) throws IOException {
        NativeSocket s = NativeSocket.open(AF_INET6, type);
        try {
            s.setOption(IpprotoIpv6.IPV6_V6ONLY, v6only);
            s.bind(Inet6SockAddr.any(0));
            if (type == SOCK_STREAM) s.listen(16);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    static int port(NativeSocket s) throws IOException {
        return s.localAddress().port();
    }

    static ByteBuffer direct(String text) {
        byte[] b = text.getBytes(US_ASCII);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    static String text(ByteBuffer b) {
        ByteBuffer d = b.duplicate().flip();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return new String(out, US_ASCII);
    }

    // ---- the dual-stack matrix on loopback ----

    @Test
    void ipv4ClientToDualStackTcpServerIsSeenMapped() throws IOException {
        try (NativeSocket server = dualStack(SOCK_STREAM, false);
             NativeSocket client = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            client.connect(Inet4SockAddr.loopback(port(server)));
            NativeSocket.Accepted a = server.accept();
            try (NativeSocket conn = a.socket()) {
                Inet6SockAddr peer = assertInstanceOf(Inet6SockAddr.class, a.peer());
                assertTrue(peer.isV4Mapped());
                assertEquals("::ffff:127.0.0.1", peer.address());
                assertEquals(port(client), peer.port());
                assertEquals(AF_INET6, conn.family());
                assertEquals(SOCK_STREAM, conn.type());
                assertEquals("::ffff:127.0.0.1", conn.localAddress().address());
                assertEquals(peer, conn.peerAddress());
                // the client's own view is plain IPv4
                assertEquals(Inet4SockAddr.loopback(port(server)), client.peerAddress());

                assertEquals(5, client.send(direct("hello")));
                ByteBuffer in = ByteBuffer.allocate(16);
                assertEquals(5, conn.recv(in));
                assertEquals("hello", text(in));
            }
        }
    }

    @Test
    void ipv4ClientToDualStackUdpServerIsSeenMapped() throws IOException {
        try (NativeSocket server = dualStack(SOCK_DGRAM, false);
             NativeSocket client = bound(AF_INET, SOCK_DGRAM, LO4)) {
            client.sendTo(direct("ping"), Inet4SockAddr.loopback(port(server)));
            ByteBuffer in = ByteBuffer.allocateDirect(64);
            SockAddr from = server.recvFrom(in);
            Inet6SockAddr src = assertInstanceOf(Inet6SockAddr.class, from);
            assertEquals("::ffff:127.0.0.1", src.address());
            assertEquals(port(client), src.port());
            assertEquals("ping", text(in));

            // holder path: reply to the mapped source as the kernel gave it
            SockAddrHolder h = new SockAddrHolder();
            client.sendTo(direct("again"), Inet4SockAddr.loopback(port(server)));
            in.clear();
            assertEquals(5, server.recvFrom(in, h));
            assertTrue(h.isV4Mapped());
            assertEquals(port(client), h.port());
            assertEquals(AF_INET6, h.family());
            assertEquals(src, h.sockAddr());
            assertTrue(h.matches(EncodedSockAddr.of(src)));
            byte[] addr = new byte[16];
            assertEquals(16, h.copyAddressBytes(addr));
            assertArrayEquals(src.addressBytes(), addr);
            assertEquals(4, server.sendTo(direct("pong"), h));
            ByteBuffer reply = ByteBuffer.allocate(16);
            assertEquals(Inet4SockAddr.loopback(port(server)), client.recvFrom(reply));
            assertEquals("pong", text(reply));
        }
    }

    @Test
    void ipv6ClientToMappedAddressOfInetTcpServer() throws IOException {
        try (NativeSocket server = bound(AF_INET, SOCK_STREAM, LO4);
             NativeSocket client = NativeSocket.open(AF_INET6, SOCK_STREAM)) {
            server.listen(4);
            Inet6SockAddr target = Inet4SockAddr.loopback(port(server)).toMapped();
            client.connect(target);
            NativeSocket.Accepted a = server.accept();
            try (NativeSocket conn = a.socket()) {
                Inet4SockAddr peer = assertInstanceOf(Inet4SockAddr.class, a.peer());
                assertEquals("127.0.0.1", peer.address());
                Inet6SockAddr cp = assertInstanceOf(Inet6SockAddr.class, client.peerAddress());
                assertTrue(cp.isV4Mapped());
                assertEquals(target, cp);
                assertEquals(peer.port(), client.localAddress().port());
                assertTrue(((Inet6SockAddr) client.localAddress()).isV4Mapped());
                assertEquals(Inet4SockAddr.loopback(port(server)), conn.localAddress()); // plain IPv4 on the server
            }
        }
    }

    @Test
    void ipv6ClientToMappedAddressOfInetUdpServer() throws IOException {
        try (NativeSocket server = bound(AF_INET, SOCK_DGRAM, LO4);
             NativeSocket client = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
            Inet6SockAddr target = Inet4SockAddr.loopback(port(server)).toMapped();
            client.sendTo("mapped".getBytes(US_ASCII), target);
            byte[] buf = new byte[32];
            NativeSocket.ReceivedFrom r = server.recvFrom(buf);
            assertEquals(6, r.length());
            assertEquals(Inet4SockAddr.loopback(port(client)), r.source());
            server.sendTo("back".getBytes(US_ASCII), r.source());
            NativeSocket.ReceivedFrom back = client.recvFrom(buf, 0, buf.length);
            assertEquals(target, back.source());
        }
    }

    @Test
    void v6onlyRefusesIpv4TcpClient() throws IOException {
        try (NativeSocket server = dualStack(SOCK_STREAM, true);
             NativeSocket client = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            NativeSocketException e = assertThrows(NativeSocketException.class,
                    () -> client.connect(Inet4SockAddr.loopback(port(server))));
            assertEquals("ECONNREFUSED", e.errnoName());
            assertEquals("connect", e.call());
            assertTrue(e.getMessage().startsWith("connect failed: ECONNREFUSED (" + e.errno() + "): Connection refused"),
                    e.getMessage());
            // an IPv6 client gets through, so the refusal was about the family
            try (NativeSocket c6 = NativeSocket.open(AF_INET6, SOCK_STREAM)) {
                c6.connect(Inet6SockAddr.loopback(port(server)));
                server.accept().socket().close();
            }
        }
    }

    @Test
    void v6onlyDropsIpv4Datagram() throws IOException {
        try (NativeSocket server = dualStack(SOCK_DGRAM, true);
             NativeSocket c4 = NativeSocket.open(AF_INET, SOCK_DGRAM);
             NativeSocket c6 = bound(AF_INET6, SOCK_DGRAM, LO6)) {
            assertEquals(4, c4.sendTo(direct("lost"), Inet4SockAddr.loopback(port(server))));
            assertEquals(0, server.poll(NativeSocket.POLLIN, 200), "an IPv4 datagram reached a V6ONLY socket");
            c6.sendTo(direct("kept"), Inet6SockAddr.loopback(port(server)));
            ByteBuffer in = ByteBuffer.allocate(8);
            assertEquals(Inet6SockAddr.loopback(port(c6)), server.recvFrom(in));
            assertEquals("kept", text(in)); // the first datagram is not queued behind it either
        }
    }

    // ---- family mismatches: refused in Java ----

    @Test
    void ipv6AddressOnInetSocketIsRefused() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            Inet6SockAddr a = Inet6SockAddr.loopback(9);
            for (var call : List.<ThrowingCall>of(() -> s.bind(a), () -> s.connect(a),
                    () -> s.connect(a, Duration.ofSeconds(1)), () -> s.sendTo(direct("x"), a),
                    () -> s.sendTo(direct("x"), EncodedSockAddr.of(a)), () -> s.sendTo(new byte[1], a))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
                assertTrue(e.getMessage().contains("sockaddr_in has room for 4 address bytes, not 16"), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.connect(MAPPED_LO.withPort(9)));
            assertTrue(e.getMessage().contains(".v4() is 127.0.0.1:9"), e.getMessage());
            assertEquals(Inet4SockAddr.any(0), s.localAddress()); // nothing reached the kernel: still unbound
        }
    }

    @Test
    void ipv4AddressOnInet6SocketIsRefusedNotMapped() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET6, SOCK_DGRAM)) {
            Inet4SockAddr a = Inet4SockAddr.loopback(9);
            for (var call : List.<ThrowingCall>of(() -> s.bind(a), () -> s.connect(a),
                    () -> s.sendTo(direct("x"), a), () -> s.sendTo(direct("x"), EncodedSockAddr.of(a)),
                    () -> s.sendTo(new byte[1], 0, 1, a))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
                assertTrue(e.getMessage().contains(".toMapped()"), e.getMessage());
                assertTrue(e.getMessage().contains("[::ffff:127.0.0.1]:9"), e.getMessage());
            }
            assertEquals(Inet6SockAddr.any(0), s.localAddress());
        }
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void holderOfOtherFamilyOrEmptyIsRefusedAsDestination() throws IOException {
        try (NativeSocket s4 = bound(AF_INET, SOCK_DGRAM, LO4);
             NativeSocket s6 = bound(AF_INET6, SOCK_DGRAM, LO6)) {
            SockAddrHolder h = new SockAddrHolder();
            assertTrue(h.isEmpty());
            assertThrows(IllegalArgumentException.class, () -> s4.sendTo(direct("x"), h));
            assertThrows(IllegalStateException.class, h::port);
            assertNull(h.sockAddr());
            assertEquals("(empty)", h.toString());
            s6.sendTo(direct("x"), Inet6SockAddr.loopback(port(s6)));
            s6.recvFrom(ByteBuffer.allocate(4), h);
            assertEquals(Inet6SockAddr.loopback(port(s6)), h.sockAddr());
            assertFalse(h.isV4Mapped());
            assertThrows(IllegalArgumentException.class, () -> s4.sendTo(direct("x"), h));
            h.clear();
            assertTrue(h.isEmpty());
        }
    }

    // ---- buffers ----

    @Test
    void positionAndLimitAreHonouredAndAdvanced() throws IOException {
        try (NativeSocket a = bound(AF_INET, SOCK_DGRAM, LO4); NativeSocket b = bound(AF_INET, SOCK_DGRAM, LO4)) {
            a.connect(b.localAddress());
            b.connect(a.localAddress());
            for (boolean directOut : new boolean[] {true, false}) {
                for (boolean directIn : new boolean[] {true, false}) {
                    ByteBuffer out = directOut ? ByteBuffer.allocateDirect(32) : ByteBuffer.allocate(32);
                    out.put("xxxHELLOyyy".getBytes(US_ASCII)).position(3).limit(8);
                    assertEquals(5, a.send(out));
                    assertEquals(8, out.position());
                    assertEquals(8, out.limit());

                    ByteBuffer in = directIn ? ByteBuffer.allocateDirect(32) : ByteBuffer.allocate(32);
                    in.position(7).limit(10); // room for 3: the datagram is truncated, as in C
                    assertEquals(3, b.recv(in));
                    assertEquals(10, in.position());
                    byte[] got = new byte[3];
                    in.get(7, got);
                    assertEquals("HEL", new String(got, US_ASCII));
                    assertEquals(0, in.get(6)); // nothing written before the position
                }
            }
        }
    }

    @Test
    void byteArraysWithOffsets() throws IOException {
        try (NativeSocket a = bound(AF_INET, SOCK_DGRAM, LO4); NativeSocket b = bound(AF_INET, SOCK_DGRAM, LO4)) {
            byte[] out = "..data..".getBytes(US_ASCII);
            assertEquals(4, a.sendTo(out, 2, 4, b.localAddress()));
            byte[] in = new byte[10];
            NativeSocket.ReceivedFrom r = b.recvFrom(in, 3, 5);
            assertEquals(4, r.length());
            assertEquals(a.localAddress(), r.source());
            assertEquals("data", new String(in, 3, 4, US_ASCII));
            assertEquals(0, in[2]);
            assertEquals(0, in[7]);

            assertThrows(IndexOutOfBoundsException.class, () -> a.sendTo(out, -1, 2, b.localAddress()));
            assertThrows(IndexOutOfBoundsException.class, () -> a.sendTo(out, 5, 4, b.localAddress()));
            assertThrows(IndexOutOfBoundsException.class, () -> b.recvFrom(in, 8, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> b.recv(in, 0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> a.send(out, Integer.MAX_VALUE, 1));
        }
    }

    @Test
    void nullAndReadOnlyBuffersAreRefused() throws IOException {
        try (NativeSocket s = bound(AF_INET, SOCK_DGRAM, LO4)) {
            SockAddrHolder h = new SockAddrHolder();
            assertThrows(NullPointerException.class, () -> s.send((ByteBuffer) null));
            assertThrows(NullPointerException.class, () -> s.recv((ByteBuffer) null));
            assertThrows(NullPointerException.class, () -> s.send((byte[]) null));
            assertThrows(NullPointerException.class, () -> s.recvFrom((byte[]) null));
            assertThrows(NullPointerException.class, () -> s.recvFrom((ByteBuffer) null));
            assertThrows(NullPointerException.class, () -> s.recvFrom(ByteBuffer.allocate(1), null));
            assertThrows(NullPointerException.class, () -> s.sendTo(direct("x"), (SockAddr) null));
            assertThrows(NullPointerException.class, () -> s.sendTo(direct("x"), (EncodedSockAddr) null));
            assertThrows(NullPointerException.class, () -> s.bind(null));
            for (ByteBuffer ro : List.of(ByteBuffer.allocate(8).asReadOnlyBuffer(), ByteBuffer.allocateDirect(8).asReadOnlyBuffer())) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.recv(ro));
                assertTrue(e.getMessage().contains("read-only"));
                assertThrows(IllegalArgumentException.class, () -> s.recvFrom(ro));
                assertThrows(IllegalArgumentException.class, () -> s.recvFrom(ro, h));
            }
            // a read-only buffer is fine to send from
            ByteBuffer ro = direct("ro").asReadOnlyBuffer();
            assertEquals(2, s.sendTo(ro, s.localAddress()));
            assertEquals(2, ro.position());
            assertEquals(2, s.recv(ByteBuffer.allocate(4)));
        }
    }

    @Test
    void zeroLengthDatagramsWork() throws IOException {
        try (NativeSocket a = bound(AF_INET6, SOCK_DGRAM, LO6); NativeSocket b = bound(AF_INET6, SOCK_DGRAM, LO6)) {
            SockAddrHolder h = new SockAddrHolder();
            ByteBuffer in = ByteBuffer.allocateDirect(8);
            assertEquals(0, a.sendTo(ByteBuffer.allocateDirect(0), b.localAddress()));
            assertEquals(0, b.recvFrom(in, h));
            assertEquals(a.localAddress(), h.sockAddr()); // a real (empty) datagram has a source
            assertEquals(0, in.position());
            assertEquals(0, a.sendTo(new byte[0], b.localAddress()));
            assertEquals(0, b.recvFrom(new byte[4]).length());
            assertEquals(0, a.sendTo(ByteBuffer.allocate(0), EncodedSockAddr.of(b.localAddress())));
            assertEquals(0, b.recv(ByteBuffer.allocate(0)));
        }
    }

    @Test
    void oversizedDatagramGivesEmsgsize() throws IOException {
        try (NativeSocket a = NativeSocket.open(AF_INET, SOCK_DGRAM); NativeSocket b = bound(AF_INET, SOCK_DGRAM, LO4)) {
            for (ByteBuffer big : List.of(ByteBuffer.allocateDirect(70_000), ByteBuffer.allocate(70_000))) {
                NativeSocketException e = assertThrows(NativeSocketException.class, () -> a.sendTo(big, b.localAddress()));
                assertEquals("EMSGSIZE", e.errnoName());
                assertEquals("sendto", e.call());
                assertEquals(0, big.position()); // nothing sent, nothing consumed
            }
            assertEquals("EMSGSIZE", assertThrows(NativeSocketException.class,
                    () -> a.sendTo(new byte[70_000], b.localAddress())).errnoName());
        }
    }

    @Test
    void msgTruncReportsTheRealLengthAndPeekLeavesTheDatagram() throws IOException {
        try (NativeSocket a = bound(AF_INET, SOCK_DGRAM, LO4); NativeSocket b = bound(AF_INET, SOCK_DGRAM, LO4)) {
            a.sendTo(direct("0123456789"), b.localAddress());
            SockAddrHolder h = new SockAddrHolder();
            ByteBuffer small = ByteBuffer.allocateDirect(4);
            assertEquals(10, b.recvFrom(small, h, NativeSocket.MSG_PEEK | NativeSocket.MSG_TRUNC));
            assertEquals(4, small.position()); // stored only what fits
            assertEquals("0123", text(small));
            ByteBuffer all = ByteBuffer.allocate(16);
            assertEquals(10, b.recv(all, 0));
            assertEquals("0123456789", text(all));
        }
    }

    @Test
    void streamSendRecvAndEndOfStream() throws IOException {
        try (NativeSocket server = bound(AF_INET6, SOCK_STREAM, LO6);
             NativeSocket client = NativeSocket.open(AF_INET6, SOCK_STREAM)) {
            server.listen(1);
            client.connect(server.localAddress());
            try (NativeSocket conn = server.accept().socket()) {
                byte[] msg = "stream bytes".getBytes(US_ASCII);
                assertEquals(msg.length, client.send(msg));
                byte[] in = new byte[64];
                int n = 0;
                while (n < msg.length) n += conn.recv(in, n, in.length - n);
                assertEquals("stream bytes", new String(in, 0, n, US_ASCII));
                client.shutdown(NativeSocket.SHUT_WR);
                assertEquals(0, conn.recv(ByteBuffer.allocateDirect(8))); // EOF is 0, as the kernel says
                // TCP recvfrom: the kernel gives no source address
                assertNull(conn.recvFrom(ByteBuffer.allocate(8)));
                assertThrows(IllegalArgumentException.class, () -> client.shutdown(12345));
            }
        }
    }
}
