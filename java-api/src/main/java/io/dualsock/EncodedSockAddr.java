package io.dualsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import io.dualsock.bindings.Native;

/**
 * A socket address already encoded as the kernel's {@code struct sockaddr_in} or
 * {@code struct sockaddr_in6}, in direct (native) memory: the destination argument of
 * {@link NativeSocket#sendTo(ByteBuffer, EncodedSockAddr)}, which then passes its address to
 * {@code sendto(2)} with no encoding and no allocation per call.
 *
 * <p>Immutable and safe to share between threads and sockets. The native memory belongs to a
 * direct buffer and is freed with it by the garbage collector. Nothing is converted: an
 * {@link Inet6SockAddr} holding {@code ::ffff:a.b.c.d} stays a {@code sockaddr_in6}.
 */
public final class EncodedSockAddr {
    private final SockAddr sockAddr;
    private final ByteBuffer bytes;
    final long address;
    private final int length;

    private EncodedSockAddr(SockAddr sockAddr) {
        this.sockAddr = sockAddr;
        this.length = SockAddrCodec.length(sockAddr);
        this.bytes = ByteBuffer.allocateDirect(length).order(ByteOrder.nativeOrder());
        SockAddrCodec.encode(sockAddr, bytes, 0);
        this.address = Native.address(bytes);
    }

    /** Encodes a (one allocation of {@code sizeof(struct sockaddr_in6)} bytes at most). */
    public static EncodedSockAddr of(SockAddr a) {
        return new EncodedSockAddr(Objects.requireNonNull(a, "address"));
    }

    /** The address this was made from. */
    public SockAddr sockAddr() {
        return sockAddr;
    }

    /** {@code AF_INET} or {@code AF_INET6}. */
    public int family() {
        return sockAddr.family();
    }

    /** Bytes of the kernel structure: {@code sizeof(struct sockaddr_in)} or {@code sizeof(struct sockaddr_in6)}. */
    public int length() {
        return length;
    }

    /** The kernel bytes (a copy), for tests and diagnostics. */
    public byte[] toBytes() {
        byte[] b = new byte[length];
        bytes.get(0, b);
        return b;
    }

    /** Keeps the native memory alive until the caller's native call has returned. */
    ByteBuffer memory() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedSockAddr e && e.sockAddr.equals(sockAddr);
    }

    @Override
    public int hashCode() {
        return sockAddr.hashCode();
    }

    @Override
    public String toString() {
        return sockAddr.toString();
    }
}
