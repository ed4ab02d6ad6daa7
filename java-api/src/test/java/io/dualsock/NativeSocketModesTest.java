package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static io.dualsock.NativeSocket.SOCK_STREAM;
import static io.dualsock.NativeSocketTest.LO4;
import static io.dualsock.NativeSocketTest.MAPPED_LO;
import static io.dualsock.NativeSocketTest.bound;
import static io.dualsock.NativeSocketTest.direct;
import static io.dualsock.NativeSocketTest.fdTarget;
import static io.dualsock.NativeSocketTest.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.dualsock.SocketOptions.SolSocket;

/** NativeSocket on loopback: timeouts, blocking mode, creation, ports, descriptors (split from NativeSocketTest). */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class NativeSocketModesTest {

    // ---- timeouts, blocking mode ----

    @Test
    void connectTimeoutRestoresBlockingMode() throws IOException {
        try (NativeSocket server = bound(AF_INET, SOCK_STREAM, LO4)) {
            server.listen(4);
            try (NativeSocket c = NativeSocket.open(AF_INET, SOCK_STREAM)) {
                c.connect(server.localAddress(), Duration.ofSeconds(5));
                assertTrue(c.isBlocking());
                assertEquals(server.localAddress(), c.peerAddress());
            }
            try (NativeSocket c = NativeSocket.open(AF_INET, SOCK_STREAM)) {
                c.setBlocking(false);
                c.connect(server.localAddress(), Duration.ofSeconds(5));
                assertFalse(c.isBlocking(), "a non-blocking socket must stay non-blocking");
            }
        }
        // refused, with the listener gone
        int closedPort;
        try (NativeSocket gone = bound(AF_INET, SOCK_STREAM, LO4)) {
            closedPort = port(gone);
        }
        try (NativeSocket c = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            NativeSocketException e = assertThrows(NativeSocketException.class,
                    () -> c.connect(Inet4SockAddr.loopback(closedPort), Duration.ofSeconds(5)));
            assertEquals("ECONNREFUSED", e.errnoName());
            assertTrue(c.isBlocking());
        }
    }

    @Test
    void connectTimeoutExpiresAgainstAFullAcceptQueue() throws IOException {
        // backlog 0: Linux queues one connection, then drops SYNs (accept queue full), so a
        // further connect stays in SYN_SENT until our limit.
        try (NativeSocket server = bound(AF_INET, SOCK_STREAM, LO4)) {
            server.listen(0);
            List<NativeSocket> clients = new ArrayList<>();
            try {
                NativeSocketException timedOut = null;
                for (int i = 0; i < 4 && timedOut == null; i++) {
                    NativeSocket c = NativeSocket.open(AF_INET, SOCK_STREAM);
                    clients.add(c);
                    try {
                        c.connect(server.localAddress(), Duration.ofMillis(200));
                    } catch (NativeSocketException e) {
                        timedOut = e;
                    }
                    assertTrue(c.isBlocking());
                }
                assertTrue(timedOut != null, "no connect timed out against a full accept queue");
                assertEquals("ETIMEDOUT", timedOut.errnoName());
                assertTrue(timedOut.getMessage().contains("within 200 ms"), timedOut.getMessage());
            } finally {
                clients.forEach(NativeSocket::close);
            }
        }
    }

    @Test
    void negativeTimeoutsAndBacklogAreRefused() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            assertThrows(IllegalArgumentException.class, () -> s.connect(LO4.withPort(9), Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> s.connect(LO4.withPort(9), Duration.ofDays(365 * 100)));
            assertThrows(NullPointerException.class, () -> s.connect(LO4.withPort(9), null));
            assertThrows(IllegalArgumentException.class, () -> s.poll(NativeSocket.POLLIN, -2));
            assertThrows(IllegalArgumentException.class, () -> s.listen(-1));
            assertThrows(IllegalArgumentException.class, () -> s.setOption(SolSocket.SO_RCVTIMEO, Duration.ofMillis(-5)));
            assertThrows(IllegalArgumentException.class, () -> s.setOption(SolSocket.SO_SNDTIMEO, Duration.ofNanos(-1)));
            assertThrows(IllegalArgumentException.class,
                    () -> s.setOption(SolSocket.SO_LINGER, new SocketOptions.Linger(true, -1)));
            assertEquals(Duration.ZERO, s.getOption(SolSocket.SO_RCVTIMEO)); // nothing was set
        }
    }

    @Test
    void receiveTimeoutIsEagain() throws IOException {
        try (NativeSocket s = bound(AF_INET, SOCK_DGRAM, LO4)) {
            s.setOption(SolSocket.SO_RCVTIMEO, Duration.ofMillis(100));
            NativeSocketException e = assertThrows(NativeSocketException.class, () -> s.recvFrom(ByteBuffer.allocate(4)));
            assertEquals("EAGAIN", e.errnoName());
            assertEquals("recvfrom", e.call());
        }
    }

    @Test
    void nonBlockingModeAndPoll() throws IOException {
        try (NativeSocket s = bound(AF_INET, SOCK_DGRAM, LO4)) {
            assertTrue(s.isBlocking());
            s.setBlocking(false);
            assertFalse(s.isBlocking());
            assertEquals("EAGAIN", assertThrows(NativeSocketException.class, () -> s.recv(ByteBuffer.allocate(4))).errnoName());
            assertEquals(0, s.poll(NativeSocket.POLLIN, 0));
            assertEquals(NativeSocket.POLLOUT, s.poll(NativeSocket.POLLOUT, 0));
            s.sendTo(direct("p"), s.localAddress());
            assertEquals(NativeSocket.POLLIN, s.poll(NativeSocket.POLLIN, -1));
            s.setBlocking(true);
            assertTrue(s.isBlocking());
            assertEquals(1, s.recv(ByteBuffer.allocate(4)));
            assertEquals("EAGAIN", assertThrows(NativeSocketException.class,
                    () -> s.recv(ByteBuffer.allocate(4), NativeSocket.MSG_DONTWAIT)).errnoName());
        }
    }

    @Test
    void nonBlockingConnectThenSoError() throws IOException {
        int closedPort;
        try (NativeSocket gone = bound(AF_INET, SOCK_STREAM, LO4)) {
            closedPort = port(gone);
        }
        try (NativeSocket c = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            c.setBlocking(false);
            // Nothing listens there: the connect must fail, at once or through SO_ERROR.
            NativeSocketException e = assertThrows(NativeSocketException.class,
                    () -> c.connect(Inet4SockAddr.loopback(closedPort)));
            assertTrue(e.errnoName().equals("EINPROGRESS") || e.errnoName().equals("ECONNREFUSED"), e.getMessage());
            if (e.errnoName().equals("EINPROGRESS")) {
                assertTrue((c.poll(NativeSocket.POLLOUT, 5000) & NativeSocket.POLLOUT) != 0);
                int err = c.getOption(SolSocket.SO_ERROR);
                assertEquals("ECONNREFUSED", io.dualsock.bindings.Errors.errnoName(err));
            }
            assertEquals(0, c.getOption(SolSocket.SO_ERROR)); // reading it cleared it
        }
    }

    // ---- creation, ports, descriptors ----

    @Test
    void openChecksFamilyAndReportsKernelErrors() throws IOException {
        int afUnix = Names.value("AF_UNIX").getAsInt();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeSocket.open(afUnix, SOCK_STREAM));
        assertTrue(e.getMessage().contains("AF_UNIX"), e.getMessage());
        int udp = Names.value("IPPROTO_UDP").getAsInt();
        NativeSocketException ne = assertThrows(NativeSocketException.class, () -> NativeSocket.open(AF_INET, SOCK_STREAM, udp));
        assertEquals("EPROTONOSUPPORT", ne.errnoName());
        assertTrue(ne.getMessage().startsWith("socket failed: EPROTONOSUPPORT"), ne.getMessage());
        try (NativeSocket s = NativeSocket.open(AF_INET6, SOCK_DGRAM, udp)) {
            assertEquals(AF_INET6, s.family());
            assertEquals(SOCK_DGRAM, s.type());
            assertTrue(s.toString().matches("NativeSocket\\[fd=\\d+, AF_INET6, SOCK_DGRAM]"), s.toString());
        }
    }

    @Test
    void descriptorIsCloseOnExec() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + s.fd())).stream()
                    .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
            long octal = Long.parseLong(flags.substring("flags:".length()).trim(), 8);
            assertTrue((octal & 02000000) != 0, "O_CLOEXEC missing: " + flags);
            assertTrue(fdTarget(s.fd()).startsWith("socket:"));
        }
    }

    @Test
    void portsOutOfRangeAreRefused() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> Inet4SockAddr.loopback(65536));
        assertThrows(IllegalArgumentException.class, () -> Inet4SockAddr.loopback(-1));
        assertThrows(IllegalArgumentException.class, () -> Inet6SockAddr.loopback(70000));
        assertThrows(IllegalArgumentException.class, () -> LO4.withPort(-5));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.parse("::1", 65536));
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            s.bind(Inet4SockAddr.loopback(0));
            assertTrue(port(s) > 0 && port(s) <= 65535);
            // binding a second socket to the same port: the kernel's EADDRINUSE, unchanged
            try (NativeSocket t = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
                NativeSocketException e = assertThrows(NativeSocketException.class, () -> t.bind(s.localAddress()));
                assertEquals("EADDRINUSE", e.errnoName());
                assertTrue(e.getMessage().contains("127.0.0.1:" + port(s)), e.getMessage());
            }
        }
    }

    @Test
    void encodedSockAddrHoldsKernelBytes() {
        EncodedSockAddr e4 = EncodedSockAddr.of(Inet4SockAddr.loopback(0x1234));
        byte[] b = e4.toBytes();
        assertEquals(e4.length(), b.length);
        assertEquals(AF_INET, e4.family());
        EncodedSockAddr e6 = EncodedSockAddr.of(MAPPED_LO.withPort(80));
        assertEquals(AF_INET6, e6.family());
        assertEquals(MAPPED_LO.withPort(80), e6.sockAddr()); // stays mapped, stays IPv6
        assertEquals(e6, EncodedSockAddr.of(MAPPED_LO.withPort(80)));
        assertThrows(NullPointerException.class, () -> EncodedSockAddr.of(null));
    }
}
