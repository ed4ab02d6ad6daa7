package io.dualsock;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 8305 §7 for {@link HappyEyeballs}: whether this host is on an IPv6-only network, the IPv4
 * addresses to reach (an IPv4 literal, or the A answer asked without {@code AI_ADDRCONFIG}), and
 * the IPv6 addresses synthesized for them through a NAT64 prefix (RFC 6052). The checks that
 * touch the system run on a resolver thread ({@link #find}); the arithmetic is pure.
 */
final class Nat64Synthesis {
    private Nat64Synthesis() {}

    /** Whether the host is IPv6-only; the default reads the interface addresses ({@link #hostIsIpv6Only()}). */
    @FunctionalInterface
    interface HostCheck {
        boolean ipv6Only() throws NativeSocketException;
    }

    /** The real check: {@link #hostIsIpv6Only()}. */
    static final HostCheck RTNETLINK = Nat64Synthesis::hostIsIpv6Only;

    /** The addresses made, each with the IPv4 address it embeds, and why some or all were not. */
    record Made(List<Inet6SockAddr> addresses, List<Inet4SockAddr> from, String note) {}

    /**
     * RFC 8305 §7's heuristic, from the interface addresses ({@code RTM_GETADDR} in this thread's
     * network namespace): no routable IPv4 address and at least one routable IPv6 address.
     */
    static boolean hostIsIpv6Only() throws NativeSocketException {
        return ipv6Only(Rtnetlink.addresses());
    }

    /**
     * Routable: IPv4 outside {@code 0/8}, {@code 127/8} and {@code 169.254/16} (glibc's
     * {@code AI_ADDRCONFIG} ignores only the loopback address); IPv6 outside {@code ::1},
     * {@code fe80::/10} and the unspecified address.
     */
    static boolean ipv6Only(List<Rtnetlink.Address> addresses) {
        boolean v6 = false;
        for (Rtnetlink.Address a : addresses) {
            Inet6SockAddr s = new Inet6SockAddr(a.addr16(), 0, 0, 0);
            if (s.isV4Mapped()) {
                if (!hostScoped(s.v4())) return false;
            } else {
                byte[] b = a.addr16();
                boolean linkLocal = (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
                boolean loopbackOrAny = true;
                for (int i = 0; i < 15; i++) if (b[i] != 0) loopbackOrAny = false;
                if (!linkLocal && !loopbackOrAny) v6 = true;
            }
        }
        return v6;
    }

    /**
     * RFC 8305 §7.1: host- or link-scoped IPv4 addresses need no synthesis: {@code 0/8},
     * {@code 127/8}, {@code 169.254/16}, {@code 255.255.255.255}.
     */
    static boolean hostScoped(Inet4SockAddr v4) {
        byte[] b = v4.rawBytes();
        int a0 = b[0] & 0xff, a1 = b[1] & 0xff;
        boolean broadcast = a0 == 255 && a1 == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255;
        return a0 == 0 || a0 == 127 || (a0 == 169 && a1 == 254) || broadcast;
    }

    /**
     * On a resolver thread: is the host IPv6-only; if so, the IPv4 addresses (host itself when it
     * is an {@code inet_pton} IPv4 literal, else {@code getaddrinfo(AF_INET)} without
     * {@code AI_ADDRCONFIG}, which on an IPv6-only host refuses every AF_INET query) and the
     * prefixes from {@code source}. Never throws: a failure is the event's error.
     */
    static RaceEnv.Nat64Found find(String host, int port, ConnectOptions.Nat64Source source, Connector.Lookup lookup,
            HostCheck check) {
        try {
            if (!check.ipv6Only()) return new RaceEnv.Nat64Found(false, List.of(), List.of(), null);
        } catch (NativeSocketException | RuntimeException e) {
            return new RaceEnv.Nat64Found(false, List.of(), List.of(), null); // cannot tell: RFC 8305 §7 stays off
        }
        List<Inet4SockAddr> v4 = new ArrayList<>();
        byte[] literal = InetText.parse4(host);
        if (literal != null) {
            v4.add(Inet4SockAddr.ofOwned(literal, port));
        } else {
            try {
                for (SockAddr a : lookup.lookupWithoutAddrconfig(host, port, NativeSocket.AF_INET)) {
                    if (a instanceof Inet4SockAddr a4 && !v4.contains(a4)) v4.add(a4);
                }
            } catch (ResolverException e) {
                return new RaceEnv.Nat64Found(true, List.of(), List.of(), "A query without AI_ADDRCONFIG: " + e.codeName());
            } catch (RuntimeException e) {
                return new RaceEnv.Nat64Found(true, List.of(), List.of(), "A query without AI_ADDRCONFIG: " + e);
            }
            if (v4.isEmpty()) return new RaceEnv.Nat64Found(true, List.of(), List.of(), "no IPv4 address to synthesize from");
        }
        try {
            List<Nat64> prefixes = source.prefixes();
            if (prefixes == null || prefixes.isEmpty()) {
                return new RaceEnv.Nat64Found(true, v4, List.of(), "no NAT64 prefix: discovery (RFC 7050, ipv4only.arpa) found none");
            }
            return new RaceEnv.Nat64Found(true, v4, List.copyOf(prefixes), null);
        } catch (ResolverException e) {
            return new RaceEnv.Nat64Found(true, v4, List.of(), "no NAT64 prefix: discovery failed with " + e.codeName());
        } catch (RuntimeException e) {
            return new RaceEnv.Nat64Found(true, v4, List.of(), "no NAT64 prefix: discovery failed: " + e);
        }
    }

    /**
     * Each IPv4 address under each prefix in turn (RFC 6052 §2.2), skipping host-scoped ones
     * (RFC 8305 §7.1) and the non-global ones the strict well-known prefix refuses (RFC 6052 §3.1).
     */
    static Made synthesize(List<Inet4SockAddr> ipv4, List<Nat64> prefixes) {
        List<Inet6SockAddr> out = new ArrayList<>();
        List<Inet4SockAddr> from = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Inet4SockAddr a : ipv4) {
            if (hostScoped(a)) {
                notes.add(a.address() + " is host-scoped, not synthesized (RFC 8305 §7.1)");
                continue;
            }
            for (Nat64 p : prefixes) {
                if (!p.permitsNonGlobal() && Nat64.isNonGlobal(a)) {
                    notes.add(p + " must not carry the non-global " + a.address() + " (RFC 6052 §3.1)");
                    continue;
                }
                Inet6SockAddr s = p.synthesize(a);
                if (!out.contains(s)) {
                    out.add(s);
                    from.add(a);
                }
            }
        }
        return new Made(out, from, notes.isEmpty() ? null : String.join("; ", notes));
    }
}
