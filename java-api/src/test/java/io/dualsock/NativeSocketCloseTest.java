package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static io.dualsock.NativeSocket.SOCK_STREAM;
import static io.dualsock.NativeSocketTest.LO4;
import static io.dualsock.NativeSocketTest.bound;
import static io.dualsock.NativeSocketTest.fdTarget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.dualsock.NativeSocketTest.ThrowingCall;
import io.dualsock.SocketOptions.SolSocket;

/**
 * close(): idempotent, safe against descriptor reuse, and waking calls blocked on other
 * threads. Join timeouts are generous limits against a hung build, not timing assertions.
 */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class NativeSocketCloseTest {
    private static final long JOIN_MS = 10_000;

    private static Map<String, ThrowingCall> everyCall(NativeSocket s) {
        Map<String, ThrowingCall> m = new LinkedHashMap<>();
        SockAddr dst = LO4.withPort(9);
        m.put("bind", () -> s.bind(LO4));
        m.put("listen", () -> s.listen(1));
        m.put("accept", s::accept);
        m.put("connect", () -> s.connect(dst));
        m.put("connect ", () -> s.connect(dst, Duration.ofSeconds(1)));
        m.put("shutdown", () -> s.shutdown(NativeSocket.SHUT_RDWR));
        m.put("send", () -> s.send(ByteBuffer.allocateDirect(1)));
        m.put("send ", () -> s.send(new byte[1]));
        m.put("sendto", () -> s.sendTo(ByteBuffer.allocate(1), dst));
        m.put("sendto ", () -> s.sendTo(ByteBuffer.allocateDirect(1), EncodedSockAddr.of(dst)));
        m.put("recv", () -> s.recv(ByteBuffer.allocate(1)));
        m.put("recvfrom", () -> s.recvFrom(ByteBuffer.allocateDirect(1), new SockAddrHolder()));
        m.put("recvfrom ", () -> s.recvFrom(new byte[1]));
        m.put("getsockname", s::localAddress);
        m.put("getpeername", s::peerAddress);
        m.put("getsockopt", () -> s.getOption(SolSocket.SO_RCVBUF));
        m.put("setsockopt", () -> s.setOption(SolSocket.SO_RCVBUF, 8192));
        m.put("getsockopt ", () -> s.getIntOption(1, 1));
        m.put("setsockopt ", () -> s.setIntOption(1, 1, 1));
        m.put("fcntl", () -> s.setBlocking(false));
        m.put("fcntl ", s::isBlocking);
        m.put("poll", () -> s.poll(NativeSocket.POLLIN, 0));
        return m;
    }

    @Test
    void callsAfterCloseFailWithClosedSocketException() throws IOException {
        NativeSocket s = NativeSocket.open(AF_INET, SOCK_DGRAM);
        assertTrue(s.isOpen());
        s.close();
        assertFalse(s.isOpen());
        assertEquals(-1, s.fd());
        assertTrue(s.toString().startsWith("NativeSocket[closed"), s.toString());
        everyCall(s).forEach((call, c) -> {
            ClosedSocketException e = assertThrows(ClosedSocketException.class, c::run, call);
            assertEquals(call.trim(), e.call());
            assertEquals(call.trim() + " failed: socket is closed (NativeSocket.close() was called; no system call made)",
                    e.getMessage());
            assertFalse(e.isAsynchronous());
            assertEquals(0, e.errno());
            assertNull(e.errnoName());
            assertInstanceOf(NativeSocketException.class, e);
        });
    }

    @Test
    void doubleCloseIsHarmless() throws IOException {
        NativeSocket s = NativeSocket.open(AF_INET6, SOCK_STREAM);
        int fd = s.fd();
        String target = fdTarget(fd);
        s.close();
        s.close();
        assertNotEquals(target, fdTarget(fd));
    }

    /** The old object must neither fail with EBADF nor reach the socket that now has its number. */
    @Test
    void closedSocketNeverTouchesADescriptorReusedByTheProcess() throws IOException {
        NativeSocket old = bound(AF_INET, SOCK_DGRAM, LO4);
        int number = old.fd();
        old.close();
        try (NativeSocket fresh = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            // Linux hands out the lowest free number: normally the one just released.
            System.out.printf("[reuse] old fd %d, new fd %d%n", number, fresh.fd());
            int rcvbuf = fresh.getOption(SolSocket.SO_RCVBUF);
            SockAddr freshLocal = fresh.localAddress();
            everyCall(old).forEach((call, c) -> assertThrows(ClosedSocketException.class, c::run, call));
            old.close(); // must not close the new socket
            assertTrue(fresh.isOpen());
            assertTrue(fdTarget(fresh.fd()).startsWith("socket:"));
            assertEquals(rcvbuf, fresh.getOption(SolSocket.SO_RCVBUF)); // setsockopt on old did not reach it
            assertEquals(freshLocal, fresh.localAddress()); // bind on old did not bind it
            assertFalse(fresh.getOption(SolSocket.SO_ACCEPTCONN));
            assertTrue(fresh.isBlocking());
        }
    }

    /** Starts call on a thread, waits until it is inside the native layer, closes, joins. */
    private static ClosedSocketException closeWhileBlocked(NativeSocket s, ThrowingCall call) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger tid = new AtomicInteger();
        Thread t = new Thread(() -> {
            tid.set(io.dualsock.bindings.Native.libc().gettid());
            started.countDown();
            try {
                call.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "blocked-call");
        t.setDaemon(true);
        t.start();
        assertTrue(started.await(JOIN_MS, TimeUnit.MILLISECONDS));
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MS);
        while (s.callsInProgress() == 0) {
            assertTrue(System.nanoTime() < giveUp, "the call never entered the native layer");
            Thread.sleep(1);
        }
        // Inside the native layer the thread can only wait in the system call: wait until the
        // kernel shows it asleep there (state S in /proc/self/task/<tid>/stat).
        while (!sleepingInKernel(tid.get())) {
            assertTrue(System.nanoTime() < giveUp, "the call never blocked in the kernel");
            Thread.sleep(1);
        }
        int fd = s.fd();
        String target = fdTarget(fd);
        s.close();
        t.join(JOIN_MS);
        assertFalse(t.isAlive(), "close() did not wake the blocked call");
        assertNotEquals(target, fdTarget(fd), "descriptor still open after the woken call returned");
        ClosedSocketException e = assertInstanceOf(ClosedSocketException.class, thrown.get());
        assertTrue(e.isAsynchronous());
        assertTrue(e.getMessage().contains("closed by NativeSocket.close() on another thread"), e.getMessage());
        return e;
    }

    @Test
    void closeWakesBlockedAccept() throws Exception {
        try (NativeSocket l = bound(AF_INET6, SOCK_STREAM, NativeSocketTest.LO6)) {
            l.listen(4);
            ClosedSocketException e = closeWhileBlocked(l, l::accept);
            assertEquals("accept", e.call());
            System.out.println("[close race] " + e.getMessage());
        }
    }

    @Test
    void closeWakesBlockedUdpRecvFrom() throws Exception {
        try (NativeSocket u = bound(AF_INET, SOCK_DGRAM, LO4)) {
            SockAddrHolder h = new SockAddrHolder();
            ClosedSocketException e = closeWhileBlocked(u, () -> u.recvFrom(ByteBuffer.allocateDirect(64), h));
            assertEquals("recvfrom", e.call());
            System.out.println("[close race] " + e.getMessage());
        }
        try (NativeSocket u = bound(AF_INET6, SOCK_DGRAM, NativeSocketTest.LO6)) {
            assertEquals("recvfrom", closeWhileBlocked(u, () -> u.recvFrom(ByteBuffer.allocate(64))).call());
        }
    }

    @Test
    void closeWakesBlockedTcpRecvAndPoll() throws Exception {
        try (NativeSocket l = bound(AF_INET, SOCK_STREAM, LO4); NativeSocket c = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            l.listen(1);
            c.connect(l.localAddress());
            try (NativeSocket conn = l.accept().socket()) {
                assertEquals("recv", closeWhileBlocked(c, () -> c.recv(new byte[8])).call());
                assertEquals("poll", closeWhileBlocked(conn, () -> conn.poll(NativeSocket.POLLPRI, -1)).call());
            }
        }
    }

    /**
     * Many threads hammer one socket while it is closed: every failure must be the closed
     * error (never EBADF or another errno from a reused descriptor), and nothing may leak.
     */
    @Test
    void closeRacingManyCallsReportsOnlyClosedErrors() throws Exception {
        for (int round = 0; round < 50; round++) {
            NativeSocket s = bound(AF_INET, SOCK_DGRAM, LO4);
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> wrong = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch calling = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        for (;;) {
                            s.localAddress();
                            s.getOption(SolSocket.SO_RCVBUF);
                            s.poll(NativeSocket.POLLOUT, 0);
                            calling.countDown();
                        }
                    } catch (ClosedSocketException expected) {
                        // the only acceptable end
                    } catch (Throwable e) {
                        wrong.compareAndSet(null, e);
                    }
                });
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
            go.countDown();
            // every thread is in its loop of calls when the close comes
            assertTrue(calling.await(JOIN_MS, TimeUnit.MILLISECONDS), "the racing threads never made a call");
            s.close();
            // Meanwhile other sockets take the lowest free numbers, likely the one released.
            try (NativeSocket other = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
                other.setOption(SolSocket.SO_RCVBUF, 4096);
                for (Thread t : threads) {
                    t.join(JOIN_MS);
                    assertFalse(t.isAlive());
                }
                assertEquals(8192, other.getOption(SolSocket.SO_RCVBUF)); // 4096 doubled, untouched
            }
            if (wrong.get() != null) throw new AssertionError("a racing call failed otherwise", wrong.get());
        }
    }

    /** True when the kernel shows thread tid asleep (state S: waiting in a system call). */
    private static boolean sleepingInKernel(int tid) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        // the state follows the command name in brackets, which may itself hold spaces or brackets
        return stat.substring(stat.lastIndexOf(')') + 2).startsWith("S");
    }

    /** A socket dropped without close() is closed by the Cleaner once collected. */
    @Test
    void forgottenSocketIsClosedByTheCleaner() throws Exception {
        int[] fd = new int[1];
        String target = openAndForget(fd);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (target.equals(fdTarget(fd[0])) && System.nanoTime() < giveUp) {
            System.gc();
            Thread.sleep(10);
        }
        assertNotEquals(target, fdTarget(fd[0]), "the Cleaner did not close an unreachable socket");
    }

    private static String openAndForget(int[] fd) throws IOException {
        NativeSocket s = NativeSocket.open(AF_INET, SOCK_DGRAM);
        fd[0] = s.fd();
        return fdTarget(fd[0]);
    }
}
