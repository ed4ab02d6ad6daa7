package io.dualsock;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.Objects;

import io.dualsock.bindings.Native;
import io.dualsock.bindings.Shim;

/**
 * The hot path of {@link NativeSocket}: {@code send}/{@code sendto}/{@code recv}/{@code recvfrom}
 * written out around {@link Descriptor#begin}/{@link Descriptor#end} rather than through
 * {@link Descriptor#call}, allocating nothing. Direct buffers go to the kernel in place; heap
 * buffers and arrays through the per-thread {@link Scratch} buffer, at most
 * {@link Scratch#MAX_COPY} bytes per call where a short count is allowed (streams; every receive).
 * Each method takes the socket as owner, kept reachable until its call is over.
 */
final class Transfer {
    private static final Shim SHIM = Native.shim();
    private static final int MAX_COPY = Scratch.MAX_COPY;

    private Transfer() {}

    /**
     * A direct buffer a socket last sent from (or received into) and its address, so that a loop
     * over the same buffer reads the address once: on the FFM binding that read
     * ({@code MemorySegment.ofBuffer}) allocates unless C2 manages to inline all of it. Immutable,
     * so a socket shared by threads sees either the old pair or the new one, never a mix; it keeps
     * that one buffer reachable until the socket uses another.
     */
    static final class LastBuffer {
        final ByteBuffer buffer;
        final long address;

        LastBuffer(ByteBuffer direct) {
            this.buffer = direct;
            this.address = Native.address(direct);
        }
    }

    /** Bytes between position and limit; position advanced by the count sent. sa 0: send(2). */
    static int send(Descriptor fd, Object owner, boolean stream, String call, ByteBuffer src, int flags, long sa,
            Object dest) throws NativeSocketException {
        int pos = src.position();
        int rem = src.limit() - pos;
        int n;
        if (src.isDirect()) {
            n = sendCore(fd, owner, call, fd.sendAddress(src) + pos, rem, flags, sa, dest);
            Reference.reachabilityFence(src);
        } else {
            int len = stream ? Math.min(rem, MAX_COPY) : rem;
            Scratch sc = Scratch.get();
            ByteBuffer tmp = sc.data(len);
            tmp.put(0, src, pos, len);
            n = sendCore(fd, owner, call, sc.addressOf(tmp), len, flags, sa, dest);
            Reference.reachabilityFence(tmp);
        }
        src.position(pos + n);
        return n;
    }

    static int send(Descriptor fd, Object owner, boolean stream, String call, byte[] b, int off, int len, long sa,
            Object dest) throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        Objects.checkFromIndexSize(off, len, b.length);
        int n = stream ? Math.min(len, MAX_COPY) : len;
        Scratch sc = Scratch.get();
        ByteBuffer tmp = sc.data(n);
        tmp.put(0, b, off, n);
        int rc = sendCore(fd, owner, call, sc.addressOf(tmp), n, 0, sa, dest);
        Reference.reachabilityFence(tmp);
        return rc;
    }

    /** Into the space between position and limit; position advanced by the bytes stored. from null: recv(2). */
    static int recv(Descriptor fd, Object owner, String call, ByteBuffer dst, int flags, SockAddrHolder from)
            throws NativeSocketException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) throw new IllegalArgumentException("read-only buffer: cannot receive into it");
        int pos = dst.position();
        int rem = dst.limit() - pos;
        int n;
        if (dst.isDirect()) {
            n = recvCore(fd, owner, call, fd.receiveAddress(dst) + pos, rem, flags, from);
            Reference.reachabilityFence(dst);
            dst.position(pos + Math.min(n, rem));
        } else {
            int len = Math.min(rem, MAX_COPY);
            Scratch sc = Scratch.get();
            ByteBuffer tmp = sc.data(len);
            n = recvCore(fd, owner, call, sc.addressOf(tmp), len, flags, from);
            int got = Math.min(n, len);
            dst.put(pos, tmp, 0, got);
            dst.position(pos + got);
        }
        return n;
    }

    static int recv(Descriptor fd, Object owner, String call, byte[] b, int off, int len, SockAddrHolder from)
            throws NativeSocketException {
        Objects.requireNonNull(b, "buffer");
        Objects.checkFromIndexSize(off, len, b.length);
        int n = Math.min(len, MAX_COPY);
        Scratch sc = Scratch.get();
        ByteBuffer tmp = sc.data(n);
        int rc = recvCore(fd, owner, call, sc.addressOf(tmp), n, 0, from);
        tmp.get(0, b, off, Math.min(rc, n));
        return rc;
    }

    private static int sendCore(Descriptor d, Object owner, String call, long buf, int len, int flags, long sa,
            Object dest) throws NativeSocketException {
        int fd = d.begin(call);
        long rc;
        boolean closed;
        try {
            int f = d.transferFlags(flags);
            rc = sa == 0 ? SHIM.ds_send(fd, buf, len, f) : SHIM.ds_sendto(fd, buf, len, f, sa);
        } finally {
            closed = d.end();
        }
        Reference.reachabilityFence(owner);
        Reference.reachabilityFence(dest);
        if (rc < 0) throw Descriptor.failure(closed, call, rc, dest == null ? null : "to " + dest);
        return (int) rc;
    }

    private static int recvCore(Descriptor d, Object owner, String call, long buf, int len, int flags,
            SockAddrHolder from) throws NativeSocketException {
        int fd = d.begin(call);
        long rc;
        boolean closed;
        try {
            int f = d.transferFlags(flags);
            if (from == null) {
                rc = SHIM.ds_recv(fd, buf, len, f);
            } else {
                from.invalidate();
                rc = SHIM.ds_recvfrom(fd, buf, len, f, from.address);
            }
        } finally {
            closed = d.end();
        }
        Reference.reachabilityFence(owner);
        Reference.reachabilityFence(from);
        // A receive woken by close() returns 0 without a source; a real datagram (even an empty
        // one) always has a source address, and any data received is delivered.
        if (rc < 0 || (closed && rc == 0 && (from == null || from.isEmpty()))) {
            throw Descriptor.failure(closed, call, rc, null);
        }
        return (int) rc;
    }
}
