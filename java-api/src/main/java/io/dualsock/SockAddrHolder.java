package io.dualsock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;

/**
 * A caller-owned place, in direct memory, where {@code recvfrom(2)} and friends write the
 * source address: the shim's "sockaddr holder" ({@code DS_HOLDER_SIZE} bytes: a
 * {@code struct sockaddr_storage} and the {@code socklen_t} the kernel returned). Used by
 * {@link NativeSocket#recvFrom(ByteBuffer, SockAddrHolder)} so that a receive loop allocates
 * nothing.
 *
 * <p>The accessors {@link #family()}, {@link #port()}, {@link #isV4Mapped()},
 * {@link #scopeId()}, {@link #copyAddressBytes(byte[])} and {@link #matches(EncodedSockAddr)}
 * read the kernel bytes in place and allocate nothing. {@link #sockAddr()} decodes into a
 * {@link SockAddr} on first use after each fill and caches it. The address is shown exactly as
 * the kernel wrote it: an IPv4 peer of a dual-stack {@code AF_INET6} socket is
 * {@code ::ffff:a.b.c.d}.
 *
 * <p>Not thread-safe: one holder per receiving thread. Initially empty ({@link #length()} 0).
 */
public final class SockAddrHolder {
    private final ByteBuffer nat;
    private final ByteBuffer net;
    final long address;
    private SockAddr decoded;

    /** An empty holder, {@code sockaddr_storage}-sized, in native memory. */
    public SockAddrHolder() {
        nat = ByteBuffer.allocateDirect(Platform.HOLDER_SIZE).order(ByteOrder.nativeOrder());
        net = nat.duplicate().order(ByteOrder.BIG_ENDIAN);
        address = Native.address(nat);
    }

    /** Called before the kernel writes into the holder. */
    void invalidate() {
        decoded = null;
    }

    ByteBuffer memory() {
        return nat;
    }

    /**
     * Writes an address read from src at srcAt (4 or 16 bytes, network order) with port and
     * scope id, as the kernel would have written it; allocates nothing.
     */
    void setAddress(boolean v6, ByteBuffer src, int srcAt, int port, int scopeId) {
        int len = v6 ? Platform.SIZEOF_SOCKADDR_IN6 : Platform.SIZEOF_SOCKADDR_IN;
        for (int i = 0; i < len; i++) nat.put(i, (byte) 0);
        int familyAt = v6 ? Platform.SIN6_FAMILY : Platform.SIN_FAMILY;
        int family = v6 ? Platform.AF_INET6 : Platform.AF_INET;
        if (Platform.SIZEOF_SA_FAMILY == 2) nat.putShort(familyAt, (short) family);
        else nat.putInt(familyAt, family);
        net.putShort(v6 ? Platform.SIN6_PORT : Platform.SIN_PORT, (short) port);
        nat.put(v6 ? Platform.SIN6_ADDR : Platform.SIN_ADDR, src, srcAt, v6 ? 16 : 4);
        if (v6) nat.putInt(Platform.SIN6_SCOPE_ID, scopeId);
        nat.putInt(Platform.HOLDER_LEN_OFFSET, len);
        decoded = null;
    }

    /** Empties the holder, as if the kernel had returned no address. */
    public void clear() {
        nat.putInt(Platform.HOLDER_LEN_OFFSET, 0);
        decoded = null;
    }

    /**
     * The address length the kernel returned ({@code socklen_t}): {@code sizeof(struct
     * sockaddr_in)} or {@code sizeof(struct sockaddr_in6)}, or 0 when it returned no address
     * (recvfrom on a TCP socket, or a holder never filled).
     */
    public int length() {
        return nat.getInt(Platform.HOLDER_LEN_OFFSET);
    }

    /** True when {@link #length()} is 0. */
    public boolean isEmpty() {
        return length() == 0;
    }

    /** {@code ss_family}: {@code AF_INET}, {@code AF_INET6}, or {@code AF_UNSPEC} when empty. */
    public int family() {
        if (isEmpty()) return Platform.AF_UNSPEC;
        return Platform.SIZEOF_SA_FAMILY == 2 ? nat.getShort(Platform.SIN_FAMILY) & 0xffff : nat.getInt(Platform.SIN_FAMILY);
    }

