package io.dualsock.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.dualsock.Inet4SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.SockAddr;
import io.dualsock.SocketOptions;
import jnr.ffi.LastError;
import jnr.ffi.Runtime;

/**
 * Signals interrupting blocking calls. A thread blocked in accept, recv, recvfrom, poll, send
 * or connect is hit with SIGWINCH (a handler installed, so the signal interrupts the system
 * call) about every millisecond via tgkill(2). The sockets carry SO_RCVTIMEO/SO_SNDTIMEO, with
 * which Linux returns EINTR even for handlers installed with SA_RESTART (signal(7)); poll always
 * returns EINTR. Documented behaviour (dualsock.h, NativeSocket): the shim retries, connect is
 * awaited with poll and SO_ERROR, Java never sees EINTR: every call ends with its normal result.
 * A control calls libc's recv directly in the same setup and does see EINTR, proving the
 * signals really interrupted the calls.
 */
class SignalInterruptionTest {
    private static final Duration TIMEO = Duration.ofSeconds(30);
    private static final AtomicInteger HANDLED = new AtomicInteger();
    private static int sigwinch;
    private static sun.misc.SignalHandler previous;

    @BeforeAll
    static void installHandler() {
        FaultSupport.resetRecord("SignalInterruptionTest");
        sigwinch = jnr.constants.platform.Signal.SIGWINCH.intValue();
        previous = sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> HANDLED.incrementAndGet());
    }

    @AfterAll
    static void restoreHandler() {
        sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), previous);
    }

    /** The system call the shim's ds_poll blocks in: glibc's poll() uses poll where the kernel has it. */
    private static int pollSyscall() {
        return (int) io.dualsock.bindings.Constants.find("SYS_poll").orElse(io.dualsock.bindings.Constants.i("SYS_ppoll"));
    }

    /**
     * Runs op in a new thread; once the kernel shows that thread blocked in system call
     * {@code syscall} (a shim constant's name), hits it with signals, then lets it finish with release.
     */
    private static <T> T underSignals(String name, String syscall, Callable<T> op, Callable<Void> release) throws Exception {
        int nr = syscall.equals("SYS_poll") ? pollSyscall() : io.dualsock.bindings.Constants.i(syscall);
        AtomicInteger tid = new AtomicInteger();
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            tid.set(FaultSupport.LIBC.gettid());
            try {
                result.complete(op.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "blocked-" + name);
        t.start();
        FaultSupport.awaitInSyscall(t, tid, nr, result); // the first signal finds the call blocked
        int pid = FaultSupport.POSIX.getpid();
        int sent = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < end && !result.isDone()) {
            if (FaultSupport.LIBC.tgkill(pid, tid.get(), sigwinch) == 0) sent++;
            Thread.sleep(1);
        }
        assertTrue(!result.isDone(), name + " returned before it was released: " + (result.isDone() ? result.get() : ""));
        release.call();
        // keep interrupting while the call completes
        while (!result.isDone()) {
            if (FaultSupport.LIBC.tgkill(pid, tid.get(), sigwinch) == 0) sent++;
            Thread.sleep(1);
        }
        t.join(TimeUnit.SECONDS.toMillis(30));
        FaultSupport.record("SignalInterruptionTest", name + "_signals", sent);
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new AssertionError(name + " failed under signals (EINTR must not surface): " + e.getCause(), e.getCause());
        }
    }

    @Test
    void controlRawLibcRecvSeesEintr() throws Exception {
        try (FaultSupport.TcpPair pair = receiving()) {
            NativeSocket s = pair.server();
            ByteBuffer b = ByteBuffer.allocateDirect(16);
            long addr = io.dualsock.bindings.Native.address(b);
            AtomicInteger tid = new AtomicInteger();
            CompletableFuture<Integer> errno = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                tid.set(FaultSupport.LIBC.gettid());
                long rc = FaultSupport.LIBC.recv(s.fd(), addr, 16, 0);
                errno.complete(rc < 0 ? LastError.getLastError(Runtime.getSystemRuntime()) : 0);
            });
            t.start();
            while (tid.get() == 0) Thread.onSpinWait();
            int sent = 0;
            while (!errno.isDone() && sent < 10_000) {
                if (FaultSupport.LIBC.tgkill(FaultSupport.POSIX.getpid(), tid.get(), sigwinch) == 0) sent++;
                Thread.sleep(1);
            }
            t.join(10_000);
            assertEquals(jnr.constants.platform.Errno.EINTR.intValue(), errno.get(10, TimeUnit.SECONDS).intValue(),
                    "libc recv was not interrupted: the other tests would prove nothing");
            java.lang.ref.Reference.reachabilityFence(b);
            FaultSupport.record("SignalInterruptionTest", "control_raw_recv", "EINTR after " + sent + " signal(s)");
        }
    }

    @Test
    void blockedRecvIsNotInterrupted() throws Exception {
        try (FaultSupport.TcpPair pair = receiving()) {
            NativeSocket c = pair.client();
            NativeSocket s = pair.server();
            byte[] got = new byte[16];
            int n = underSignals("recv", "SYS_recvfrom", () -> s.recv(got), () -> {
                c.send("after signals".getBytes());
                return null;
            });
            assertEquals("after signals", new String(got, 0, n));
        }
    }

    @Test
    void blockedRecvFromIsNotInterrupted() throws Exception {
        try (NativeSocket r = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
             NativeSocket w = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM)) {
            r.bind(Inet4SockAddr.loopback(0));
            r.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, TIMEO);
            SockAddr to = r.localAddress();
            byte[] got = new byte[16];
            NativeSocket.ReceivedFrom rf = underSignals("recvfrom", "SYS_recvfrom", () -> r.recvFrom(got), () -> {
                w.sendTo("datagram".getBytes(), to);
                return null;
            });
            assertEquals("datagram", new String(got, 0, rf.length()));
            assertEquals(w.localAddress().port(), rf.source().port());
        }
    }

    @Test
    void blockedAcceptIsNotInterrupted() throws Exception {
        try (NativeSocket listener = listener(); NativeSocket c = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            listener.setOption(SocketOptions.SolSocket.SO_RCVTIMEO, TIMEO);
            NativeSocket.Accepted a = underSignals("accept", "SYS_accept4", listener::accept, () -> {
                c.connect(listener.localAddress());
                return null;
            });
            try (NativeSocket s = a.socket()) {
                assertEquals(c.localAddress(), a.peer());
            }
        }
    }

    @Test
    void blockedPollKeepsWaiting() throws Exception {
        try (NativeSocket r = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM);
             NativeSocket w = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_DGRAM)) {
            r.bind(Inet4SockAddr.loopback(0));
            SockAddr to = r.localAddress();
            int revents = underSignals("poll", "SYS_poll", () -> r.poll(NativeSocket.POLLIN, 30_000), () -> {
                w.sendTo(new byte[1], to);
                return null;
            });
            assertEquals(NativeSocket.POLLIN, revents);
        }
    }

    @Test
    void blockedSendOnFullBufferIsNotInterrupted() throws Exception {
        try (NativeSocket listener = listener(); NativeSocket c = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            c.setOption(SocketOptions.SolSocket.SO_SNDBUF, 4096);
            c.setOption(SocketOptions.SolSocket.SO_SNDTIMEO, TIMEO);
            c.connect(listener.localAddress());
            try (NativeSocket s = listener.accept().socket()) {
                ByteBuffer big = ByteBuffer.allocateDirect(4 << 20);
                for (int i = 0; i < big.capacity(); i++) big.put(i, (byte) (i * 13));
                CompletableFuture<Long> drained = new CompletableFuture<>();
                int[] calls = new int[1];
                long n = underSignals("send", "SYS_sendto", () -> {
                    // a signal may end a blocked send early with the count so far (not an error):
                    // send the rest, as any caller of send(2) must
                    while (big.hasRemaining()) {
                        c.send(big);
                        calls[0]++;
                    }
                    return (long) big.capacity();
                }, () -> {
                    Thread d = new Thread(() -> {
                        long total = 0;
                        byte[] b = new byte[65536];
                        try {
                            for (;;) {
                                int k = s.recv(b);
                                if (k <= 0) break;
                                for (int i = 0; i < k; i++) {
                                    if (b[i] != (byte) ((total + i) * 13)) throw new AssertionError("corrupt byte " + (total + i));
                                }
                                total += k;
                            }
                            drained.complete(total);
                        } catch (Throwable e) {
                            drained.completeExceptionally(e);
                        }
                    });
                    d.start();
                    return null;
                });
                c.shutdown(NativeSocket.SHUT_WR);
                assertEquals(n, drained.get(30, TimeUnit.SECONDS), "the receiver got exactly what send reported");
                FaultSupport.record("SignalInterruptionTest", "send_bytes_under_signals", n + " in " + calls[0] + " send calls");
            }
        }
    }

    @Test
    void blockedConnectIsAwaitedNotInterrupted() throws Exception {
        // listen(0) with one connection queued: the next SYN is dropped until accept() makes
        // room, so connect() blocks (the client retransmits its SYN after 1 s, 3 s, ...)
        try (NativeSocket listener = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
             NativeSocket first = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
             NativeSocket c = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            listener.bind(Inet4SockAddr.loopback(0));
            listener.listen(0);
            first.connect(listener.localAddress());
            c.setOption(SocketOptions.SolSocket.SO_SNDTIMEO, TIMEO);
            NativeSocket[] accepted = new NativeSocket[2];
            Boolean done = underSignals("connect", "SYS_connect", () -> {
                c.connect(listener.localAddress());
                return true;
            }, () -> {
                accepted[0] = listener.accept().socket();
                return null;
            });
            assertTrue(done);
            assertNotNull(c.peerAddress());
            accepted[1] = listener.accept().socket();
            assertEquals(c.localAddress(), accepted[1].peerAddress());
            c.send(new byte[] {42});
            byte[] one = new byte[1];
            assertEquals(1, accepted[1].recv(one));
            assertArrayEquals(new byte[] {42}, one);
            for (NativeSocket a : accepted) a.close();
        }
        FaultSupport.record("SignalInterruptionTest", "java_handler_runs", HANDLED.get());
    }

    private static NativeSocket listener() throws Exception {
        return FaultSupport.tcpListener(false, 8);
    }

    /** An IPv4 TCP connection whose accepted end has the receive time limit set. */
    private static FaultSupport.TcpPair receiving() throws Exception {
        FaultSupport.TcpPair pair = FaultSupport.tcpPair(false);
        pair.server().setOption(SocketOptions.SolSocket.SO_RCVTIMEO, TIMEO);
        return pair;
    }
}
