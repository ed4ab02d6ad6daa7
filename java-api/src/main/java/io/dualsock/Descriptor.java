package io.dualsock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.time.Duration;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Shim;

/**
 * A socket descriptor and its state word (bit 31 closed, bits 0..30 the calls in progress),
 * shared by everything that calls the kernel on it ({@link NativeSocket}, {@link DatagramBatch}).
 * The descriptor is released by the last call to leave after {@link #close()}, so its number is
 * never reused while a call may still pass it to the kernel (docs/sockets.md, "NativeSocket:
 * errors, closing, buffers"). Kept apart from the socket so that a {@link java.lang.ref.Cleaner}
 * can close a forgotten one.
 */
final class Descriptor implements Runnable {
    private static final Shim SHIM = Native.shim();
    private static final int SHUT_RDWR = Constants.i("SHUT_RDWR");
    private static final int MSG_DONTWAIT = Constants.i("MSG_DONTWAIT");
    private static final int CLOSED = 0x8000_0000;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Descriptor.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The descriptor number; valid for a call only between {@link #begin} and {@link #end}. */
    final int fd;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /**
     * O_NONBLOCK as this library set it ({@code SOCK_NONBLOCK} at open, {@code setBlocking}). A
     * send or receive on such a socket carries {@code MSG_DONTWAIT} too, which changes nothing for
     * the kernel but tells the binding that the call cannot block (FFM then makes it critical).
     */
    volatile boolean nonBlocking;
    /** The direct buffers {@link Transfer} last used on this socket, with their addresses. */
    private Transfer.LastBuffer lastSent;
    private Transfer.LastBuffer lastReceived;

    /** The address of a direct buffer to send from, read once while the socket keeps using it. */
    long sendAddress(ByteBuffer direct) {
        Transfer.LastBuffer last = lastSent;
        if (last == null || last.buffer != direct) lastSent = last = new Transfer.LastBuffer(direct);
        return last.address;
    }

    /** The address of a direct buffer to receive into, read once while the socket keeps using it. */
    long receiveAddress(ByteBuffer direct) {
        Transfer.LastBuffer last = lastReceived;
        if (last == null || last.buffer != direct) lastReceived = last = new Transfer.LastBuffer(direct);
        return last.address;
    }

    Descriptor(int fd) {
        this.fd = fd;
    }

    /** flags for a send or receive: with {@code MSG_DONTWAIT} added when the socket is non-blocking. */
    int transferFlags(int flags) {
        return nonBlocking ? flags | MSG_DONTWAIT : flags;
    }

    boolean isOpen() {
        return (state & CLOSED) == 0;
    }

    /** Calls inside the native layer right now. */
    int inProgress() {
        return state & ~CLOSED;
    }

    /** Enters a call: counts it in, or throws when closed. @return the descriptor number */
    int begin(String call) throws ClosedSocketException {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) throw ClosedSocketException.before(call);
            if (STATE.weakCompareAndSet(this, s, s + 1)) return fd;
        }
    }

    /** Leaves a call; the last one out after close releases the descriptor. @return closed meanwhile */
    boolean end() {
        int s = (int) STATE.getAndAdd(this, -1) - 1;
        if (s == CLOSED) {
            SHIM.ds_close(fd);
            return true;
        }
        return (s & CLOSED) != 0;
    }

    /**
     * Marks the descriptor closed; wakes calls in progress with {@code shutdown(2)}, else
     * {@code close(2)}s it here. Idempotent. It counts itself as a call so the number stays
     * ours until shutdown has run.
     */
    void close() {
        for (;;) {
            int s = state;
            if ((s & CLOSED) != 0) return;
            if (STATE.weakCompareAndSet(this, s, (s | CLOSED) + 1)) {
                if (s != 0) {
                    // Wakes calls blocked on this socket; on an unconnected socket it reports
                    // ENOTCONN yet still marks the socket shut and wakes the waiters (Linux).
                    SHIM.ds_shutdown(fd, SHUT_RDWR);
                }
                end();
                return;
            }
        }
    }

    /** The {@link java.lang.ref.Cleaner} action: {@link #close()}. */
    @Override
    public void run() {
        close();
    }

    // ---- the one call path for every call that is not a send or receive ----

    /** {@link #call(Object, Syscall, long, long, int, int, Object)} with no arguments. */
    int call(Object owner, Syscall op) throws NativeSocketException {
        return call(owner, op, 0, 0, 0, 0, null);
    }

    /** {@link #call(Object, Syscall, long, long, int, int, Object)} with one int argument. */
    int call(Object owner, Syscall op, int i) throws NativeSocketException {
        return call(owner, op, 0, 0, i, 0, null);
    }

    /** {@link #call(Object, Syscall, long, long, int, int, Object)} with two int arguments. */
    int call(Object owner, Syscall op, int i, int j) throws NativeSocketException {
        return call(owner, op, 0, 0, i, j, null);
    }

    /** {@link #call(Object, Syscall, long, long, int, int, Object)} with one address. */
    int call(Object owner, Syscall op, long a, Object what) throws NativeSocketException {
        return call(owner, op, a, 0, 0, 0, what);
    }

    /**
     * Makes one call inside {@link #begin}/{@link #end} and returns its non-negative result, or
     * throws what {@link #failure} makes of a {@code -errno} or a close race. Allocates nothing
     * unless it throws: op is an enum constant, what is only read to describe a failure.
     *
     * @param owner kept reachable until the call is over (the object whose Cleaner closes us)
     * @param what the address or option the call is about, for the message; may be null
     */
    int call(Object owner, Syscall op, long a, long b, int i, int j, Object what) throws NativeSocketException {
        begin(op.call);
        int rc;
        boolean closed;
        try {
            rc = op.invoke(fd, a, b, i, j);
        } finally {
            closed = end();
        }
        Reference.reachabilityFence(owner);
        if (rc < 0 || (closed && op.closeFails)) throw failure(closed, op.call, rc, op.detail(i, j, what));
        return rc;
    }

    /**
     * The one place a failed call becomes an exception: {@link ClosedSocketException} when
     * {@link #close()} ran meanwhile, else {@link NativeSocketException} for {@code rc = -errno}.
     *
     * @param detail appended in brackets (an address, an option), or null
     */
    static NativeSocketException failure(boolean closedMeanwhile, String call, long rc, String detail) {
        return closedMeanwhile ? ClosedSocketException.during(call, rc) : NativeSocketException.of(call, rc, detail);
    }

    /** A time limit in whole milliseconds for the shim, rounded up; refused when negative or above int. */
    static int timeoutMillis(String call, Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException(call + ": timeout must not be negative: " + timeout);
        long ms;
        try {
            ms = timeout.toMillis();
            if (timeout.getNano() % 1_000_000 != 0) ms++; // rounded up: a 1 ns limit is not "return at once"
        } catch (ArithmeticException e) {
            ms = Long.MAX_VALUE;
        }
        if (ms > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(call + ": timeout above " + Integer.MAX_VALUE + " ms: " + timeout);
        }
        return (int) ms;
    }
}
