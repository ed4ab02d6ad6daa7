package io.dualsock.lab;

import java.util.Locale;

import io.dualsock.Inet6SockAddr;
import io.dualsock.SockAddr;

/** The address family of a lab server's or client's socket: {@code AF_INET} or {@code AF_INET6}. */
public enum Family implements SpelledEnum {
    IPV4,
    IPV6;

    /** "IPv4" or "IPv6". */
    public String label() { return this == IPV4 ? "IPv4" : "IPv6"; }

    /** "AF_INET" or "AF_INET6". */
    public String cName() { return this == IPV4 ? "AF_INET" : "AF_INET6"; }

    /** The family of a socket address as the kernel sees it (a mapped address is IPv6). */
    public static Family of(SockAddr a) {
        return a instanceof Inet6SockAddr ? IPV6 : IPV4;
    }

    /**
     * The IP version that packets to this destination use: IPv4 for an IPv4 address and for an
     * IPv4-mapped IPv6 address (the kernel sends those as IPv4), IPv6 otherwise.
     */
    public static Family onTheWire(SockAddr destination) {
        if (destination instanceof Inet6SockAddr a6) return a6.isV4Mapped() ? IPV4 : IPV6;
        return IPV4;
    }

    public static Family parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "ipv4", "inet", "af_inet", "4" -> IPV4;
            case "ipv6", "inet6", "af_inet6", "6" -> IPV6;
            default -> throw new IllegalArgumentException("unknown family \"" + s + "\" (ipv4, ipv6)");
        };
    }
}
