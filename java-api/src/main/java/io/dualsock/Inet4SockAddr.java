package io.dualsock;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

import io.dualsock.bindings.Platform;

/** {@code struct sockaddr_in}: a 4-byte address and a port. Immutable. */
public final class Inet4SockAddr implements SockAddr {
    private final byte[] addr;
    private final int port;

    /**
     * @param addr 4 bytes, network byte order (copied)
     * @param port 0..65535
     */
    public Inet4SockAddr(byte[] addr, int port) {
        Objects.requireNonNull(addr, "addr");
        if (addr.length != 4) throw new IllegalArgumentException("IPv4 address needs 4 bytes, got " + addr.length);
        InetText.checkPort(port);
        this.addr = addr.clone();
        this.port = port;
    }

    /** Takes addr (4 bytes) without copying: for decoders that made it. */
    private Inet4SockAddr(byte[] addr, int port, boolean owned) {
        this.addr = addr;
        this.port = port;
    }

    static Inet4SockAddr ofOwned(byte[] addr4, int port) {
        if (addr4.length != 4) throw new IllegalArgumentException("IPv4 address needs 4 bytes, got " + addr4.length);
        InetText.checkPort(port);
        return new Inet4SockAddr(addr4, port, true);
    }

    /** {@code inet_pton(AF_INET)} text (dotted quad) and a port. */
    public static Inet4SockAddr parse(String text, int port) {
        Objects.requireNonNull(text, "text");
        byte[] a = InetText.parse4(text);
        if (a == null) throw new IllegalArgumentException("not a dotted-quad IPv4 address (inet_pton): \"" + text + "\"");
        return new Inet4SockAddr(a, port);
    }

    /** {@code 0.0.0.0:port} ({@code INADDR_ANY}), for {@code bind(2)}. */
    public static Inet4SockAddr any(int port) {
        return new Inet4SockAddr(new byte[4], port);
    }

    /** {@code 127.0.0.1:port}. */
    public static Inet4SockAddr loopback(int port) {
        return new Inet4SockAddr(new byte[] {127, 0, 0, 1}, port);
    }

    @Override public int port() { return port; }

    @Override public byte[] addressBytes() { return addr.clone(); }

    byte[] rawBytes() { return addr; }

    @Override public String address() { return InetText.format4(addr, 0); }

    @Override public int family() { return Platform.AF_INET; }

    @Override public Inet4SockAddr withPort(int newPort) { return new Inet4SockAddr(addr, newPort); }

    /** The IPv4-mapped IPv6 form {@code ::ffff:a.b.c.d}, same port, flow label and scope 0. */
    public Inet6SockAddr toMapped() {
        byte[] m = new byte[16];
        m[10] = (byte) 0xff;
        m[11] = (byte) 0xff;
        System.arraycopy(addr, 0, m, 12, 4);
        return new Inet6SockAddr(m, port, 0, 0);
    }

    @Override
    public InetSocketAddress toInetSocketAddress() {
        try {
            return new InetSocketAddress((Inet4Address) InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always a valid IPv4 address", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Inet4SockAddr other && other.port == port && Arrays.equals(other.addr, addr);
    }

    @Override public int hashCode() { return Arrays.hashCode(addr) * 31 + port; }

    /** {@code 198.51.100.1:80}. */
    @Override public String toString() { return address() + ":" + port; }
}
