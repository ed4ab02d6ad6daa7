package io.dualsock.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.dualsock.ClosedSocketException;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.NativeSocketException;
import io.dualsock.testsupport.OnThread;

/**
 * Concurrent close of a socket blocked in accept, recvFrom or connect, many times over: the
 * blocked call ends with {@link ClosedSocketException} (never EBADF, never a hang, never a
 * call on a descriptor reused by someone else), and no descriptor is leaked over all rounds.
 * (NativeSocketCloseTest in java-api checks each case once; this repeats them under load.)
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
        for (int round = 0; round < ROUNDS; round++) {
            boolean v6 = round % 2 == 1;
            int family = v6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET;
            // accept
            try (NativeSocket l = FaultSupport.tcpListener(v6, 1)) {
                count(outcomes, "accept", closeWhileBlocked(l, NativeSocket::accept));
            }
            // recvfrom
            try (NativeSocket u = NativeSocket.open(family, NativeSocket.SOCK_DGRAM)) {
                u.bind(v6 ? Inet6SockAddr.loopback(0) : Inet4SockAddr.loopback(0));
                count(outcomes, "recvfrom", closeWhileBlocked(u, s -> s.recvFrom(new byte[64])));
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
                count(outcomes, "connect", closeWhileBlocked(c, s -> {
                    s.connect(l.localAddress());
                    return "connected";
                }));
            }
        }
        long after = FaultSupport.openDescriptors();
        assertEquals(before, after, "descriptors leaked over " + ROUNDS + " rounds: " + outcomes);
        for (Map.Entry<String, Integer> e : outcomes.entrySet()) {
            FaultSupport.record("ConcurrentCloseTest", e.getKey().replace(' ', '_'), e.getValue());
        }
        FaultSupport.record("ConcurrentCloseTest", "descriptors_before_after", before + "/" + after);
    }

    private static void count(Map<String, Integer> m, String call, String outcome) {
        m.merge(call + " " + outcome, 1, Integer::sum);
    }

    /** Blocks a thread in op on s, closes s from this thread, returns how op ended. */
    private static String closeWhileBlocked(NativeSocket s, Blocking op) throws Exception {
        OnThread<Object> call = OnThread.start("blocked", () -> op.run(s));
        Thread t = call.thread();
        CompletableFuture<Object> f = call.result();
        // wait until the call is inside the kernel (or as good as: the thread is running native code)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.RUNNABLE && System.nanoTime() < deadline) Thread.onSpinWait();
        Thread.sleep(2);
        s.close();
        try {
            Object r = f.get(30, TimeUnit.SECONDS);
            fail("blocked call returned " + r + " after close");
            return "returned";
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ClosedSocketException) return "ClosedSocketException";
            if (c instanceof NativeSocketException n && !"EBADF".equals(n.errnoName())) {
                // a connect aborted by close may report the kernel's reason; anything but EBADF
                return n.errnoName();
            }
            throw new AssertionError("blocked call ended with " + c, c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("blocked call was not woken by close()");
        } finally {
            t.join(5000);
        }
    }
}
