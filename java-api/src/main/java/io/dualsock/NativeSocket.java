package io.dualsock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.bindings.Shim;

/**
 * An {@code AF_INET} or {@code AF_INET6} socket driven by the kernel's own system calls, one
 * Java method per call, through the dualsock shim. Nothing is translated on the way: addresses
 * are passed and returned exactly as {@code struct sockaddr_in}/{@code sockaddr_in6} hold them
 * (an IPv4 peer of a dual-stack {@code AF_INET6} socket is {@code ::ffff:a.b.c.d}), option
 * values are what {@code getsockopt(2)} reports, and errors are the kernel's errno.
 *
 * <h2>Errors</h2>
 * A failed call throws {@link NativeSocketException} with the call's name, errno name and
 * number, and {@code strerror(3)} text, e.g. {@code connect failed: ECONNREFUSED (111):
 * Connection refused [to 127.0.0.1:1]}. A non-blocking call that would block, or a receive that
 * ran into {@code SO_RCVTIMEO}, throws it with {@code EAGAIN}, exactly as C sees it. Argument
 * mistakes ({@code null}, a read-only buffer to receive into, offsets outside an array, an
 * address of the wrong family, a negative timeout or backlog) are refused in Java before any
 * native call with {@link NullPointerException}, {@link IllegalArgumentException} or
 * {@link IndexOutOfBoundsException}.
 *
 * <h2>EINTR</h2>
 * Handled in exactly one layer, the C shim ({@code dualsock.h}): every blocking call is retried
 * there when a signal interrupts it, except {@code connect}, whose interrupted attempt goes on
 * in the kernel and is awaited with {@code poll(2)} and {@code SO_ERROR}, and {@code close},
 * which is never retried (Linux releases the descriptor anyway). Java never sees {@code EINTR}.
 *
 * <h2>Closing and threads</h2>
 * All methods are thread-safe in the kernel's sense: several threads may call into one socket
 * (one blocked in {@code recvfrom} while another sends). {@link #close()} is idempotent and
 * safe against descriptor reuse. An atomic state word holds a closed bit and the number of
 * calls in progress; every call increments it around its native call. {@code close()} sets the
 * closed bit and, when calls are in progress, calls {@code shutdown(fd, SHUT_RDWR)}, which on
 * Linux wakes threads blocked in {@code accept}, {@code recv}, {@code recvfrom} and
 * {@code poll} on this socket; the last call to leave (or {@code close()} itself when there is
 * none) really closes the descriptor. Until then the descriptor number stays taken, so it can
 * never be reused by another file while a call might still pass it to the kernel. Calls made
 * after {@code close()}, and calls that close interrupted, throw {@link ClosedSocketException}
 * (a {@link NativeSocketException} subclass naming the call), never {@code EBADF}. Limits:
 * {@code shutdown} wakes only calls that are already waiting on the socket; a thread that
 * enters a blocking {@code connect} in the instant after {@code close()} has shut the socket down
 * is not woken until that connect ends. A socket that becomes unreachable without
 * {@code close()} is closed by a {@link Cleaner}.
 *
 * <h2>Buffers</h2>
 * {@code send}/{@code recv}/{@code sendTo}/{@code recvFrom} take {@link ByteBuffer}s like NIO
 * channels: the bytes between position and limit are used, and the position advances by the
 * count transferred. Direct buffers are handed to the kernel in place, with no copy. Heap
 * buffers and {@code byte[]} go through a per-thread direct buffer (one copy); on a stream
 * socket at most 1 MiB is copied per call (a short send/recv, as the kernel may also give).
 * The variants {@link #sendTo(ByteBuffer, EncodedSockAddr)} and
 * {@link #recvFrom(ByteBuffer, SockAddrHolder)} allocate nothing per call.
 */
public final class NativeSocket implements AutoCloseable {
    /** {@code AF_INET}, this platform's value. */
    public static final int AF_INET = Platform.AF_INET;
    /** {@code AF_INET6}, this platform's value. */
    public static final int AF_INET6 = Platform.AF_INET6;
    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = Platform.SOCK_STREAM;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = Platform.SOCK_DGRAM;
    /** {@code shutdown(2)} {@code how} values. */
    public static final int SHUT_RD = Constants.i("SHUT_RD");
    public static final int SHUT_WR = Constants.i("SHUT_WR");
    public static final int SHUT_RDWR = Constants.i("SHUT_RDWR");
    /** {@code poll(2)} event bits. */
    public static final int POLLIN = Constants.i("POLLIN");
    public static final int POLLPRI = Constants.i("POLLPRI");
    public static final int POLLOUT = Constants.i("POLLOUT");
    public static final int POLLERR = Constants.i("POLLERR");
    public static final int POLLHUP = Constants.i("POLLHUP");
    public static final int POLLNVAL = Constants.i("POLLNVAL");
    public static final int POLLRDHUP = Constants.i("POLLRDHUP");
    /** {@code send(2)}/{@code recv(2)} flags ({@code MSG_NOSIGNAL} is always added to sends). */
    public static final int MSG_PEEK = Constants.i("MSG_PEEK");
    public static final int MSG_DONTWAIT = Constants.i("MSG_DONTWAIT");
    public static final int MSG_TRUNC = Constants.i("MSG_TRUNC");
    public static final int MSG_WAITALL = Constants.i("MSG_WAITALL");

