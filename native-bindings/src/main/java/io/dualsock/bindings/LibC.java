package io.dualsock.bindings;

import jnr.ffi.annotations.IgnoreError;

/**
 * The few libc calls the Java side makes directly, for diagnostics and tests (descriptor
 * bookkeeping). The socket and resolver calls go through {@link Shim}, which returns
 * {@code -errno} instead of leaving it in the thread-local errno.
 */
public interface LibC {
    @IgnoreError int getpid();

    /** dup(2); -1 on failure (errno not kept: callers only need success or not). */
    @IgnoreError int dup(int fd);

    @IgnoreError int close(int fd);
}
