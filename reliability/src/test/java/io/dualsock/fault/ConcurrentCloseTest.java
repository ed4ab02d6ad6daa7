package io.dualsock.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.dualsock.ClosedSocketException;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.bindings.Constants;
import io.dualsock.NativeSocketException;
import io.dualsock.testsupport.OnThread;

/**
 * Concurrent close of a socket blocked in accept, recvFrom or connect, many times over: the
 * blocked call ends with an asynchronous {@link ClosedSocketException} (never EBADF, never a
 * hang, never a call on a descriptor reused by someone else), and no descriptor is leaked over
 * all rounds. Every round counted is proven to be a blocked call woken by close: before
 * {@code close()} the kernel shows the other thread inside the shim's system call
 * ({@code /proc/self/task/<tid>/syscall} names its number, from the shim's constants; the
 * thread cannot leave it without the close), and the exception says the close came while the
 * call was in progress. (NativeSocketCloseTest in java-api checks each case once; this
 * repeats them under load.)
 */
class ConcurrentCloseTest {
    private static final int ROUNDS = 200;

    interface Blocking {
        Object run(NativeSocket s) throws Exception;
    }

    @Test
    void closeWakesBlockedCallsEveryTime() throws Exception {
        FaultSupport.resetRecord("ConcurrentCloseTest");
        long before = FaultSupport.openDescriptors();
        Map<String, Integer> outcomes = new TreeMap<>();
        int accept4 = Constants.i("SYS_accept4");
        int recvfrom = Constants.i("SYS_recvfrom");
        int connect = Constants.i("SYS_connect");
        for (int round = 0; round < ROUNDS; round++) {
            boolean v6 = round % 2 == 1;
            int family = v6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET;
            try (NativeSocket l = NativeSocket.open(family, NativeSocket.SOCK_STREAM)) {
                l.bind(v6 ? Inet6SockAddr.loopback(0) : Inet4SockAddr.loopback(0));
                l.listen(1);
                count(outcomes, "accept", closeWhileBlocked(l, accept4, NativeSocket::accept));
            }
            try (NativeSocket u = NativeSocket.open(family, NativeSocket.SOCK_DGRAM)) {
                u.bind(v6 ? Inet6SockAddr.loopback(0) : Inet4SockAddr.loopback(0));
                count(outcomes, "recvfrom", closeWhileBlocked(u, recvfrom, s -> s.recvFrom(new byte[64])));
            }
        }
        // connect: blocked on a full accept queue (listen(0), one connection queued)
        for (int round = 0; round < 20; round++) {
            try (NativeSocket l = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
                 NativeSocket first = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
                l.bind(Inet4SockAddr.loopback(0));
                l.listen(0);
                first.connect(l.localAddress());
                NativeSocket c = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
                count(outcomes, "connect", closeWhileBlocked(c, connect, s -> {
                    s.connect(l.localAddress());
                    return "connected";
                }));
            }
        }
        long after = FaultSupport.openDescriptors();
        assertEquals(before, after, "descriptors leaked over " + ROUNDS + " rounds: " + outcomes);
        assertEquals(Map.of("accept blocked_then_closed", ROUNDS, "recvfrom blocked_then_closed", ROUNDS,
                "connect blocked_then_closed", 20), outcomes);
        for (Map.Entry<String, Integer> e : outcomes.entrySet()) {
            FaultSupport.record("ConcurrentCloseTest", e.getKey().replace(' ', '_'), e.getValue());
        }
        FaultSupport.record("ConcurrentCloseTest", "descriptors_before_after", before + "/" + after);
    }

    private static void count(Map<String, Integer> m, String call, String outcome) {
        m.merge(call + " " + outcome, 1, Integer::sum);
    }

    /**
     * Blocks a thread in op on s, waits until the kernel shows it in system call {@code nr},
     * closes s from this thread, and returns "blocked_then_closed" when op ended with an
     * asynchronous ClosedSocketException (anything else fails the test).
     */
    private static String closeWhileBlocked(NativeSocket s, int nr, Blocking op) throws Exception {
        CompletableFuture<Object> f = new CompletableFuture<>();
        AtomicInteger tid = new AtomicInteger();
        Thread t = new Thread(() -> {
            tid.set(FaultSupport.LIBC.gettid());
            try {
                f.complete(op.run(s));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.start();
        FaultSupport.awaitInSyscall(t, tid, nr, f);
        s.close();
        try {
            Object r = f.get(30, TimeUnit.SECONDS);
            fail("blocked call returned " + r + " after close");
            return "returned";
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ClosedSocketException x && x.isAsynchronous()) return "blocked_then_closed";
            throw new AssertionError("blocked call ended with " + c + " instead of an asynchronous ClosedSocketException", c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("blocked call was not woken by close()");
        } finally {
            t.join(5000);
        }
    }
}