    private static final int TYPE_FLAGS = Constants.i("SOCK_NONBLOCK") | Constants.i("SOCK_CLOEXEC");
    private static final Shim SHIM = Native.shim();
    private static final Cleaner CLEANER = Cleaner.create();
    /** Most bytes copied per call between a heap buffer and the kernel on a stream socket. */
    private static final int MAX_COPY = 1 << 20;
    private static final int OPT_VALUE_AT = 8;

    /**
     * The descriptor and its state word: bit 31 closed, bits 0..30 the calls in progress. Kept
     * apart from the socket so that the {@link Cleaner} can close a forgotten descriptor.
     */
    private static final class Fd implements Runnable {
        private static final int CLOSED = 0x8000_0000;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Fd.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final int fd;
        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;

        Fd(int fd) {
            this.fd = fd;
        }

        boolean isOpen() {
            return (state & CLOSED) == 0;
        }

        int inProgress() {
            return state & ~CLOSED;
        }

        void begin(String call) throws ClosedSocketException {
            for (;;) {
                int s = state;
                if ((s & CLOSED) != 0) throw ClosedSocketException.before(call);
                if (STATE.weakCompareAndSet(this, s, s + 1)) return;
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

        /** close(): counts itself as a call in progress so that fd stays ours until shutdown has run. */
        @Override
        public void run() {
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
    }

    /** Per-thread native memory for addresses, option values and heap-buffer copies. */
    private static final class Scratch {
        final ByteBuffer sa = ByteBuffer.allocateDirect(Platform.HOLDER_SIZE).order(ByteOrder.nativeOrder());
        final long saAddr = Native.address(sa);
        final SockAddrHolder holder = new SockAddrHolder();
        final ByteBuffer opt = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        final long optAddr = Native.address(opt);
        ByteBuffer data = ByteBuffer.allocateDirect(16 * 1024);

        /** A direct buffer of at least n bytes: the cached one, grown up to 1 MiB, else a one-off. */
        ByteBuffer data(int n) {
            if (n <= data.capacity()) return data;
            if (n > MAX_COPY) return ByteBuffer.allocateDirect(n);
            data = ByteBuffer.allocateDirect(Math.max(n, Math.min(MAX_COPY, data.capacity() * 2)));
            return data;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * The result of {@link #accept()}.
     *
     * @param socket the new connected socket (close-on-exec; blocking, whatever the listener's mode)
     * @param peer the peer address exactly as {@code accept4(2)} reported it
     */
    public record Accepted(NativeSocket socket, SockAddr peer) {}

    /**
     * The result of {@link #recvFrom(byte[], int, int)}.
     *
     * @param length what {@code recvfrom(2)} returned (with {@code MSG_TRUNC}, the datagram's
     *     real length, which may exceed the bytes stored)
     * @param source the source address as the kernel gave it, or null when it gave none (a
     *     stream socket)
     */
    public record ReceivedFrom(int length, SockAddr source) {}

    private final Fd fd;
    private final int family;
    private final int type;
    private final Cleaner.Cleanable cleanable;

    private NativeSocket(int fd, int family, int type) {
        this.fd = new Fd(fd);
        this.family = family;
        this.type = type;
        this.cleanable = CLEANER.register(this, this.fd);
    }

    // ---- creation ----

    /** {@code socket(family, type, 0)}; see {@link #open(int, int, int)}. */
    public static NativeSocket open(int family, int type) throws NativeSocketException {
        return open(family, type, 0);
    }

    /**
     * {@code socket(2)} with {@code SOCK_CLOEXEC} added, so the descriptor is not inherited by
     * programs this process executes. Does not set any option ({@code IPV6_V6ONLY} keeps the
     * {@code net.ipv6.bindv6only} default, {@code SO_REUSEADDR} stays off).
     *
     * @param family {@link #AF_INET} or {@link #AF_INET6}
     * @param type {@link #SOCK_STREAM} or {@link #SOCK_DGRAM} (other types and the
     *     {@code SOCK_NONBLOCK} flag are passed to the kernel as given)
     * @param protocol 0 for the type's default, or an {@code IPPROTO_*} value
     * @throws IllegalArgumentException for a family other than AF_INET/AF_INET6 (dualsock reads
     *     and writes only those addresses)
     * @throws NativeSocketException with the kernel's errno, e.g. {@code EPROTONOSUPPORT}
     */
    public static NativeSocket open(int family, int type, int protocol) throws NativeSocketException {
        if (family != AF_INET && family != AF_INET6) {
            throw new IllegalArgumentException("NativeSocket supports AF_INET and AF_INET6 only, got "
                    + Names.family(family));
        }
        int rc = SHIM.ds_socket(family, type, protocol);
        if (rc < 0) {
            throw NativeSocketException.of("socket", rc,
                    Names.family(family) + ", " + Names.socktype(type) + ", " + Names.protocol(protocol));
        }
        return new NativeSocket(rc, family, type & ~TYPE_FLAGS);
    }

    // ---- state ----

    /** The family given to {@code socket(2)}: {@link #AF_INET} or {@link #AF_INET6}. No system call. */
    public int family() {
        return family;
    }

    /** The type given to {@code socket(2)} without flag bits ({@link #SOCK_STREAM}, ...). No system call. */
    public int type() {
        return type;
    }

    /**
     * The descriptor number, for diagnostics only (never close it or pass it on: this object
     * owns it); -1 once {@link #close()} was called.
     */
    public int fd() {
        return fd.isOpen() ? fd.fd : -1;
    }

    /** False once {@link #close()} was called. */
    public boolean isOpen() {
        return fd.isOpen();
    }

    /** Calls inside the native layer right now (tests use it to close during a blocked call). */
    int callsInProgress() {
        return fd.inProgress();
    }

    private boolean end() {
        boolean closed = fd.end();
        // The socket must stay reachable until the native call is over, or the Cleaner could
        // close the descriptor under it.
        Reference.reachabilityFence(this);
        return closed;
    }

    private static NativeSocketException failure(boolean closedMeanwhile, String call, long rc, String detail) {
        return closedMeanwhile ? ClosedSocketException.during(call, rc) : NativeSocketException.of(call, rc, detail);
    }

    // ---- addresses ----

    private void checkFamily(String call, SockAddr a) {
        if (a.family() == family) return;
        if (family == AF_INET) {
            Inet6SockAddr a6 = (Inet6SockAddr) a;
            throw new IllegalArgumentException(call + ": an AF_INET socket cannot take the IPv6 address " + a
                    + ": struct sockaddr_in has room for 4 address bytes, not 16 (Linux would answer EAFNOSUPPORT,"
                    + " as `dualsock demo` shows through the raw shim)" + (a6.isV4Mapped() ? "; " + a + ".v4() is " + a6.v4() : "; use an AF_INET6 socket"));
        }
        Inet4SockAddr a4 = (Inet4SockAddr) a;
        throw new IllegalArgumentException(call + ": an AF_INET6 socket takes a struct sockaddr_in6, and " + a
                + " is IPv4. dualsock does not map it silently: pass " + a + ".toMapped(), i.e. " + a4.toMapped()
                + ", to reach IPv4 through this socket, or use an AF_INET socket");
    }

    private long encode(String call, SockAddr a, Scratch sc) {
        Objects.requireNonNull(a, "address");
        checkFamily(call, a);
        SockAddrCodec.encode(a, sc.sa, 0);
        return sc.saAddr;
    }

    // ---- bind, listen, accept, connect, shutdown ----

    /**
     * {@code bind(2)}: gives the socket its local address. Port 0 lets the kernel choose (read
     * it back with {@link #localAddress()}). Sets no option: for a dual-stack server set
     * {@code IPV6_V6ONLY} before binding {@code ::}.
     *
     * @throws IllegalArgumentException when the address family differs from the socket's
     * @throws NativeSocketException e.g. {@code EADDRINUSE}, {@code EADDRNOTAVAIL}
     */
    public void bind(SockAddr local) throws NativeSocketException {
        long sa = encode("bind", local, SCRATCH.get());
        fd.begin("bind");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_bind(fd.fd, sa);
        } finally {
            closed = end();
        }
        if (rc < 0) throw failure(closed, "bind", rc, local.toString());
    }

    /**
     * {@code listen(2)}. The kernel silently caps the backlog at {@code net.core.somaxconn}.
     *
     * @throws IllegalArgumentException when backlog is negative
     */
    public void listen(int backlog) throws NativeSocketException {
        if (backlog < 0) throw new IllegalArgumentException("backlog must not be negative: " + backlog);
        fd.begin("listen");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_listen(fd.fd, backlog);
        } finally {
            closed = end();
        }
        if (rc < 0) throw failure(closed, "listen", rc, "backlog " + backlog);
    }

    /**
     * {@code accept4(2)} with {@code SOCK_CLOEXEC}: waits for a connection (unless non-blocking:
     * then {@code EAGAIN}) and returns it with the peer address exactly as the kernel reported
     * it; on a dual-stack {@code AF_INET6} listener an IPv4 client is {@code ::ffff:a.b.c.d}.
     * The new socket is blocking and has the listener's family and type.
     *
     * @throws ClosedSocketException when {@link #close()} is or was called (a blocked accept is
     *     woken by it)
     */
    public Accepted accept() throws NativeSocketException {
        SockAddrHolder h = SCRATCH.get().holder;
        fd.begin("accept");
        int rc;
        boolean closed;
        try {
            h.invalidate();
            rc = SHIM.ds_accept(fd.fd, h.address);
        } finally {
            closed = end();
        }
        Reference.reachabilityFence(h);
        if (rc < 0) throw failure(closed, "accept", rc, null);
        // A connection accepted just as close() ran is real: it is returned, and the caller owns it.
        try {
            SockAddr peer = h.sockAddr();
            return new Accepted(new NativeSocket(rc, family, type), peer);
        } catch (RuntimeException | Error e) {
            SHIM.ds_close(rc);
            throw e;
        }
    }

    /**
     * {@code connect(2)}, blocking unless the socket is non-blocking (then {@code EINPROGRESS}:
     * wait with {@link #poll} for {@link #POLLOUT} and read {@code SO_ERROR}). On a datagram
     * socket it sets the default destination and filters the source. The address is passed as
     * given: an IPv4-mapped {@link Inet6SockAddr} on an {@code AF_INET6} socket makes the kernel
     * speak IPv4.
     *
     * @throws IllegalArgumentException when the address family differs from the socket's
     *     (an {@link Inet4SockAddr} on an AF_INET6 socket must be converted explicitly with
     *     {@link Inet4SockAddr#toMapped()})
     * @throws NativeSocketException e.g. {@code ECONNREFUSED}, {@code ENETUNREACH}
     */
    public void connect(SockAddr remote) throws NativeSocketException {
        long sa = encode("connect", remote, SCRATCH.get());
        fd.begin("connect");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_connect(fd.fd, sa);
        } finally {
            closed = end();
        }
        if (closed) throw ClosedSocketException.during("connect", rc);
        if (rc < 0) throw NativeSocketException.of("connect", rc, "to " + remote);
    }

    /**
     * {@code connect(2)} with a time limit, done the classic way in the shim: the socket is made
     * non-blocking ({@code fcntl(2)}), {@code connect} started, {@code poll(2)} waits for
     * writability, {@code SO_ERROR} gives the outcome, and the previous blocking mode is
     * restored on every path. When the time runs out the error is {@code ETIMEDOUT} (made by the
     * shim, not by the kernel's SYN retries); the attempt is not cancelled in the kernel, so
     * close the socket then, as in C.
     *
     * @param timeout at least zero; rounded up to whole milliseconds, at most
     *     {@link Integer#MAX_VALUE} ms
     * @throws IllegalArgumentException for a negative or too large timeout, or an address of
     *     the wrong family
     */
    public void connect(SockAddr remote, Duration timeout) throws NativeSocketException {
        Objects.requireNonNull(timeout, "timeout");
        int ms = timeoutMillis("connect", timeout);
        long sa = encode("connect", remote, SCRATCH.get());
        fd.begin("connect");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_connect_timeout(fd.fd, sa, ms);
        } finally {
            closed = end();
        }
        if (closed) throw ClosedSocketException.during("connect", rc);
        if (rc < 0) throw NativeSocketException.of("connect", rc, "to " + remote + " within " + ms + " ms");
    }

    private static int timeoutMillis(String call, Duration timeout) {
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

    /**
     * {@code shutdown(2)}: ends reading ({@link #SHUT_RD}), writing ({@link #SHUT_WR}, sends
     * FIN on TCP) or both. Does not close the descriptor.
     *
     * @throws IllegalArgumentException for another {@code how}
     * @throws NativeSocketException e.g. {@code ENOTCONN} on an unconnected socket
     */
    public void shutdown(int how) throws NativeSocketException {
        if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) {
            throw new IllegalArgumentException("how must be SHUT_RD, SHUT_WR or SHUT_RDWR, got " + how);
        }
        fd.begin("shutdown");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_shutdown(fd.fd, how);
        } finally {
            closed = end();
        }
        if (rc < 0) throw failure(closed, "shutdown", rc, null);
    }

    // ---- send and receive: the native calls ----

    private int sendCore(String call, long buf, int len, int flags, long sa, Object dest) throws NativeSocketException {
        fd.begin(call);
        long rc;
        boolean closed;
        try {
            rc = sa == 0 ? SHIM.ds_send(fd.fd, buf, len, flags) : SHIM.ds_sendto(fd.fd, buf, len, flags, sa);
        } finally {
            closed = end();
        }
        Reference.reachabilityFence(dest);
        if (rc < 0) throw failure(closed, call, rc, dest == null ? null : "to " + dest);
        return (int) rc;
    }

    private int recvCore(String call, long buf, int len, int flags, SockAddrHolder from) throws NativeSocketException {
        fd.begin(call);
        long rc;
        boolean closed;
        try {
            if (from == null) {
                rc = SHIM.ds_recv(fd.fd, buf, len, flags);
            } else {
                from.invalidate();
                rc = SHIM.ds_recvfrom(fd.fd, buf, len, flags, from.address);
            }
        } finally {
            closed = end();
        }
        Reference.reachabilityFence(from);
        // A receive woken by close() returns 0 without a source; a real datagram (even an empty
        // one) always has a source address, and any data received is delivered.
        if (closed && (rc < 0 || (rc == 0 && (from == null || from.isEmpty())))) {
            throw ClosedSocketException.during(call, rc);
        }
        if (rc < 0) throw NativeSocketException.of(call, rc);
        return (int) rc;
    }

    private int sendBuffer(String call, ByteBuffer src, int flags, long sa, Object dest) throws NativeSocketException {
        int pos = src.position();
        int rem = src.limit() - pos;
        int n;
        if (src.isDirect()) {
            n = sendCore(call, Native.address(src) + pos, rem, flags, sa, dest);
            Reference.reachabilityFence(src);
        } else {
            int len = type == SOCK_STREAM ? Math.min(rem, MAX_COPY) : rem;
            ByteBuffer tmp = SCRATCH.get().data(len);
            tmp.put(0, src, pos, len);
            n = sendCore(call, Native.address(tmp), len, flags, sa, dest);
            Reference.reachabilityFence(tmp);
        }
        src.position(pos + n);
        return n;
    }

    private int sendArray(String call, byte[] b, int off, int len, long sa, Object dest) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        Objects.checkFromIndexSize(off, len, b.length);
        int n = type == SOCK_STREAM ? Math.min(len, MAX_COPY) : len;
        ByteBuffer tmp = SCRATCH.get().data(n);
        tmp.put(0, b, off, n);
        int rc = sendCore(call, Native.address(tmp), n, 0, sa, dest);
        Reference.reachabilityFence(tmp);
        return rc;
    }

