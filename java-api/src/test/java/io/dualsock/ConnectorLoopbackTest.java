package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connector on loopback with real sockets. A "blackholed" address is a listener whose
 * accept queue is full: Linux then drops further SYNs (never refuses), as a firewall that drops
 * would. Descriptors are counted in /proc/self/fd around every connect: the winner is the only
 * one added, and none is left once it is closed. Times are never asserted, only order and
 * results; the one lower bound (the IPv4 attempt starts no earlier than the attempt delay after
 * the IPv6 one) is the algorithm's rule, not a speed.
 */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class ConnectorLoopbackTest {
    private final List<NativeSocket> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() {
        toClose.forEach(NativeSocket::close);
    }

    private NativeSocket listener(SockAddr at, int backlog) throws NativeSocketException {
        NativeSocket l = NativeSocket.open(at.family(), SOCK_STREAM);
        toClose.add(l);
        if (at.family() == AF_INET6) l.setOption(SocketOptions.IpprotoIpv6.IPV6_V6ONLY, true);
        l.bind(at);
        l.listen(backlog);
        return l;
    }

    private SockAddr healthy(SockAddr at) throws NativeSocketException {
        return listener(at, 16).localAddress();
    }

    /** A listener whose queue is full, so the kernel drops every further SYN to it. */
    private SockAddr blackholed(SockAddr at) throws NativeSocketException {
        SockAddr a = listener(at, 0).localAddress();
        for (int i = 0; i < 8; i++) {
            NativeSocket c = NativeSocket.open(a.family(), SOCK_STREAM);
            toClose.add(c);
            c.setBlocking(false);
            try {
                c.connect(a);
            } catch (NativeSocketException e) {
                assertEquals("EINPROGRESS", e.errnoName());
            }
            if (c.poll(NativeSocket.POLLOUT, 200) == 0) return a; // this SYN was dropped: the queue is full
        }
        throw new AssertionError("the accept queue of " + a + " never filled");
    }

    private static SockAddr closedPort(SockAddr at) throws NativeSocketException {
        try (NativeSocket s = NativeSocket.open(at.family(), SOCK_STREAM)) {
            s.bind(at);
            return s.localAddress(); // bound, never listening: a SYN to it is refused
        }
    }

    private static Connector.Lookup lookup(List<SockAddr> six, List<SockAddr> four) {
        return (host, port, family) -> family == AF_INET6 ? six : family == AF_INET ? four : concat(six, four);
    }

    private static List<SockAddr> concat(List<SockAddr> a, List<SockAddr> b) {
        List<SockAddr> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** Sockets in SYN_SENT to a (from /proc/net/tcp6 or tcp): how the tests see an attempt in flight. */
    private static int synSent(SockAddr a) throws IOException {
        String table = a.family() == AF_INET6 ? "/proc/net/tcp6" : "/proc/net/tcp";
        String port = String.format(":%04X", a.port());
        int n = 0;
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[2].endsWith(port) && f[3].equals("02")) n++;
        }
        return n;
    }

    /** Waits (10 s at most, against a hung build) until one more connect to a is in flight. */
    private static void awaitSynSent(SockAddr a, int baseline) throws IOException, InterruptedException {
        for (int i = 0; i < 1000 && synSent(a) <= baseline; i++) Thread.sleep(10);
    }

    /**
     * Our TCP sockets and eventfds in /proc/self/fd. A resolver thread may still be inside
     * getaddrinfo when a connect returns (its answer is not needed any more), and libc's netlink
     * socket for AI_ADDRCONFIG is its own, so only sockets in /proc/net/tcp and tcp6 count.
     */
    private static long descriptors() throws IOException {
        java.util.Set<String> tcp = new java.util.HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9) tcp.add("socket:[" + f[9] + "]");
            }
        }
        Map<Integer, String> m = NativeSocketTest.openDescriptors();
        return m.values().stream().filter(t -> tcp.contains(t) || t.contains("eventfd")).count();
    }

    private static Connector.Connection connect(ConnectOptions o, Connector.Lookup l) throws Exception {
        return connect(o, l, null);
    }

    /**
     * @param other a thread that cancels or interrupts; joined before counting, since a cancel
     *     still inside its eventfd write when the connect ends releases the eventfd as it leaves
     */
    private static Connector.Connection connect(ConnectOptions o, Connector.Lookup l, Thread other) throws Exception {
        long before = descriptors();
        Connector.Connection c;
        try {
            c = Connector.connect("loopback.test", 1, o, l);
        } catch (ConnectFailedException e) {
            if (other != null) {
                boolean interrupted = Thread.interrupted(); // join() would throw; the flag is restored
                other.join();
                if (interrupted) Thread.currentThread().interrupt();
            }
            assertEquals(before, descriptors(), "a failed connect leaves nothing open");
            throw e;
        }
        assertEquals(before + 1, descriptors(), "the winner is the only descriptor added");
        assertTrue(c.socket().isBlocking(), "the winner is handed out in blocking mode");
        return c;
    }

    private static List<String> results(ConnectTrace t) {
        return t.attempts().stream().map(ConnectTrace.Attempt::result).toList();
    }

    @Test
    void numericIpv6HostOverGetaddrinfo() throws Exception {
        SockAddr server = healthy(Inet6SockAddr.loopback(0));
        NativeSocket l = toClose.get(0);
        long before = descriptors();
        try (Connector.Connection c = Connector.connect("::1", server.port(), ConnectOptions.happy())) {
            assertEquals(server, c.socket().peerAddress());
            assertEquals(server, c.trace().winner());
            assertEquals("AAAA", c.trace().resolutions().get(0).query());
            ConnectTrace.Resolution a = c.trace().resolutions().get(1);
            // a positive AAAA answer starts at once; the A query of "::1" fails (EAI_ADDRFAMILY), or is still out
            assertTrue(a.endMs() < 0 || a.error() != null, c.trace().toText());
            try (NativeSocket accepted = l.accept().socket()) {
                c.socket().send(new byte[] {42});
                byte[] b = new byte[1];
                assertEquals(1, accepted.recv(b));
                assertEquals(42, b[0]);
            }
        }
        assertEquals(before, descriptors());
    }

    @Test
    void blackholedIpv6GivesWayToIpv4AndIsClosed() throws Exception {
        SockAddr six = blackholed(Inet6SockAddr.loopback(0));
        SockAddr four = healthy(Inet4SockAddr.loopback(0));
        long before = descriptors();
        try (Connector.Connection c = connect(ConnectOptions.happy(), lookup(List.of(six), List.of(four)))) {
            ConnectTrace t = c.trace();
            assertEquals(List.of(six, four), t.attempts().stream().map(ConnectTrace.Attempt::address).toList());
            assertEquals(List.of(ConnectTrace.ABANDONED, ConnectTrace.CONNECTED), results(t), t.toText());
            assertTrue(t.attempts().get(1).startMs() >= t.attempts().get(0).startMs() + 250, t.toText());
            assertEquals(four, c.socket().peerAddress());
        }
        assertEquals(before, descriptors());
    }

    @Test
    void healthyDualStackConnectsOverIpv6() throws Exception {
        SockAddr six = healthy(Inet6SockAddr.loopback(0));
        SockAddr four = healthy(Inet4SockAddr.loopback(0));
        try (Connector.Connection c = connect(ConnectOptions.happy(), lookup(List.of(six), List.of(four)))) {
            assertEquals(six, c.trace().winner(), c.trace().toText());
            assertEquals(six, c.socket().peerAddress());
        }
    }

    @Test
    void aRefusalMovesOnWithoutLosingAnything() throws Exception {
        SockAddr six = closedPort(Inet6SockAddr.loopback(0));
        SockAddr four = healthy(Inet4SockAddr.loopback(0));
        try (Connector.Connection c = connect(ConnectOptions.happy(), lookup(List.of(six), List.of(four)))) {
            assertEquals(List.of("ECONNREFUSED", ConnectTrace.CONNECTED), results(c.trace()), c.trace().toText());
        }
    }

    @Test
    void everyAddressRefusedFailsWithTheTrace() throws Exception {
        SockAddr six = closedPort(Inet6SockAddr.loopback(0));
        SockAddr four = closedPort(Inet4SockAddr.loopback(0));
        ConnectFailedException e = assertThrows(ConnectFailedException.class,
                () -> connect(ConnectOptions.happy(), lookup(List.of(six), List.of(four))));
        assertEquals(List.of("ECONNREFUSED", "ECONNREFUSED"), results(e.trace()));
        assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
    }

    @Test
    void theTimeLimitClosesEveryAttempt() throws Exception {
        SockAddr six = blackholed(Inet6SockAddr.loopback(0));
        SockAddr four = blackholed(Inet4SockAddr.loopback(0));
        ConnectOptions o = ConnectOptions.happy().withAttemptDelay(Duration.ofMillis(10)).withTimeout(Duration.ofMillis(300));
        ConnectFailedException e = assertThrows(ConnectFailedException.class,
                () -> connect(o, lookup(List.of(six), List.of(four))));
        assertEquals(List.of("ETIMEDOUT", "ETIMEDOUT"), results(e.trace()));
    }

    @Test
    void aCancelFromAnotherThreadClosesEveryAttempt() throws Exception {
        SockAddr six = blackholed(Inet6SockAddr.loopback(0));
        Connector.Cancel cancel = new Connector.Cancel();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        int baseline = synSent(six);
        Thread canceller = new Thread(() -> {
            try {
                awaitSynSent(six, baseline);
            } catch (Exception e) {
                failed.set(e);
            }
            cancel.cancel();
        });
        canceller.start();
        ConnectFailedException e = assertThrows(ConnectFailedException.class,
                () -> connect(ConnectOptions.happy().withCancel(cancel), lookup(List.of(six), List.of()), canceller));
        canceller.join();
        assertEquals(List.of("ECANCELED"), results(e.trace()));
        assertEquals(null, failed.get());
    }

    @Test
    void anInterruptClosesEveryAttemptAndStaysSet() throws Exception {
        SockAddr six = blackholed(Inet6SockAddr.loopback(0));
        Thread me = Thread.currentThread();
        int baseline = synSent(six);
        Thread interrupter = new Thread(() -> {
            try {
                awaitSynSent(six, baseline);
            } catch (Exception e) {
                return;
            }
            me.interrupt();
        });
        interrupter.start();
        try {
            ConnectFailedException e = assertThrows(ConnectFailedException.class,
                    () -> connect(ConnectOptions.happy(), lookup(List.of(six), List.of()), interrupter));
            assertEquals("interrupted", e.trace().failure());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            interrupter.join();
            Thread.interrupted();
        }
    }

    @Test
    void sequentialTriesOneAddressAfterTheOther() throws Exception {
        SockAddr six = closedPort(Inet6SockAddr.loopback(0));
        SockAddr four = healthy(Inet4SockAddr.loopback(0));
        try (Connector.Connection c = connect(ConnectOptions.sequential(), lookup(List.of(six), List.of(four)))) {
            assertEquals("AF_UNSPEC", c.trace().resolutions().get(0).query());
            assertEquals(List.of("ECONNREFUSED", ConnectTrace.CONNECTED), results(c.trace()));
        }
    }

    @Test
    void sequentialWaitsOutABlackholedAddress() throws Exception {
        SockAddr six = blackholed(Inet6SockAddr.loopback(0));
        SockAddr four = healthy(Inet4SockAddr.loopback(0));
        ConnectOptions o = ConnectOptions.sequential().withTimeout(Duration.ofMillis(400));
        ConnectFailedException e = assertThrows(ConnectFailedException.class,
                () -> connect(o, lookup(List.of(six), List.of(four))));
        assertEquals(List.of("ETIMEDOUT"), results(e.trace()), "the book's loop never reached IPv4");
    }

    @Test
    void badArgumentsFailBeforeAnyCall() {
        assertThrows(IllegalArgumentException.class, () -> Connector.connect("::1", 0, ConnectOptions.happy()));
        assertThrows(NullPointerException.class, () -> Connector.connect(null, 1, ConnectOptions.happy()));
    }
}
