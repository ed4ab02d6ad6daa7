package io.dualsock;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.bindings.Shim;

/**
 * An {@code AF_INET} or {@code AF_INET6} socket driven by the kernel's own system calls, one Java
 * method per call, through the dualsock shim; nothing translated (an IPv4 peer of a dual-stack socket
 * is {@code ::ffff:a.b.c.d}), errors are the kernel's errno ({@link NativeSocketException}), argument
 * mistakes are refused before any native call. Thread-safe; {@link #close()} is idempotent and wakes
 * blocked calls. Errors, closing, buffers: docs/sockets.md, "NativeSocket: errors, closing, buffers".
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
    /** {@code SHUT_WR}: no more transmissions; TCP sends its FIN. */
    public static final int SHUT_WR = Constants.i("SHUT_WR");
    /** {@code SHUT_RDWR}: both directions. */
    public static final int SHUT_RDWR = Constants.i("SHUT_RDWR");
    /** {@code poll(2)} event bits. */
    public static final int POLLIN = Constants.i("POLLIN");
    /** {@code POLLPRI}: urgent (out-of-band) data to read. */
    public static final int POLLPRI = Constants.i("POLLPRI");
    /** {@code POLLOUT}: writing will not block. */
    public static final int POLLOUT = Constants.i("POLLOUT");
    /** {@code POLLERR}: an error is pending (read it with SO_ERROR); returned only. */
    public static final int POLLERR = Constants.i("POLLERR");
    /** {@code POLLHUP}: the peer hung up; returned only. */
    public static final int POLLHUP = Constants.i("POLLHUP");
    /** {@code POLLNVAL}: the descriptor is not open; returned only. */
    public static final int POLLNVAL = Constants.i("POLLNVAL");
    /** {@code POLLRDHUP} (Linux): the peer shut down its writing half. */
    public static final int POLLRDHUP = Constants.i("POLLRDHUP");
    /** {@code send(2)}/{@code recv(2)} flags ({@code MSG_NOSIGNAL} is always added to sends). */
    public static final int MSG_PEEK = Constants.i("MSG_PEEK");
    /** {@code MSG_DONTWAIT}: this call only is non-blocking ({@code EAGAIN} instead of waiting). */
    public static final int MSG_DONTWAIT = Constants.i("MSG_DONTWAIT");
    /** {@code MSG_TRUNC}: return the real length of a datagram longer than the buffer. */
    public static final int MSG_TRUNC = Constants.i("MSG_TRUNC");
    /** {@code MSG_WAITALL}: wait for the full request (stream sockets). */
    public static final int MSG_WAITALL = Constants.i("MSG_WAITALL");

    private static final int SOCK_NONBLOCK = Constants.i("SOCK_NONBLOCK");
    private static final int TYPE_FLAGS = SOCK_NONBLOCK | Constants.i("SOCK_CLOEXEC");
    private static final Shim SHIM = Native.shim();
    private static final Cleaner CLEANER = Cleaner.create();

    /**
     * The result of {@link #accept()}.
     * @param socket the new connected socket (close-on-exec; blocking, whatever the listener's mode)
     * @param peer the peer address exactly as {@code accept4(2)} reported it
     */
    public record Accepted(NativeSocket socket, SockAddr peer) {}

    /**
     * The result of {@link #recvFrom(byte[], int, int)}.
     * @param length what {@code recvfrom(2)} returned (with {@code MSG_TRUNC}, the datagram's
     *     real length, which may exceed the bytes stored)
     * @param source the source address as the kernel gave it, or null when it gave none (a
     *     stream socket)
     */
    public record ReceivedFrom(int length, SockAddr source) {}

    private final Descriptor fd;
    private final int family;
    private final int type;
    private final Cleaner.Cleanable cleanable;

    private NativeSocket(int fd, int family, int type) {
        this.fd = new Descriptor(fd);
        this.family = family;
        this.type = type;
        this.cleanable = CLEANER.register(this, this.fd);
    }

    // ---- creation and state ----

    /** {@code socket(family, type, 0)}; see {@link #open(int, int, int)}. */
    public static NativeSocket open(int family, int type) throws NativeSocketException {
        return open(family, type, 0);
    }

    /**
     * {@code socket(2)} with {@code SOCK_CLOEXEC} added; sets no option ({@code IPV6_V6ONLY}
     * keeps the {@code net.ipv6.bindv6only} default). Type flags such as {@code SOCK_NONBLOCK}
     * are passed as given.
     * @throws IllegalArgumentException for a family other than {@link #AF_INET}/{@link #AF_INET6}
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
        NativeSocket s = new NativeSocket(rc, family, type & ~TYPE_FLAGS);
        s.fd.nonBlocking = (type & SOCK_NONBLOCK) != 0;
        return s;
    }

    /** The family given to {@code socket(2)}: {@link #AF_INET} or {@link #AF_INET6}. No system call. */
    public int family() {
        return family;
    }

    /** The type given to {@code socket(2)} without flag bits ({@link #SOCK_STREAM}, ...). No system call. */
    public int type() {
        return type;
    }

    /** The descriptor number, for diagnostics only (this object owns it); -1 once closed. */
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

    /** The descriptor, for calls made elsewhere in the package (keep this socket reachable meanwhile). */
    Descriptor descriptor() {
        return fd;
    }

    private long encode(String call, SockAddr a, Scratch sc) {
        Objects.requireNonNull(a, "address");
        SockAddrCodec.checkFamily(call, family, a);
        SockAddrCodec.encode(a, sc.sa, 0);
        return sc.saAddr;
    }

    // ---- bind, listen, accept, connect, shutdown ----

    /**
     * {@code bind(2)}; port 0 lets the kernel choose (see {@link #localAddress()}). For a
     * dual-stack server set {@code IPV6_V6ONLY} before binding {@code ::}.
     * @throws IllegalArgumentException when the address family differs from the socket's
     */
    public void bind(SockAddr local) throws NativeSocketException {
        fd.call(this, Syscall.BIND, encode("bind", local, Scratch.get()), local);
    }

    /**
     * {@code listen(2)}; the kernel silently caps the backlog at {@code net.core.somaxconn}.
     * @throws IllegalArgumentException when backlog is negative
     */
    public void listen(int backlog) throws NativeSocketException {
        if (backlog < 0) throw new IllegalArgumentException("backlog must not be negative: " + backlog);
        fd.call(this, Syscall.LISTEN, backlog);
    }

    /**
     * {@code accept4(2)} with {@code SOCK_CLOEXEC}: the new blocking socket and the peer exactly
     * as the kernel reported it ({@code ::ffff:a.b.c.d} for IPv4 on a dual-stack listener).
     * @throws ClosedSocketException when {@link #close()} is or was called (it wakes a blocked accept)
     */
    public Accepted accept() throws NativeSocketException {
        SockAddrHolder h = Scratch.get().holder;
        h.invalidate();
        int rc = fd.call(this, Syscall.ACCEPT, h.address, null);
        // A connection accepted just as close() ran is real: it is returned, and the caller owns it.
        try {
            SockAddr peer = h.sockAddr(); // first: once the socket exists, its Cleaner owns rc
            return new Accepted(new NativeSocket(rc, family, type), peer);
        } catch (RuntimeException | Error e) {
            SHIM.ds_close(rc);
            throw e;
        }
    }

    /**
     * UNP's {@code tcp_connect}: {@link Resolver#getaddrinfo} (host null: loopback, as in C), then for
     * each result in libc's order {@code socket(2)} and {@link #connect(SockAddr, Duration)} with the
     * timeout per attempt, until one succeeds; each failed socket is closed. The caller closes the result.
     * @throws ResolverException when getaddrinfo fails
     * @throws NativeSocketException the first failure when every attempt failed (later ones suppressed)
     */
    public static NativeSocket connect(String host, String service, Hints hints, Duration timeout)
            throws ResolverException, NativeSocketException {
        return TcpConnectLoop.connect(host, service, hints, timeout);
    }

    /**
     * {@code connect(2)}, blocking unless the socket is non-blocking (then {@code EINPROGRESS}:
     * {@link #poll} for {@link #POLLOUT}, then read {@code SO_ERROR}). A mapped address on an
     * {@code AF_INET6} socket makes the kernel speak IPv4.
     * @throws IllegalArgumentException when the family differs (use {@link Inet4SockAddr#toMapped()})
     */
    public void connect(SockAddr remote) throws NativeSocketException {
        fd.call(this, Syscall.CONNECT, encode("connect", remote, Scratch.get()), remote);
    }

    /**
     * {@code connect(2)} with a time limit: non-blocking connect, {@code poll(2)} and
     * {@code SO_ERROR} in the shim, blocking mode restored; {@code ETIMEDOUT} when time runs out
     * (the attempt goes on in the kernel: close the socket). See docs/sockets.md.
     * @param timeout at least zero, rounded up to whole milliseconds, at most {@link Integer#MAX_VALUE} ms
     */
    public void connect(SockAddr remote, Duration timeout) throws NativeSocketException {
        Objects.requireNonNull(timeout, "timeout");
        int ms = Descriptor.timeoutMillis("connect", timeout);
        fd.call(this, Syscall.CONNECT_TIMEOUT, encode("connect", remote, Scratch.get()), 0, ms, 0, remote);
    }

    /**
     * {@code shutdown(2)}: {@link #SHUT_RD}, {@link #SHUT_WR} (FIN on TCP) or {@link #SHUT_RDWR};
     * does not close the descriptor.
     * @throws IllegalArgumentException for another {@code how}
     */
    public void shutdown(int how) throws NativeSocketException {
        if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR) {
            throw new IllegalArgumentException("how must be SHUT_RD, SHUT_WR or SHUT_RDWR, got " + how);
        }
        fd.call(this, Syscall.SHUTDOWN, how);
    }

    // ---- send (the hot path, written out in Transfer) ----

    /** {@code send(fd, buf, len, 0)}; see {@link #send(ByteBuffer, int)}. */
    public int send(ByteBuffer src) throws NativeSocketException {
        return send(src, 0);
    }

    /**
     * {@code send(2)} with {@code MSG_NOSIGNAL} added (a reset peer gives {@code EPIPE}): one
     * datagram, or on a stream as many bytes as the kernel takes (no loop). Returns the count.
     * @param flags {@code MSG_*} bits, e.g. {@link #MSG_DONTWAIT}
     */
    public int send(ByteBuffer src, int flags) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        return Transfer.send(fd, this, type == SOCK_STREAM, "send", src, flags, 0, null);
    }

    /** {@code send(2)} of a whole array. */
    public int send(byte[] b) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        return send(b, 0, b.length);
    }

    /** {@code send(2)} of {@code b[off .. off+len)}. @throws IndexOutOfBoundsException for bad off/len */
    public int send(byte[] b, int off, int len) throws NativeSocketException {
        return Transfer.send(fd, this, type == SOCK_STREAM, "send", b, off, len, 0, null);
    }

    /**
     * {@code sendto(2)} with {@code MSG_NOSIGNAL}: one datagram to dst (address encoded per call;
     * in a hot loop use {@link #sendTo(ByteBuffer, EncodedSockAddr)}).
     * @throws IllegalArgumentException when dst's family differs from the socket's
     */
    public int sendTo(ByteBuffer src, SockAddr dst) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        long sa = encode("sendto", dst, Scratch.get());
        return Transfer.send(fd, this, type == SOCK_STREAM, "sendto", src, 0, sa, dst);
    }

    /** {@code sendto(2)} to a pre-encoded address: with a direct buffer, no allocation and no copy. */
    public int sendTo(ByteBuffer src, EncodedSockAddr dst) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (dst.family() != family) SockAddrCodec.checkFamily("sendto", family, dst.sockAddr());
        return Transfer.send(fd, this, type == SOCK_STREAM, "sendto", src, 0, dst.address, dst);
    }

    /**
     * {@code sendto(2)} to the address a receive left in a holder (a reply to the source), with
     * no allocation.
     * @throws IllegalArgumentException when the holder is empty or of another family
     */
    public int sendTo(ByteBuffer src, SockAddrHolder dst) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (dst.isEmpty()) throw new IllegalArgumentException("sendto: the holder holds no address");
        if (dst.family() != family) SockAddrCodec.checkFamily("sendto", family, dst.sockAddr());
        return Transfer.send(fd, this, type == SOCK_STREAM, "sendto", src, 0, dst.address, dst);
    }

    /** {@code sendto(2)} of a whole array. */
    public int sendTo(byte[] b, SockAddr dst) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        return sendTo(b, 0, b.length, dst);
    }

    /** {@code sendto(2)} of {@code b[off .. off+len)}. */
    public int sendTo(byte[] b, int off, int len, SockAddr dst) throws NativeSocketException {
        long sa = encode("sendto", dst, Scratch.get());
        return Transfer.send(fd, this, type == SOCK_STREAM, "sendto", b, off, len, sa, dst);
    }

    // ---- receive ----

    /** {@code recv(fd, buf, len, 0)}; see {@link #recv(ByteBuffer, int)}. */
    public int recv(ByteBuffer dst) throws NativeSocketException {
        return recv(dst, 0);
    }

    /**
     * {@code recv(2)}: returns what the kernel returned (0: end of stream, or an empty datagram;
     * with {@link #MSG_TRUNC}, the datagram's real length); position advanced by the bytes stored.
     * @throws IllegalArgumentException for a read-only buffer
     */
    public int recv(ByteBuffer dst, int flags) throws NativeSocketException {
        return Transfer.recv(fd, this, "recv", dst, flags, null);
    }

    /** {@code recv(2)} into a whole array. */
    public int recv(byte[] b) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        return recv(b, 0, b.length);
    }

    /** {@code recv(2)} into {@code b[off .. off+len)}. @throws IndexOutOfBoundsException for bad off/len */
    public int recv(byte[] b, int off, int len) throws NativeSocketException {
        return Transfer.recv(fd, this, "recv", b, off, len, null);
    }

    /**
     * {@code recvfrom(2)}: one datagram (truncated to the space left, as in C) and its source
     * exactly as the kernel gave it, or null when it gave none (a stream socket).
     */
    public SockAddr recvFrom(ByteBuffer dst) throws NativeSocketException {
        SockAddrHolder h = Scratch.get().holder;
        Transfer.recv(fd, this, "recvfrom", dst, 0, h);
        return h.sockAddr();
    }

    /**
     * {@code recvfrom(2)} with the source written into a caller-owned holder: with a direct
     * buffer, no allocation. Returns what the kernel returned (see {@link #recv(ByteBuffer, int)}).
     * @param flags {@code MSG_*} bits ({@link #MSG_PEEK}, {@link #MSG_TRUNC}, {@link #MSG_DONTWAIT})
     */
    public int recvFrom(ByteBuffer dst, SockAddrHolder src, int flags) throws NativeSocketException {
        Objects.requireNonNull(src, "src");
        return Transfer.recv(fd, this, "recvfrom", dst, flags, src);
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
        SockAddrHolder h = Scratch.get().holder;
        int n = Transfer.recv(fd, this, "recvfrom", b, off, len, h);
        return new ReceivedFrom(n, h.sockAddr());
    }

    // ---- messages: recvmsg/sendmsg with control data (written out in MessageCalls) ----

    /**
     * {@code recvmsg(2)}: one datagram into dst, its source into {@code source} (null: not
     * wanted), the control messages and {@code msg_flags} into {@code control} (capacity 0: flags
     * only; too small: {@link ControlMessages#isControlTruncated()}). With direct buffers, no
     * allocation. Returns what the kernel returned, as {@link #recv(ByteBuffer, int)}.
     */
    public int receiveMessage(ByteBuffer dst, SockAddrHolder source, ControlMessages control, int flags)
            throws NativeSocketException {
        return MessageCalls.receive(fd, this, dst, source, control, flags);
    }

    /**
     * {@code sendmsg(2)} with {@code MSG_NOSIGNAL}: one datagram to dst (null: the connected
     * peer) with {@code control}'s messages (null: none). No allocation with a direct buffer.
     * @throws IllegalArgumentException when dst's family differs from the socket's, or a control
     *     message does not fit the datagram's family (the kernel would ignore it silently)
     */
    public int sendMessage(ByteBuffer src, EncodedSockAddr dst, ControlMessages control, int flags)
            throws NativeSocketException {
        return MessageCalls.send(fd, this, src, dst, control, flags);
    }

    /** {@link #sendMessage(ByteBuffer, EncodedSockAddr, ControlMessages, int)} to the address in a holder (a reply). */
    public int sendMessage(ByteBuffer src, SockAddrHolder dst, ControlMessages control, int flags)
            throws NativeSocketException {
        return MessageCalls.send(fd, this, src, dst, control, flags);
    }

    // ---- addresses of the socket ----

    /** {@code getsockname(2)}: the local address (after binding port 0, the chosen port). */
    public SockAddr localAddress() throws NativeSocketException {
        return socketName(Syscall.GETSOCKNAME);
    }

    /** {@code getpeername(2)}: the connected peer as the kernel reports it ({@code ENOTCONN} when none). */
    public SockAddr peerAddress() throws NativeSocketException {
        return socketName(Syscall.GETPEERNAME);
    }

    private SockAddr socketName(Syscall op) throws NativeSocketException {
        SockAddrHolder h = Scratch.get().holder;
        h.invalidate();
        fd.call(this, op, h.address, null);
        return h.sockAddr();
    }

    // ---- options ----

    /** {@code getsockopt(2)} of a typed option, decoded from what the kernel reports. */
    public <T> T getOption(SocketOption<T> option) throws NativeSocketException {
        return OptionCalls.get(fd, this, option);
    }

    /**
     * {@code setsockopt(2)} of a typed option.
     * @throws IllegalArgumentException for a read-only option or an impossible value (e.g. negative)
     */
    public <T> void setOption(SocketOption<T> option, T value) throws NativeSocketException {
        OptionCalls.set(fd, this, option, value);
    }

    /** {@code getsockopt(2)} of an {@code int} option (a one-byte answer is widened). */
    public int getIntOption(int level, int name) throws NativeSocketException {
        return OptionCalls.getInt(fd, this, level, name);
    }

    /** {@code setsockopt(fd, level, name, &value, sizeof(int))}, value passed unchecked. */
    public void setIntOption(int level, int name, int value) throws NativeSocketException {
        OptionCalls.setInt(fd, this, level, name, value);
    }

    // ---- blocking mode and poll ----

    /**
     * {@code fcntl(F_SETFL)} clearing or setting {@code O_NONBLOCK} (then waits fail with {@code EAGAIN}).
     * The socket remembers it: its sends and receives then also pass {@code MSG_DONTWAIT}, so change
     * the mode here rather than with {@code fcntl} on {@link #fd()}.
     */
    public void setBlocking(boolean blocking) throws NativeSocketException {
        fd.call(this, Syscall.SET_NONBLOCKING, blocking ? 0 : 1);
        fd.nonBlocking = !blocking;
    }

    /** {@code fcntl(F_GETFL)}: true unless {@code O_NONBLOCK} is set. */
    public boolean isBlocking() throws NativeSocketException {
        return fd.call(this, Syscall.GET_NONBLOCKING) == 0;
    }

    /**
     * {@code poll(2)} on this socket alone; returns {@code revents}, 0 when the time ran out.
     * @param timeoutMillis 0 returns at once, -1 waits without limit (kept across signals by the shim)
     * @throws ClosedSocketException when {@link #close()} is or was called (it wakes a waiting poll)
     */
    public int poll(int events, int timeoutMillis) throws NativeSocketException {
        if (timeoutMillis < -1) {
            throw new IllegalArgumentException("poll timeout must be -1 (no limit) or at least 0 ms, got " + timeoutMillis);
        }
        return fd.call(this, Syscall.POLL, events, timeoutMillis);
    }

    // ---- close ----

    /**
     * Closes the socket: idempotent, thread-safe, never throws; later calls throw
     * {@link ClosedSocketException}. Calls in progress are woken with {@code shutdown(2)} and the
     * last to return does the {@code close(2)} (docs/sockets.md: "NativeSocket: errors, closing, buffers").
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
}