    private int requireInet() {
        int f = family();
        if (f == Platform.AF_INET && length() >= Platform.SIZEOF_SOCKADDR_IN) return f;
        if (f == Platform.AF_INET6 && length() >= Platform.SIZEOF_SOCKADDR_IN6) return f;
        throw new IllegalStateException(isEmpty() ? "no address in the holder (length 0)"
                : "holder has family " + Names.family(f) + ", length " + length());
    }

    /**
     * Port in host byte order.
     *
     * @throws IllegalStateException when the holder is empty
     */
    public int port() {
        int f = requireInet();
        return net.getShort(f == Platform.AF_INET ? Platform.SIN_PORT : Platform.SIN6_PORT) & 0xffff;
    }

    /** True for an {@code AF_INET6} address in {@code ::ffff:0:0/96}; false for IPv4 or empty. */
    public boolean isV4Mapped() {
        if (isEmpty() || family() != Platform.AF_INET6) return false;
        int a = Platform.SIN6_ADDR;
        return net.getLong(a) == 0 && net.getInt(a + 8) == 0x0000ffff;
    }

    /** {@code sin6_scope_id}, 0 for IPv4. @throws IllegalStateException when empty */
    public int scopeId() {
        return requireInet() == Platform.AF_INET6 ? nat.getInt(Platform.SIN6_SCOPE_ID) : 0;
    }

    /**
     * Copies the address bytes (network byte order) to the start of dst.
     *
     * @return 4 or 16, the number of bytes copied
     * @throws IllegalStateException when empty
     * @throws IndexOutOfBoundsException when dst is too short
     */
    public int copyAddressBytes(byte[] dst) {
        Objects.requireNonNull(dst, "dst");
        boolean v4 = requireInet() == Platform.AF_INET;
        int n = v4 ? 4 : 16;
        Objects.checkFromIndexSize(0, n, dst.length);
        nat.get(v4 ? Platform.SIN_ADDR : Platform.SIN6_ADDR, dst, 0, n);
        return n;
    }

    /**
     * True when this holds the same family, address, port (and, for IPv6, scope id) as e. The
     * flow label is ignored. No allocation.
     */
    public boolean matches(EncodedSockAddr e) {
        Objects.requireNonNull(e, "e");
        if (isEmpty() || family() != e.family()) return false;
        ByteBuffer other = e.memory();
        if (e.family() == Platform.AF_INET) {
            return nat.getShort(Platform.SIN_PORT) == other.getShort(Platform.SIN_PORT)
                    && nat.getInt(Platform.SIN_ADDR) == other.getInt(Platform.SIN_ADDR);
        }
        int a = Platform.SIN6_ADDR;
        return nat.getShort(Platform.SIN6_PORT) == other.getShort(Platform.SIN6_PORT)
                && nat.getLong(a) == other.getLong(a) && nat.getLong(a + 8) == other.getLong(a + 8)
                && nat.getInt(Platform.SIN6_SCOPE_ID) == other.getInt(Platform.SIN6_SCOPE_ID);
    }

    /**
     * The address as a {@link SockAddr}, decoded on the first call after each fill and cached.
     *
     * @return null when the holder is empty
     */
    public SockAddr sockAddr() {
        SockAddr d = decoded;
        if (d == null && !isEmpty()) {
            d = SockAddrCodec.decode(nat, 0, length());
            decoded = d;
        }
        return d;
    }

    /** The held address, encoded again for sending (allocates). @throws IllegalStateException when empty */
    public EncodedSockAddr toEncoded() {
        SockAddr a = sockAddr();
        if (a == null) throw new IllegalStateException("no address in the holder (length 0)");
        return EncodedSockAddr.of(a);
    }

    /** The raw holder bytes up to {@link #length()} (a copy), for diagnostics. */
    public byte[] toBytes() {
        byte[] b = new byte[Math.min(length(), Platform.SIZEOF_SOCKADDR_STORAGE)];
        nat.get(0, b);
        return b;
    }

    @Override
    public String toString() {
        if (isEmpty()) return "(empty)";
        try {
            return sockAddr().toString();
        } catch (IllegalArgumentException e) {
            return "(family " + Names.family(family()) + ", " + Arrays.toString(toBytes()) + ")";
        }
    }
}
