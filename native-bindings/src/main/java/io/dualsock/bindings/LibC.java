package io.dualsock.bindings;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;

/**
 * The project's one binding of libc itself ({@link Native#libc()}), for the few calls that
 * neither the shim nor jnr-posix makes: Linux- and glibc-specific ones, and a raw
 * {@code recv(2)} that tests use as the control for the shim's. The socket and resolver calls go
 * through {@link Shim}; what jnr-posix already has (effective uid, pid, {@code kill}, rlimits,
 * {@code isatty}, {@code open}/{@code close}) comes from jnr-posix, in the modules that use it.
 *
 * <p>jnr-ffi resolves each symbol when the library loads and turns a missing one into an
 * {@link UnsatisfiedLinkError} at the first call: callers of the glibc-only functions catch it.
 * Calls without {@code @IgnoreError} keep errno, read with {@code jnr.ffi.LastError}.
 */
public interface LibC {
    /** setns(2): moves the calling thread into the namespace {@code fd} refers to; -1 and errno on failure. */
    int setns(int fd, int nstype);

    /** gnu_get_libc_version(3): glibc's version string; missing (UnsatisfiedLinkError) on other C libraries. */
    @IgnoreError String gnu_get_libc_version();

    /** gettid(2) (glibc 2.30+): the calling thread's id, for {@link #tgkill}. */
    @IgnoreError int gettid();

    /** tgkill(2): a signal to one thread of a process; 0 or -1. */
    @IgnoreError int tgkill(int tgid, int tid, int sig);

    /** recv(2) straight into libc, errno kept and no EINTR retry: the control for the shim's recv. */
    long recv(int fd, long buf, long len, int flags);

    /**
     * mallinfo2(3) (glibc 2.33+). Its 80-byte struct is returned through a hidden pointer that
     * the x86_64 ABI passes first, so only there may it be called as {@code mallinfo2(out)}.
     */
    @IgnoreError Pointer mallinfo2(Pointer sret);
}
