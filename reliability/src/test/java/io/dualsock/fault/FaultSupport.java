package io.dualsock.fault;

import io.dualsock.testsupport.Prerequisite;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.NativeSocket;
import io.dualsock.bindings.LibC;
import io.dualsock.bindings.Native;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** What the fault tests share: descriptor counts, raw libc for injecting faults, figures for the report. */
final class FaultSupport {
    private FaultSupport() {}

    /** libc calls used to inject faults (not to do the work under test, which goes through dualsock). */
    static final LibC LIBC = Native.libc();

    /** getpid from jnr-posix, for tgkill. */
    static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    /** A TCP socket listening on the loopback address of that family, on a port the kernel chose. */
    static NativeSocket tcpListener(boolean v6, int backlog) throws IOException {
        NativeSocket l = NativeSocket.open(v6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
        try {
            l.bind(v6 ? Inet6SockAddr.loopback(0) : Inet4SockAddr.loopback(0));
            l.listen(backlog);
            return l;
        } catch (IOException | RuntimeException e) {
            l.close();
            throw e;
        }
    }

    /** A TCP connection on loopback: the connecting socket and the one accept returned. */
    record TcpPair(NativeSocket client, NativeSocket server) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    /** A fresh {@link TcpPair} of that family (its listener is closed again). */
    static TcpPair tcpPair(boolean v6) throws IOException {
        try (NativeSocket l = tcpListener(v6, 1)) {
            NativeSocket c = NativeSocket.open(v6 ? NativeSocket.AF_INET6 : NativeSocket.AF_INET, NativeSocket.SOCK_STREAM);
            try {
                c.connect(l.localAddress());
                return new TcpPair(c, l.accept().socket());
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
    }

    /** Open descriptors of this process (the directory listing's own descriptor included, every time). */
    static long openDescriptors() {
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Open sockets of this process (descriptors linking to {@code socket:[inode]}): what a socket
     * leak changes, unlike the jar files and devices the JVM opens lazily on first use.
     */
    static long openSockets() {
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            return s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while listed
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #openSockets()} once it equals {@code expected}, or after {@code millis} whatever it
     * is then: a socket closed by another thread's last call out may be released a moment later.
     */
    static long awaitSockets(long expected, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long n = openSockets();
        while (n != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            n = openSockets();
        }
        return n;
    }

    /** Resident set size in KiB (VmRSS). */
    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return -1;
    }

    /** Skips outside CI, fails in CI, when a prerequisite is missing. */
    static void require(boolean ok, String why) {
        Prerequisite.require(ok, why);
    }

    /**
     * Records one figure for docs/reliability.md: a "key=value" line in
     * target/reliability/&lt;test&gt;.properties (read by bin/reliability-report).
     */
    static synchronized void record(String test, String key, Object value) {
        Path dir = Paths.get(System.getProperty("ds.reliability.out", "target/reliability"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(test + ".properties"), key + "=" + value + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a fresh record file for a test class. */
    static synchronized void resetRecord(String test) {
        Path dir = Paths.get(System.getProperty("ds.reliability.out", "target/reliability"));
        try {
            Files.deleteIfExists(dir.resolve(test + ".properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits (bounded) until {@code /proc/self/task/<tid>/syscall} starts with {@code nr}: the
     * kernel shows the thread inside that system call (a running thread shows "running"; one in
     * the JVM's own waits shows futex). Fails when the call ends first or never gets there.
     */
    static void awaitInSyscall(Thread t, AtomicInteger tid, int nr, CompletableFuture<?> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tid.get() == 0) Thread.onSpinWait();
        Path file = Path.of("/proc/self/task/" + tid.get() + "/syscall");
        String last = "";
        while (System.nanoTime() < deadline) {
            if (done.isDone()) fail("the call ended before it was seen blocked: " + (done.isCompletedExceptionally() ? "exception" : done.get()));
            try {
                last = Files.readString(file).trim();
            } catch (IOException e) {
                last = e.toString();
            }
            String first = last.split(" ", 2)[0];
            if (first.equals(Integer.toString(nr))) return;
            Thread.sleep(1);
        }
        fail(t.getName() + " was never seen in system call " + nr + " (last " + file + ": " + last + ")");
    }
}
