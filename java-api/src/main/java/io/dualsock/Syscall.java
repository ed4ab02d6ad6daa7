package io.dualsock;

import io.dualsock.bindings.Native;
import io.dualsock.bindings.Shim;

/**
 * The socket calls that go through {@link Descriptor#call}: their names in messages, what each
 * passes to the shim, and the detail a failure adds. A call site passes a constant, not a
 * capturing lambda, so nothing is allocated per call; one enum with switches rather than a class
 * per constant keeps class loading (a lab agent's first request) short. Sends and receives are
 * not here: {@link Transfer} and {@link DatagramBatch} write them out (hot path).
 */
enum Syscall {
    BIND("bind", false),
    LISTEN("listen", false),
    ACCEPT("accept", false),
    CONNECT("connect", true),
    CONNECT_TIMEOUT("connect", true),
    SHUTDOWN("shutdown", false),
    GETSOCKNAME("getsockname", false),
    GETPEERNAME("getpeername", false),
    GETSOCKOPT("getsockopt", false),
    SETSOCKOPT("setsockopt", false),
    SET_NONBLOCKING("fcntl", false),
    GET_NONBLOCKING("fcntl", false),
    POLL("poll", true),
    UDP_SEGMENT_SUPPORTED("getsockopt", false),
    EVENTFD_SIGNAL("write", false),
    EVENTFD_DRAIN("read", false);

    private static final Shim SHIM = Native.shim();

    /** The system call's name, as messages give it. */
    final String call;
    /**
     * True when a call that {@link Descriptor#close()} overlapped fails even if it returned a
     * result: a woken poll reports the hang-up as events, a connect is moot. Otherwise the result
     * stands (a connection accepted just as close() ran is real).
     */
    final boolean closeFails;

    Syscall(String call, boolean closeFails) {
        this.call = call;
        this.closeFails = closeFails;
    }

    /**
     * The shim call: {@code >= 0} or {@code -errno}. a and b are addresses (b also the length for
     * setsockopt), i and j ints, as each case shows.
     */
    int invoke(int fd, long a, long b, int i, int j) {
        return switch (this) {
            case BIND -> SHIM.ds_bind(fd, a);
            case LISTEN -> SHIM.ds_listen(fd, i);
            case ACCEPT -> SHIM.ds_accept(fd, a);
            case CONNECT -> SHIM.ds_connect(fd, a);
            case CONNECT_TIMEOUT -> SHIM.ds_connect_timeout(fd, a, i);
            case SHUTDOWN -> SHIM.ds_shutdown(fd, i);
            case GETSOCKNAME -> SHIM.ds_getsockname(fd, a);
            case GETPEERNAME -> SHIM.ds_getpeername(fd, a);
            case GETSOCKOPT -> SHIM.ds_getsockopt(fd, i, j, a, b);
            // b is the value's length: at most 64 bytes (Scratch.opt), so the cast is exact
            case SETSOCKOPT -> SHIM.ds_setsockopt(fd, i, j, a, (int) b);
            case SET_NONBLOCKING -> SHIM.ds_set_nonblocking(fd, i);
            case GET_NONBLOCKING -> SHIM.ds_get_nonblocking(fd);
            case POLL -> SHIM.ds_poll(fd, i, j);
            case UDP_SEGMENT_SUPPORTED -> SHIM.ds_udp_segment_supported(fd);
            case EVENTFD_SIGNAL -> SHIM.ds_eventfd_signal(fd);
            case EVENTFD_DRAIN -> SHIM.ds_eventfd_drain(fd);
        };
    }

    /** The bracketed detail of a failure message, or null; what is the address or option, if any. */
    String detail(int i, int j, Object what) {
        return switch (this) {
            case LISTEN -> "backlog " + i;
            case CONNECT -> "to " + what;
            case CONNECT_TIMEOUT -> "to " + what + " within " + i + " ms";
            case GETSOCKOPT, SETSOCKOPT -> what != null ? what.toString() : "level " + i + ", name " + j;
            case SET_NONBLOCKING -> "F_SETFL";
            case GET_NONBLOCKING -> "F_GETFL";
            case UDP_SEGMENT_SUPPORTED -> "UDP_SEGMENT";
            default -> what == null ? null : what.toString();
        };
    }
}
