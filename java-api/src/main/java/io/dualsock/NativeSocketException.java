package io.dualsock;

import java.io.IOException;

import io.dualsock.bindings.Errors;

/**
 * A failed socket system call: the call's name, the errno value and name, and the system's
 * {@code strerror(3)} text, e.g. {@code connect failed: ECONNREFUSED (111): Connection refused}.
 * This is the one place where native failures become exceptions.
 */
public class NativeSocketException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;
    private final String errnoName;

    NativeSocketException(String call, int errno, String detail) {
        super(call + " failed: " + Errors.errnoName(errno) + " (" + errno + "): " + Errors.strerror(errno)
                + (detail == null ? "" : " [" + detail + "]"));
        this.call = call;
        this.errno = errno;
        this.errnoName = Errors.errnoName(errno);
    }

    /** For a shim return value {@code rc < 0}, i.e. {@code -errno}. */
    static NativeSocketException of(String call, long rc) {
        return new NativeSocketException(call, (int) -rc, null);
    }

    static NativeSocketException of(String call, long rc, String detail) {
        return new NativeSocketException(call, (int) -rc, detail);
    }

    /** The system call, e.g. "connect". */
    public String call() { return call; }

    /** errno value, e.g. 111. */
    public int errno() { return errno; }

    /** errno name, e.g. "ECONNREFUSED". */
    public String errnoName() { return errnoName; }
}