    private static void checkWritable(ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) throw new IllegalArgumentException("read-only buffer: cannot receive into it");
    }

    private int recvBuffer(String call, ByteBuffer dst, int flags, SockAddrHolder from) throws NativeSocketException {
        checkWritable(dst);
        int pos = dst.position();
        int rem = dst.limit() - pos;
        int n;
        if (dst.isDirect()) {
            n = recvCore(call, Native.address(dst) + pos, rem, flags, from);
            Reference.reachabilityFence(dst);
            dst.position(pos + Math.min(n, rem));
        } else {
            int len = Math.min(rem, MAX_COPY);
            ByteBuffer tmp = SCRATCH.get().data(len);
            n = recvCore(call, Native.address(tmp), len, flags, from);
            int got = Math.min(n, len);
            dst.put(pos, tmp, 0, got);
            dst.position(pos + got);
        }
        return n;
    }

    private int recvArray(String call, byte[] b, int off, int len, SockAddrHolder from) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        Objects.checkFromIndexSize(off, len, b.length);
        int n = Math.min(len, MAX_COPY);
        ByteBuffer tmp = SCRATCH.get().data(n);
        int rc = recvCore(call, Native.address(tmp), n, 0, from);
        tmp.get(0, b, off, Math.min(rc, n));
        return rc;
    }

    // ---- send ----

    /** {@code send(fd, buf, len, 0)}; see {@link #send(ByteBuffer, int)}. */
    public int send(ByteBuffer src) throws NativeSocketException {
        return send(src, 0);
    }

    /**
     * {@code send(2)} with {@code MSG_NOSIGNAL} added (a reset peer gives {@code EPIPE}, never
     * {@code SIGPIPE}): sends the bytes between position and limit on a connected socket and
     * advances the position by the count sent. A stream socket may send fewer bytes than asked
     * (no loop here); a datagram socket sends one datagram, possibly empty, or fails with
     * {@code EMSGSIZE}.
     *
     * @param flags {@code MSG_*} bits, e.g. {@link #MSG_DONTWAIT}
     * @return the count {@code send} returned
     */
    public int send(ByteBuffer src, int flags) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        return sendBuffer("send", src, flags, 0, null);
    }

    /** {@code send(2)} of a whole array. */
    public int send(byte[] b) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        return send(b, 0, b.length);
    }

    /**
     * {@code send(2)} of {@code b[off .. off+len)} (copied once into native memory).
     *
     * @throws IndexOutOfBoundsException when off/len do not lie within b
     */
    public int send(byte[] b, int off, int len) throws NativeSocketException {
        return sendArray("send", b, off, len, 0, null);
    }

    /**
     * {@code sendto(2)} with {@code MSG_NOSIGNAL}: one datagram from the bytes between position
     * and limit (possibly none) to dst, position advanced by the count sent. The address is
     * encoded per call; in a hot loop use {@link #sendTo(ByteBuffer, EncodedSockAddr)}.
     *
     * @throws IllegalArgumentException when dst's family differs from the socket's
     * @throws NativeSocketException e.g. {@code EMSGSIZE} for a datagram too large for the protocol
     */
    public int sendTo(ByteBuffer src, SockAddr dst) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        long sa = encode("sendto", dst, SCRATCH.get());
        return sendBuffer("sendto", src, 0, sa, dst);
    }

    /**
     * {@code sendto(2)} to a pre-encoded destination: with a direct buffer, one native call and
     * no allocation, no copy and no address encoding. Position advanced as
     * {@link #sendTo(ByteBuffer, SockAddr)}.
     */
    public int sendTo(ByteBuffer src, EncodedSockAddr dst) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (dst.family() != family) checkFamily("sendto", dst.sockAddr());
        return sendBuffer("sendto", src, 0, dst.address, dst);
    }

    /**
     * {@code sendto(2)} to the address a receive left in a holder (a reply to the source, even
     * when that is {@code ::ffff:a.b.c.d}), with no allocation.
     *
     * @throws IllegalArgumentException when the holder is empty or of another family
     */
    public int sendTo(ByteBuffer src, SockAddrHolder dst) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (dst.isEmpty()) throw new IllegalArgumentException("sendto: the holder holds no address");
        if (dst.family() != family) checkFamily("sendto", dst.sockAddr());
        return sendBuffer("sendto", src, 0, dst.address, dst);
    }

    /** {@code sendto(2)} of a whole array. */
    public int sendTo(byte[] b, SockAddr dst) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        return sendTo(b, 0, b.length, dst);
    }

    /** {@code sendto(2)} of {@code b[off .. off+len)}. */
    public int sendTo(byte[] b, int off, int len, SockAddr dst) throws NativeSocketException {
        long sa = encode("sendto", dst, SCRATCH.get());
        return sendArray("sendto", b, off, len, sa, dst);
    }

    // ---- receive ----

    /** {@code recv(fd, buf, len, 0)}; see {@link #recv(ByteBuffer, int)}. */
    public int recv(ByteBuffer dst) throws NativeSocketException {
        return recv(dst, 0);
    }

    /**
     * {@code recv(2)} into the space between position and limit; position advanced by the bytes
     * stored. Returns what the kernel returned: 0 is end of stream on a stream socket, or an
     * empty datagram; with {@link #MSG_TRUNC} on a datagram socket, the datagram's real length,
     * which may exceed the bytes stored (the rest of a datagram is discarded, as in C).
     *
     * @throws IllegalArgumentException for a read-only buffer
     */
    public int recv(ByteBuffer dst, int flags) throws NativeSocketException {
        return recvBuffer("recv", dst, flags, null);
    }

    /** {@code recv(2)} into a whole array. */
    public int recv(byte[] b) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        return recv(b, 0, b.length);
    }

    /** {@code recv(2)} into {@code b[off .. off+len)}. @throws IndexOutOfBoundsException for bad off/len */
    public int recv(byte[] b, int off, int len) throws NativeSocketException {
        return recvArray("recv", b, off, len, null);
    }

    /**
     * {@code recvfrom(2)}: one datagram into the space between position and limit (position
     * advanced by the bytes stored; a longer datagram is truncated, as in C), and its source
     * address exactly as the kernel gave it (an IPv4 sender to a dual-stack {@code AF_INET6}
     * socket is {@code ::ffff:a.b.c.d}).
     *
     * @return the source, or null when the kernel gave none (a stream socket)
     */
    public SockAddr recvFrom(ByteBuffer dst) throws NativeSocketException {
        SockAddrHolder h = SCRATCH.get().holder;
        recvBuffer("recvfrom", dst, 0, h);
        return h.sockAddr();
    }

    /**
     * {@code recvfrom(2)} with the source address written into a caller-owned holder: with a
     * direct buffer, one native call and no allocation. Position advanced as
     * {@link #recvFrom(ByteBuffer)}.
     *
     * @param flags {@code MSG_*} bits ({@link #MSG_PEEK}, {@link #MSG_TRUNC}, {@link #MSG_DONTWAIT})
     * @return what {@code recvfrom} returned (see {@link #recv(ByteBuffer, int)} on MSG_TRUNC)
     */
    public int recvFrom(ByteBuffer dst, SockAddrHolder src, int flags) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        return recvBuffer("recvfrom", dst, flags, src);
    }

    /** {@code recvfrom(fd, buf, len, 0, ...)} into a holder; see {@link #recvFrom(ByteBuffer, SockAddrHolder, int)}. */
    public int recvFrom(ByteBuffer dst, SockAddrHolder src) throws NativeSocketException {
        return recvFrom(dst, src, 0);
    }

    /** {@code recvfrom(2)} into a whole array. */
    public ReceivedFrom recvFrom(byte[] b) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        return recvFrom(b, 0, b.length);
    }

    /** {@code recvfrom(2)} into {@code b[off .. off+len)}. @throws IndexOutOfBoundsException for bad off/len */
    public ReceivedFrom recvFrom(byte[] b, int off, int len) throws NativeSocketException {
        SockAddrHolder h = SCRATCH.get().holder;
        int n = recvArray("recvfrom", b, off, len, h);
        return new ReceivedFrom(n, h.sockAddr());
    }

    // ---- addresses of the socket ----

    /**
     * {@code getsockname(2)}: the local address, as the kernel reports it (after
     * {@code bind(.., port 0)} the chosen port; an unbound socket gives the wildcard, port 0).
     */
    public SockAddr localAddress() throws NativeSocketException {
        return socketName(false);
    }

    /**
     * {@code getpeername(2)}: the connected peer, as the kernel reports it (an {@code AF_INET6}
     * socket connected to {@code ::ffff:a.b.c.d} reports that mapped address).
     *
     * @throws NativeSocketException {@code ENOTCONN} when not connected
     */
    public SockAddr peerAddress() throws NativeSocketException {
        return socketName(true);
    }

    /** getsockname(2) or getpeername(2) into the per-thread holder. */
    private SockAddr socketName(boolean peer) throws NativeSocketException {
        String call = peer ? "getpeername" : "getsockname";
        SockAddrHolder h = SCRATCH.get().holder;
        fd.begin(call);
        int rc;
        boolean closed;
        try {
            h.invalidate();
            rc = peer ? SHIM.ds_getpeername(fd.fd, h.address) : SHIM.ds_getsockname(fd.fd, h.address);
        } finally {
            closed = end();
        }
        Reference.reachabilityFence(h);
        if (rc < 0) throw failure(closed, call, rc, null);
        return h.sockAddr();
    }

    // ---- options ----

    /**
     * {@code getsockopt(2)} of a typed option; the value exactly as the kernel reports it.
     *
     * @throws NativeSocketException e.g. {@code ENOPROTOOPT}/{@code EOPNOTSUPP} when the
     *     option does not apply to this socket
     */
    public <T> T getOption(SocketOption<T> option) throws NativeSocketException {
        Objects.requireNonNull(option, "option");
        ByteBuffer b = SCRATCH.get().opt;
        int len = getsockopt(option.level(), option.optname(), option.size(), option);
        return option.decode(b, OPT_VALUE_AT, len);
    }

    /**
     * {@code setsockopt(2)} of a typed option. Read-only options and values the option cannot
     * take (negative durations, sizes or linger times) are refused before the call.
     *
     * @throws IllegalArgumentException for a read-only option or an impossible value
     */
    public <T> void setOption(SocketOption<T> option, T value) throws NativeSocketException {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        if (option.isReadOnly()) {
            throw new IllegalArgumentException(option + " is read-only: getsockopt only (setsockopt would answer ENOPROTOOPT)");
        }
        Scratch sc = SCRATCH.get();
        option.encode(value, sc.opt, OPT_VALUE_AT);
        setsockopt(sc, option.level(), option.optname(), option.size(), option);
    }

    /**
     * {@code getsockopt(fd, level, name, &int, &len)} for any option whose value is an
     * {@code int} (the kernel's value; a one-byte answer is widened).
     */
    public int getIntOption(int level, int name) throws NativeSocketException {
        ByteBuffer b = SCRATCH.get().opt;
        int len = getsockopt(level, name, 4, null);
        if (len == 4) return b.getInt(OPT_VALUE_AT);
        if (len == 1) return b.get(OPT_VALUE_AT) & 0xff;
        throw new IllegalStateException("getsockopt(" + level + ", " + name + ") returned " + len + " bytes, not an int");
    }

    /** {@code setsockopt(fd, level, name, &value, sizeof(int))}, value passed unchecked. */
    public void setIntOption(int level, int name, int value) throws NativeSocketException {
        Scratch sc = SCRATCH.get();
        sc.opt.putInt(OPT_VALUE_AT, value);
        setsockopt(sc, level, name, 4, null);
    }

    private int getsockopt(int level, int name, int size, Object what) throws NativeSocketException {
        Scratch sc = SCRATCH.get();
        ByteBuffer b = sc.opt;
        for (int i = 0; i < size; i++) b.put(OPT_VALUE_AT + i, (byte) 0);
        b.putInt(0, size);
        fd.begin("getsockopt");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_getsockopt(fd.fd, level, name, sc.optAddr + OPT_VALUE_AT, sc.optAddr);
        } finally {
            closed = end();
        }
        Reference.reachabilityFence(b);
        if (rc < 0) throw failure(closed, "getsockopt", rc, what != null ? what.toString() : "level " + level + ", name " + name);
        return b.getInt(0);
    }

    private void setsockopt(Scratch sc, int level, int name, int size, Object what) throws NativeSocketException {
        fd.begin("setsockopt");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_setsockopt(fd.fd, level, name, sc.optAddr + OPT_VALUE_AT, size);
        } finally {
            closed = end();
        }
        Reference.reachabilityFence(sc.opt);
        if (rc < 0) throw failure(closed, "setsockopt", rc, what != null ? what.toString() : "level " + level + ", name " + name);
    }

    // ---- blocking mode and poll ----

    /**
     * {@code fcntl(F_SETFL)} clearing or setting {@code O_NONBLOCK}. In non-blocking mode a call
     * that would wait fails with {@code EAGAIN} (connect: {@code EINPROGRESS}).
     */
    public void setBlocking(boolean blocking) throws NativeSocketException {
        fd.begin("fcntl");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_set_nonblocking(fd.fd, blocking ? 0 : 1);
        } finally {
            closed = end();
        }
        if (rc < 0) throw failure(closed, "fcntl", rc, "F_SETFL");
    }

    /** {@code fcntl(F_GETFL)}: true unless {@code O_NONBLOCK} is set. */
    public boolean isBlocking() throws NativeSocketException {
        fd.begin("fcntl");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_get_nonblocking(fd.fd);
        } finally {
            closed = end();
        }
        if (rc < 0) throw failure(closed, "fcntl", rc, "F_GETFL");
        return rc == 0;
    }

    /**
     * {@code poll(2)} on this socket alone: waits until one of events is ready or the time is up.
     * The shim keeps the deadline across signals.
     *
     * @param events {@link #POLLIN}, {@link #POLLOUT}, ... ({@code POLLERR} and {@code POLLHUP}
     *     are reported whether asked or not)
     * @param timeoutMillis 0 returns at once, -1 waits without limit (as in poll(2))
     * @return {@code revents}: 0 when the time ran out
     * @throws IllegalArgumentException for a timeout below -1
     * @throws ClosedSocketException when {@link #close()} is or was called (a waiting poll is woken by it)
     */
    public int poll(int events, int timeoutMillis) throws NativeSocketException {
        if (timeoutMillis < -1) {
            throw new IllegalArgumentException("poll timeout must be -1 (no limit) or at least 0 ms, got " + timeoutMillis);
        }
        fd.begin("poll");
        int rc;
        boolean closed;
        try {
            rc = SHIM.ds_poll(fd.fd, events, timeoutMillis);
        } finally {
            closed = end();
        }
        if (closed) throw ClosedSocketException.during("poll", rc);
        if (rc < 0) throw NativeSocketException.of("poll", rc);
        return rc;
    }

    // ---- close ----

    /**
     * Closes the socket: idempotent, thread-safe, never throws. Marks the socket closed so that
     * every later call throws {@link ClosedSocketException}; when other threads are inside a
     * call on it, {@code shutdown(fd, SHUT_RDWR)} wakes those blocked in {@code accept},
     * {@code recv}, {@code recvfrom} or {@code poll}, and the descriptor is released with
     * {@code close(2)} by the last of them to return; otherwise {@code close(2)} happens here.
     * Until then the descriptor number cannot be reused, so no call ever reaches another file.
     * That wake-up is visible on the wire: a connected TCP peer sees the FIN of
     * {@code shutdown} before the socket is released (with no call in progress, {@code close(2)}
     * alone decides between FIN and RST, as in C).
     *
     * <p>Errors of {@code close(2)} are not reported: on Linux the descriptor is released
     * whatever it returns (the shim treats {@code EINTR} as done), and {@code EBADF} cannot
     * happen because only this object closes its descriptor. Use {@code SO_LINGER} or
     * {@link #shutdown(int)} to learn whether queued data was delivered.
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** {@code NativeSocket[fd=7, AF_INET6, SOCK_DGRAM]}, or {@code NativeSocket[closed, ...]}. No system call. */
    @Override
    public String toString() {
        return "NativeSocket[" + (fd.isOpen() ? "fd=" + fd.fd : "closed") + ", " + Names.family(family) + ", "
                + Names.socktype(type) + "]";
    }

    // ---- for DatagramBatch (batch branch): the close guard, for calls made elsewhere in the package ----

    /** Enters a native call on this socket (as every method here does); returns the descriptor. */
    int beginCall(String call) throws ClosedSocketException {
        fd.begin(call);
        return fd.fd;
    }

    /** Leaves it; true when the socket was closed meanwhile. */
    boolean endCall() {
        return end();
    }

    static NativeSocketException callFailure(boolean closedMeanwhile, String call, long rc, String detail) {
        return failure(closedMeanwhile, call, rc, detail);
    }
}
