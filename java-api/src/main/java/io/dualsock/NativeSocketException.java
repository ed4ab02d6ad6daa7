package io.dualsock;

import java.io.IOException;

import io.dualsock.bindings.Errors;

/**
 * A failed socket system call: the call's name, the errno value and name, and the system's
 * {@code strerror(3)} text, e.g. {@code connect failed: ECONNREFUSED (111): Connection refused}.
 * This is the one place where native failures become exceptions.
 *
 * <p>The subclass {@link ClosedSocketException} reports a call on a socket that
 * {@link NativeSocket#close()} closed; no system call failed there, so its {@link #errno()} is 0.
 */
public class NativeSocketException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The failing call, e.g. {@code connect}. */
    private final String call;
    /** The errno value. */
    private final int errno;
    /** The errno name, e.g. {@code ECONNREFUSED}. */
    private final String errnoName;

    NativeSocketException(String call, int errno, String detail) {
        super(call + " failed: " + Errors.errnoName(errno) + " (" + errno + "): " + Errors.strerror(errno)
                + (detail == null ? "" : " [" + detail + "]"));
        this.call = call;
        this.errno = errno;
        this.errnoName = Errors.errnoName(errno);
    }

    /** A complete message that is not an errno report (see {@link ClosedSocketException}). */
    NativeSocketException(String call, String message, int errno, String errnoName) {
        super(message);
        this.call = call;
        this.errno = errno;
        this.errnoName = errnoName;
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

    /** errno value, e.g. 111; 0 for a {@link ClosedSocketException}. */
    public int errno() { return errno; }

    /** errno name, e.g. "ECONNREFUSED"; null for a {@link ClosedSocketException}. */
    public String errnoName() { return errnoName; }
}
