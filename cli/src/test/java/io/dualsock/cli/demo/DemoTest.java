package io.dualsock.cli.demo;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dualsock.AddrInfo;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.SockAddr;
import io.dualsock.SocketOptions.IpprotoIpv6;
import io.dualsock.cli.demo.DemoReport.Attempt;
import io.dualsock.cli.demo.DemoReport.Proto;
import io.dualsock.cli.demo.DemoReport.Scenario;

/**
 * The demo's report checked against the kernel: every claim is a relation between addresses
 * the kernel reported to the two sides (the server's accept/recvfrom peer against the client's
 * own getsockname), or an errno the kernel returned; the demo itself asserts nothing.
 */
class DemoTest {
    private static DemoReport report;
    private static Set<String> socketsBefore;
    private static Set<String> socketsAfter;

    @BeforeAll
    static void runDemo() throws IOException {
        socketsBefore = openSockets();
        report = Demo.run();
        socketsAfter = openSockets();
    }

    @Test
    void closesEverySocketItOpened() {
        Set<String> left = new TreeSet<>(socketsAfter);
        left.removeAll(socketsBefore);
        assertTrue(left.isEmpty(), "sockets left open by Demo.run(): " + left);
    }

    @Test
    void runsEveryScenarioForTcpAndUdp() {
        assertEquals(8, report.scenarios().size());
        for (int n = 1; n <= 4; n++) {
            for (Proto p : Proto.values()) {
                Scenario s = report.scenario(n, p);
                assertNull(s.server().failure(), () -> s.id() + ": " + s.server().failure());
                assertNotNull(s.client(), s.id());
                assertNull(s.client().resolverError(), s.id());
                assertFalse(s.attempts().isEmpty(), s.id());
                for (Attempt a : s.attempts()) assertNotNull(a.server(), s.id() + ": the server is always consulted");
            }
        }
        assertEquals(readSysctl(), report.bindv6only());
    }

    // ---- scenario 1: IPv4 client, dual-stack IPv6 server ----

    @Test
    void ipv4ClientIsSeenMappedByDualStackServer() {
        for (Proto p : Proto.values()) {
            Scenario s = report.scenario(1, p);
            assertEquals(AF_INET6, s.server().family());
            assertEquals(Boolean.FALSE, s.server().v6only(), "IPV6_V6ONLY as getsockopt read it back");
            for (AddrInfo ai : s.client().results()) assertEquals(AF_INET, ai.family(), s.id());
            for (Attempt a : s.attempts()) {
                assertTrue(a.ok(), () -> s.id() + ": " + a);
                assertEquals(AF_INET, a.socketFamily());
                Inet6SockAddr peer = assertInstanceOf(Inet6SockAddr.class, a.server().peer(), s.id());
                assertTrue(peer.isV4Mapped(), s.id() + ": the server saw " + peer);
                assertSameEndpoint(peer.v4(), a.local(), s.id() + " " + a.mode());
                assertEquals(a.sent(), a.server().received());
                assertEquals(a.sent(), a.reply().bytes());
                assertEquals(report.options().message(), a.reply().text());
            }
            if (p == Proto.TCP) {
                // The accepted socket's own address is mapped too.
                Inet6SockAddr local = assertInstanceOf(Inet6SockAddr.class, s.attempts().get(0).server().local());
                assertTrue(local.isV4Mapped(), "accepted socket's getsockname " + local);
                assertEquals(s.server().bound().port(), local.port());
            }
        }
    }

    @Test
    void udpReplyToMappedSourceArrivesFromThePlainIpv4Address() {
        Scenario s = report.scenario(1, Proto.UDP);
        Attempt unconnected = attempt(s, "sendto", Attempt.VIA_NATIVE_SOCKET);
        // The server replied to ::ffff:127.0.0.1 unchanged; the AF_INET client sees the IPv4 address it asked.
        assertEquals(unconnected.destination(), unconnected.reply().source());
    }

    // ---- scenario 2: IPv6 client with AI_V4MAPPED, IPv4 server ----

    @Test
    void v4mappedClientReachesIpv4ServerWhichSeesPlainIpv4() {
        for (Proto p : Proto.values()) {
            Scenario s = report.scenario(2, p);
            assertEquals(AF_INET, s.server().family());
            assertFalse(s.client().results().isEmpty());
            for (AddrInfo ai : s.client().results()) {
                assertEquals(AF_INET6, ai.family());
                assertTrue(ai.isV4Mapped(), "getaddrinfo(AF_INET6, AI_V4MAPPED) gave " + ai);
                assertEquals(s.client().host(), ((Inet6SockAddr) ai.address()).v4().address());
            }
            for (Attempt a : s.attempts()) {
                assertTrue(a.ok(), () -> s.id() + ": " + a);
                assertEquals(AF_INET6, a.socketFamily());
                Inet4SockAddr seen = assertInstanceOf(Inet4SockAddr.class, a.server().peer(), s.id());
                if (a.peer() != null) {
                    // Connected: the client's getpeername is the mapped destination, its getsockname mapped too.
                    assertEquals(a.destination(), a.peer());
                    Inet6SockAddr local = assertInstanceOf(Inet6SockAddr.class, a.local());
                    assertTrue(local.isV4Mapped(), "client getsockname " + local);
                    assertEquals(local.v4(), seen);
                } else {
                    assertEquals(a.local().port(), seen.port());
                    Inet6SockAddr from = assertInstanceOf(Inet6SockAddr.class, a.reply().source());
                    assertEquals(a.destination(), from, "recvfrom on the AF_INET6 client reports the server mapped");
                }
            }
        }
    }

