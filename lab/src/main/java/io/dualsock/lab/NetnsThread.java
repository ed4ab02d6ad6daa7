package io.dualsock.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Errors;
import io.dualsock.bindings.LibC;
import io.dualsock.bindings.Native;
import jnr.ffi.LastError;
import jnr.ffi.Runtime;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Runs code on a fresh thread that has joined a lab host's network namespace with
 * {@code setns(2)}; the thread ends with the code, so no pooled thread is ever left in a
 * foreign namespace.
 *
 * <p>What this changes and what it does not: a network namespace belongs to a thread, so
 * sockets this thread opens (and keep, whichever thread later uses them) live in the host's
 * namespace, and {@code /proc/thread-self/net} shows that namespace's counters. The mount
 * namespace cannot be changed per thread (the JVM's threads share their filesystem context,
 * and {@code setns(CLONE_NEWNS)} refuses such a thread), so {@code /etc/hosts},
 * {@code nsswitch.conf} and {@code resolv.conf} stay the machine's own: a host's name table
 * applies only to processes started in it ({@link LabHost#exec}, {@link LabHost#runJava}).
 */
final class NetnsThread {
    private NetnsThread() {}

    /** open and close from jnr-posix, setns from the project's libc binding; both keep errno. */
    private static final class Posix {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }

    static <T> T call(String namespace, Callable<T> body) throws Exception {
        Netns.check(namespace);
        Path handle = Netns.RUN_NETNS.resolve(namespace);
        if (!Files.exists(handle)) throw new LabException("no network namespace " + namespace);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                enter(handle);
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "ds-lab-netns-" + namespace);
        t.setDaemon(true);
        t.start();
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception ex) throw ex;
        if (e instanceof Error err) throw err;
        if (e != null) throw new ExecutionException(e);
        return result.get();
    }

    /** open(handle, O_RDONLY|O_CLOEXEC); setns(fd, CLONE_NEWNET); close(fd); then checks the result. */
    private static void enter(Path handle) {
        POSIX posix = Posix.POSIX;
        LibC c = Native.libc();
        int fd = posix.open(handle.toString(), Constants.i("O_RDONLY") | Constants.i("O_CLOEXEC"), 0);
        if (fd < 0) throw fail("open(" + handle + ")", posix.errno());
        int rc = c.setns(fd, Constants.i("CLONE_NEWNET"));
        int err = LastError.getLastError(Runtime.getRuntime(c));
        posix.close(fd);
        if (rc != 0) throw fail("setns(" + handle + ", CLONE_NEWNET)", err);
        // Proof, not trust: the thread's namespace must now be the handle's (same inode).
        try {
            Object want = Files.getAttribute(handle, "unix:ino");
            Object have = Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino");
            if (!want.equals(have)) {
                throw new LabException("setns reported success but the thread is in namespace inode " + have + ", not " + want);
            }
        } catch (java.io.IOException e) {
            throw new LabException("cannot check the thread's namespace: " + e.getMessage(), e);
        }
    }

    private static LabException fail(String call, int errno) {
        return new LabException(call + " failed: " + Errors.errnoName(errno) + " (" + Errors.strerror(errno) + ")");
    }
}
