package io.dualsock.lab;

import java.util.Locale;

/** Which IP versions a lab host has on its interfaces. */
public enum Stack implements SpelledEnum {
    /** IPv4 addresses only; IPv6 disabled on every interface ({@code disable_ipv6=1}, loopback included). */
    IPV4_ONLY("IPv4-only host"),
    /** IPv6 addresses only; IPv4 exists only as loopback's 127.0.0.1, with no route anywhere else. */
    IPV6_ONLY("IPv6-only host"),
    /** Both. */
    DUAL("dual-stack host");

    private final String label;

    Stack(String label) {
        this.label = label;
    }

    /** The spelling used in topology files: {@code ipv4-only}, {@code ipv6-only}, {@code dual-stack}. */
    @Override
    public String id() { return this == DUAL ? "dual-stack" : SpelledEnum.super.id(); }

    /** "IPv4-only host" etc., as in the book's table headings. */
    public String label() { return label; }

    /** "an ipv4-only host", "an ipv6-only host", "a dual-stack host", for messages: the article follows the spoken id. */
    String aHost() {
        String id = id();
        return ("aeiou".indexOf(id.charAt(0)) >= 0 ? "an " : "a ") + id + " host";
    }

    public boolean hasIpv4() { return this != IPV6_ONLY; }

    public boolean hasIpv6() { return this != IPV4_ONLY; }

    /** Reads {@link #id()}; also accepts {@code dual}, {@code ipv4}, {@code ipv6} and any case. */
    public static Stack parse(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        for (Stack st : values()) {
            if (st.id().equals(v)) return st;
        }
        return switch (v) {
            case "dual", "dualstack" -> DUAL;
            case "ipv4", "v4", "ipv4only" -> IPV4_ONLY;
            case "ipv6", "v6", "ipv6only" -> IPV6_ONLY;
            default -> throw new IllegalArgumentException("unknown stack \"" + s + "\" (ipv4-only, ipv6-only, dual-stack)");
        };
    }
}