    // ---- scenario 3: IPv4 client, IPv6 server with IPV6_V6ONLY ----

    @Test
    void v6onlyServerRefusesIpv4TcpClient() {
        Scenario s = report.scenario(3, Proto.TCP);
        assertEquals(Boolean.TRUE, s.server().v6only());
        Attempt a = attempt(s, "connect", Attempt.VIA_NATIVE_SOCKET);
        assertFalse(a.ok());
        assertEquals("connect", a.failure().call());
        assertEquals("ECONNREFUSED", a.failure().errno());
        assertFalse(a.server().arrived(), "accept must find nothing: " + a.server());
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("probe")), "the IPv4 port check is reported");
    }

    @Test
    void v6onlyServerNeverSeesIpv4Datagram() {
        Scenario s = report.scenario(3, Proto.UDP);
        Attempt unconnected = attempt(s, "sendto", Attempt.VIA_NATIVE_SOCKET);
        assertTrue(unconnected.sent() > 0, "sendto itself succeeds: UDP has no handshake");
        assertEquals("recvfrom", unconnected.failure().call());
        assertEquals("EAGAIN", unconnected.failure().errno(), "no reply within the timeout");
        assertFalse(unconnected.server().arrived());

        Attempt connected = attempt(s, "connect+send", Attempt.VIA_NATIVE_SOCKET);
        assertTrue(connected.sent() > 0);
        assertEquals("recv", connected.failure().call());
        assertEquals("ECONNREFUSED", connected.failure().errno(), "ICMP port unreachable, reported on a connected socket");
        assertFalse(connected.server().arrived());
    }

    @Test
    void sameServerWithV6onlyStillTakesIpv6() throws Exception {
        // Control for scenario 3: the refusal is about IPv4 only, not a broken server.
        try (NativeSocket server = NativeSocket.open(AF_INET6, NativeSocket.SOCK_STREAM);
                NativeSocket client = NativeSocket.open(AF_INET6, NativeSocket.SOCK_STREAM)) {
            server.setOption(IpprotoIpv6.IPV6_V6ONLY, true);
            server.bind(Inet6SockAddr.any(0));
            server.listen(1);
            client.connect(Inet6SockAddr.loopback(server.localAddress().port()));
            NativeSocket.Accepted acc = server.accept();
            acc.socket().close();
            assertEquals(client.localAddress(), acc.peer());
        }
    }

    // ---- scenario 4: AF_INET socket given a mapped address ----

    @Test
    void inetSocketRefusesMappedAddressInDualsockAndInTheKernel() throws Exception {
        for (Proto p : Proto.values()) {
            Scenario s = report.scenario(4, p);
            List<Attempt> viaDualsock = s.attempts().stream().filter(a -> a.via().equals(Attempt.VIA_NATIVE_SOCKET)).toList();
            List<Attempt> raw = s.attempts().stream().filter(a -> a.via().equals(Attempt.VIA_RAW_SHIM)).toList();
            assertEquals(viaDualsock.size(), raw.size(), "every refusal is followed by the kernel's answer");
            for (Attempt a : viaDualsock) {
                assertEquals(AF_INET, a.socketFamily());
                assertTrue(((Inet6SockAddr) a.destination()).isV4Mapped());
                assertTrue(a.failure().beforeKernel(), a.failure().toString());
                assertNull(a.failure().errno());
                assertEquals(-1, a.sent());
                assertFalse(a.server().arrived());
            }
            for (Attempt a : raw) {
                assertFalse(a.ok(), "the kernel took a sockaddr_in6 on an AF_INET socket: " + a);
                assertFalse(a.failure().beforeKernel());
                assertEquals(kernelAnswerFor(a), a.failure().errno());
                assertFalse(a.server().arrived());
            }
        }
    }

    /**
     * Asks the kernel the same question with this test's own system calls (not the demo's
     * RawKernel): an AF_INET socket, then connect(2) or sendto(2) with the sockaddr_in6 bytes.
     */
    private static String kernelAnswerFor(Attempt a) {
        io.dualsock.bindings.Shim shim = io.dualsock.bindings.Native.shim();
        java.nio.ByteBuffer sa = java.nio.ByteBuffer.allocateDirect(256);
        sa.put(io.dualsock.EncodedSockAddr.of(a.destination()).toBytes());
        java.nio.ByteBuffer one = java.nio.ByteBuffer.allocateDirect(1);
        int fd = shim.ds_socket(AF_INET, a.socktype(), 0);
        assertTrue(fd >= 0, "socket: " + fd);
        try {
            long rc = a.mode().equals("sendto")
                    ? shim.ds_sendto(fd, io.dualsock.bindings.Native.address(one), 1, 0, io.dualsock.bindings.Native.address(sa))
                    : shim.ds_connect(fd, io.dualsock.bindings.Native.address(sa));
            assertTrue(rc < 0, "the kernel accepted a sockaddr_in6 on an AF_INET socket");
            return io.dualsock.bindings.Errors.errnoName((int) -rc);
        } finally {
            shim.ds_close(fd);
            java.lang.ref.Reference.reachabilityFence(sa);
            java.lang.ref.Reference.reachabilityFence(one);
        }
    }

    // ---- printers ----

    @Test
    void jsonHasEveryScenarioAndAttempt() throws Exception {
        ObjectMapper m = new ObjectMapper();
        JsonNode root = m.readTree(m.writeValueAsString(DemoJson.toJson(report)));
        assertEquals(8, root.get("scenarios").size());
        for (JsonNode s : root.get("scenarios")) {
            Scenario model = report.scenario(s.get("number").asInt(), Proto.valueOf(s.get("proto").asText().toUpperCase()));
            assertEquals(model.id(), s.get("id").asText());
            assertEquals(model.attempts().size(), s.get("attempts").size());
            for (int i = 0; i < model.attempts().size(); i++) {
                Attempt a = model.attempts().get(i);
                JsonNode j = s.get("attempts").get(i);
                assertEquals(a.ok(), j.get("ok").asBoolean());
                assertFalse(j.get("seen").asText().isBlank());
                if (a.server().peer() != null) {
                    assertEquals(a.server().peer().address(), j.get("server").get("peer").get("address").asText());
                    // mapped as the address bytes say (::ffff:0:0/96), not as the demo's own helper says
                    boolean mapped = a.server().peer() instanceof Inet6SockAddr p6 && p6.isV4Mapped();
                    assertEquals(mapped, j.get("server").get("peer").get("v4_mapped").asBoolean());
                }
                if (!a.ok()) assertEquals(String.valueOf(a.failure().errno()), j.get("failure").get("errno").asText("null"));
            }
        }
    }

    @Test
    void textExplainsEveryAttempt() {
        StringWriter sw = new StringWriter();
        DemoText.print(report, new PrintWriter(sw));
        String text = sw.toString();
        assertTrue(text.contains("§12.2") && text.contains("§12.3"), text);
        long seen = text.lines().filter(l -> l.startsWith("  seen ")).count();
        long attempts = report.scenarios().stream().mapToLong(s -> s.attempts().size()).sum();
        assertEquals(attempts, seen, text);
        long books = text.lines().filter(l -> l.startsWith("  book ")).count();
        assertEquals(report.scenarios().size(), books);
        // Addresses appear exactly as the kernel reported them.
        Attempt a = report.scenario(1, Proto.TCP).attempts().get(0);
        assertTrue(text.contains("accept: peer " + a.server().peer() + " [v4-mapped]"), text);
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Demo.Options(Duration.ZERO, Duration.ofSeconds(1), "x"));
        assertThrows(IllegalArgumentException.class, () -> new Demo.Options(Duration.ofMillis(-5), Duration.ofSeconds(1), "x"));
        assertThrows(NullPointerException.class, () -> new Demo.Options(Duration.ofMillis(5), null, "x"));
    }

    // ---- helpers ----

    private static Attempt attempt(Scenario s, String mode, String via) {
        return s.attempts().stream().filter(a -> a.mode().equals(mode) && a.via().equals(via)).findFirst()
                .orElseThrow(() -> new AssertionError(s.id() + " has no " + mode + " attempt via " + via));
    }

    /** The server saw the client's own endpoint (an unconnected UDP client knows only its port). */
    private static void assertSameEndpoint(SockAddr seenByServer, SockAddr clientLocal, String what) {
        assertEquals(seenByServer.port(), clientLocal.port(), what);
        boolean wildcard = List.of("0.0.0.0", "::").contains(clientLocal.address());
        if (!wildcard) assertEquals(clientLocal, seenByServer, what);
    }

    private static String readSysctl() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv6/bindv6only"), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return null;
        }
    }

    /** "fd -> socket:[inode]" for every open socket descriptor of this JVM. */
    private static Set<String> openSockets() throws IOException {
        Set<String> s = new TreeSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith("socket:")) s.add(p.getFileName() + " -> " + target);
                } catch (IOException e) {
                    // the directory's own descriptor is gone by now
                }
            }
        }
        return s;
    }
}
