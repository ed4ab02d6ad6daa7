package io.dualsock;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Native;

/**
 * {@code struct sockaddr_in6}: 16 address bytes, port, flow label and scope id. Immutable.
 * An IPv4-mapped address ({@code ::ffff:a.b.c.d}) is kept as such; see {@link #isV4Mapped()}.
 */
public final class Inet6SockAddr implements SockAddr {
    private final byte[] addr;
    private final int port;
    private final int flowinfo;
    private final int scopeId;

    /**
     * @param addr 16 bytes, network byte order (copied)
     * @param port 0..65535
     * @param flowinfo {@code sin6_flowinfo} in host byte order (traffic class and flow label)
     * @param scopeId {@code sin6_scope_id}, an interface index for link-local addresses (unsigned)
     */
    public Inet6SockAddr(byte[] addr, int port, int flowinfo, int scopeId) {
        Objects.requireNonNull(addr, "addr");
        if (addr.length != 16) throw new IllegalArgumentException("IPv6 address needs 16 bytes, got " + addr.length);
        InetText.checkPort(port);
        this.addr = addr.clone();
        this.port = port;
        this.flowinfo = flowinfo;
        this.scopeId = scopeId;
    }

    /** Takes addr (16 bytes, port checked by the caller) without copying: for decoders that made it. */
    private Inet6SockAddr(byte[] addr, int port, int flowinfo, int scopeId, boolean owned) {
        this.addr = addr;
        this.port = port;
        this.flowinfo = flowinfo;
        this.scopeId = scopeId;
    }

    static Inet6SockAddr ofOwned(byte[] addr16, int port, int flowinfo, int scopeId) {
        if (addr16.length != 16) throw new IllegalArgumentException("IPv6 address needs 16 bytes, got " + addr16.length);
        InetText.checkPort(port);
        return new Inet6SockAddr(addr16, port, flowinfo, scopeId, true);
    }

    /** {@code inet_pton(AF_INET6)} text with optional {@code %scope} (number or interface name). */
    public static Inet6SockAddr parse(String text, int port) {
        Objects.requireNonNull(text, "text");
        SockAddr a = SockAddr.parse(text, port);
        if (a instanceof Inet6SockAddr a6) return a6;
        throw new IllegalArgumentException("an IPv4 address, not IPv6: \"" + text
                + "\" (use Inet4SockAddr.parse(..).toMapped() for ::ffff:" + text + ")");
    }

    /** {@code [::]:port} ({@code in6addr_any}), for {@code bind(2)}. */
    public static Inet6SockAddr any(int port) {
        return new Inet6SockAddr(new byte[16], port, 0, 0);
    }

    /** {@code [::1]:port}. */
    public static Inet6SockAddr loopback(int port) {
        byte[] a = new byte[16];
        a[15] = 1;
        return new Inet6SockAddr(a, port, 0, 0);
    }

    static int parseScope(String scope, String whole) {
        if (scope.isEmpty()) throw new IllegalArgumentException("empty scope after '%' in \"" + whole + "\"");
        boolean numeric = scope.chars().allMatch(c -> c >= '0' && c <= '9');
        if (numeric) {
            long v;
            try {
                v = Long.parseLong(scope);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0 || v > 0xffffffffL) throw new IllegalArgumentException("scope id out of range in \"" + whole + "\"");
            return (int) v;
        }
        if (scope.indexOf('\0') >= 0 || scope.length() > 64) {
            throw new IllegalArgumentException("invalid interface name in \"" + whole.replace("\0", "\\0") + "\"");
        }
        byte[] name = scope.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocateDirect(name.length + 1);
        b.put(name).put((byte) 0);
        int index = Native.shim().ds_if_nametoindex(Native.address(b));
        java.lang.ref.Reference.reachabilityFence(b);
        if (index <= 0) {
            throw new IllegalArgumentException("no such interface: \"" + scope + "\" (if_nametoindex: "
                    + Errors.errnoName(-index) + ", " + Errors.strerror(-index) + ")");
        }
        return index;
    }

    @Override public int port() { return port; }

    @Override public byte[] addressBytes() { return addr.clone(); }

    byte[] rawBytes() { return addr; }

    /** {@code sin6_flowinfo}, in host byte order. */
    public int flowinfo() { return flowinfo; }

    /** {@code sin6_scope_id} (unsigned; read with {@link Integer#toUnsignedLong}). */
    public int scopeId() { return scopeId; }

    @Override public int family() { return io.dualsock.bindings.Platform.AF_INET6; }

    /** {@code inet_ntop(AF_INET6)} text: {@code ::ffff:198.51.100.1} for a mapped address. */
    @Override public String address() { return InetText.format6(addr); }

    /** True for {@code ::ffff:0:0/96}, the IPv4-mapped addresses (RFC 4291 §2.5.5.2). */
    public boolean isV4Mapped() {
        for (int i = 0; i < 10; i++) if (addr[i] != 0) return false;
        return addr[10] == (byte) 0xff && addr[11] == (byte) 0xff;
    }

    /**
     * The IPv4 address inside a mapped address, same port.
     *
     * @throws IllegalStateException when this is not {@link #isV4Mapped()}
     */
    public Inet4SockAddr v4() {
        if (!isV4Mapped()) throw new IllegalStateException(address() + " is not an IPv4-mapped address");
        return new Inet4SockAddr(Arrays.copyOfRange(addr, 12, 16), port);
    }

    @Override public Inet6SockAddr withPort(int newPort) { return new Inet6SockAddr(addr, newPort, flowinfo, scopeId); }

    /**
     * {@inheritDoc} Scope id 0 means "no scope", as the JDK's own parser leaves it (a scope of 0
     * passed to the JDK would print as {@code %0}); a scope id above 2^31-1 cannot be held by
     * {@link Inet6Address} and is dropped.
     */
    @Override
    public InetSocketAddress toInetSocketAddress() {
        try {
            // a negative scope tells the JDK "not set"
            return new InetSocketAddress(Inet6Address.getByAddress(null, addr, scopeId == 0 ? -1 : scopeId), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always a valid IPv6 address", e);
        }
    }

    /** {@code InetSocketAddress} with a mapped address turned into an {@code Inet4Address}, as the JDK does. */
    public InetSocketAddress toInetSocketAddressUnmapped() {
        return isV4Mapped() ? v4().toInetSocketAddress() : toInetSocketAddress();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Inet6SockAddr other && other.port == port && other.flowinfo == flowinfo
                && other.scopeId == scopeId && Arrays.equals(other.addr, addr);
    }

    @Override public int hashCode() { return ((Arrays.hashCode(addr) * 31 + port) * 31 + flowinfo) * 31 + scopeId; }

    /** {@code [fe80::1%2]:80}: numeric scope, so that printing never calls into native code. */
    @Override
    public String toString() {
        String s = address();
        if (scopeId != 0) s += "%" + Integer.toUnsignedString(scopeId);
        return "[" + s + "]:" + port;
    }
}
