package io.dualsock;

/**
 * A call on a {@link NativeSocket} that has been closed with {@link NativeSocket#close()}.
 *
 * <p>It is a {@link NativeSocketException} (so one {@code catch} handles every socket failure)
 * whose {@link #errno()} is 0 and {@link #errnoName()} null: it is not a kernel error. In
 * particular it is never {@code EBADF}, because dualsock never passes a descriptor it has
 * closed to the kernel: that number may already belong to another file of this process.
 *
 * <p>Two cases, told apart by {@link #isAsynchronous()}:
 * <ul>
 *   <li>the socket was already closed when the call began: no system call was made;
 *   <li>{@code close()} ran on another thread while this call was in progress (typically
 *       blocked in {@code accept}, {@code recv}, {@code recvfrom}, {@code poll} or
 *       {@code connect}); close woke it with {@code shutdown(SHUT_RDWR)} and whatever the woken
 *       call returned is reported in the message, not as the result.
 * </ul>
 */
public final class ClosedSocketException extends NativeSocketException {
    private static final long serialVersionUID = 1L;

    /** Whether another thread closed the socket while this call was in it. */
    private final boolean asynchronous;

    private ClosedSocketException(String call, String message, boolean asynchronous) {
        super(call, message, 0, null);
        this.asynchronous = asynchronous;
    }

    static ClosedSocketException before(String call) {
        return new ClosedSocketException(call, call + " failed: socket is closed (NativeSocket.close() was called;"
                + " no system call made)", false);
    }

    /** @param rc what the woken call returned: a count, or -errno */
    static ClosedSocketException during(String call, long rc) {
        String woke = rc < 0 ? io.dualsock.bindings.Errors.errnoName((int) -rc) : Long.toString(rc);
        return new ClosedSocketException(call, call + " failed: socket closed by NativeSocket.close() on another"
                + " thread while the call was in progress (woken by shutdown(SHUT_RDWR), the call returned "
                + woke + ")", true);
    }

    /** True when the socket was closed while this call was in progress, false when before it. */
    public boolean isAsynchronous() {
        return asynchronous;
    }
}
