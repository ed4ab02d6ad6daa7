package io.dualsock;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 socket address exactly as the kernel and libc see it: {@code struct
 * sockaddr_in} or {@code struct sockaddr_in6}. Unlike {@link InetSocketAddress}, an IPv6
 * address holding an IPv4-mapped address ({@code ::ffff:a.b.c.d}) stays an
 * {@link Inet6SockAddr}: nothing is converted unless the caller asks
 * ({@link Inet6SockAddr#v4()}, {@link Inet4SockAddr#toMapped()}).
 *
 * <p>Text is read as {@code inet_pton(3)} reads it and written as {@code inet_ntop(3)} writes
 * it; that is done in Java, without a native call, and held to libc by tests.
 */
public sealed interface SockAddr permits Inet4SockAddr, Inet6SockAddr {

    /** Port in host byte order, 0..65535. */
    int port();

    /** Address bytes in network byte order: 4 or 16 of them (a copy). */
    byte[] addressBytes();

    /** The address as {@code inet_ntop(3)} prints it, without port or scope. */
    String address();

    /** This address with another port. */
    SockAddr withPort(int port);

    /** {@code AF_INET} or {@code AF_INET6}, this platform's value. */
    int family();

    /**
     * Parses a numeric address as {@code inet_pton(3)} would: dotted-quad IPv4 (no shorthand
     * such as {@code 127.1}: use {@link Resolver#getaddrinfo} to see how libc reads those) or
     * IPv6, optionally followed by {@code %scope} where the scope is a number or an interface
     * name (looked up with {@code if_nametoindex(3)}).
     *
     * @throws IllegalArgumentException when the text is no such address, the port is outside
     *     0..65535, or a named scope does not exist on this host
     * @throws NullPointerException when text is null
     */
    static SockAddr parse(String text, int port) {
        Objects.requireNonNull(text, "text");
        InetText.checkPort(port);
        byte[] v4 = InetText.parse4(text);
        if (v4 != null) return new Inet4SockAddr(v4, port);
        int pct = text.indexOf('%');
        String addr = pct < 0 ? text : text.substring(0, pct);
        byte[] v6 = InetText.parse6(addr);
        if (v6 == null) {
            throw new IllegalArgumentException("not a numeric IPv4 or IPv6 address (inet_pton): " + InetText.quote(text, 80));
        }
        int scope = 0;
        if (pct >= 0) scope = Inet6SockAddr.parseScope(text.substring(pct + 1), text);
        return new Inet6SockAddr(v6, port, 0, scope);
    }

    /**
     * The same address and port as a JDK socket address. An {@link Inet6SockAddr} becomes an
     * {@link Inet6Address} made with {@link Inet6Address#getByAddress(String, byte[], int)},
     * which keeps mapped bytes mapped (whereas {@link InetAddress#getByAddress(byte[])} would
     * turn them into an {@link Inet4Address}). The flow label has no place there and is dropped.
     */
    InetSocketAddress toInetSocketAddress();

    /**
     * From a resolved JDK socket address: {@link Inet4Address} gives {@link Inet4SockAddr},
     * {@link Inet6Address} gives {@link Inet6SockAddr} with its scope id (mapped bytes, if the
     * JDK object holds them, stay mapped).
     *
     * @throws IllegalArgumentException when the address is unresolved
     */
    static SockAddr of(InetSocketAddress isa) {
        Objects.requireNonNull(isa, "isa");
        InetAddress a = isa.getAddress();
        if (a == null) throw new IllegalArgumentException("unresolved address: " + isa);
        if (a instanceof Inet4Address) return new Inet4SockAddr(a.getAddress(), isa.getPort());
        Inet6Address a6 = (Inet6Address) a;
        return new Inet6SockAddr(a6.getAddress(), isa.getPort(), 0, a6.getScopeId());
    }
}
