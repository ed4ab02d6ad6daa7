package io.dualsock.lab;

import java.util.List;

import io.dualsock.Inet6SockAddr;
import io.dualsock.SockAddr;

import static io.dualsock.lab.Topology.LINK4;
import static io.dualsock.lab.Topology.LINK6;

/**
 * The address rules of a {@link Topology}: which text is an address of the lab, on its link,
 * or one a name may point to; every check returns the canonical ({@code inet_ntop}) text or
 * throws a {@link TopologyException} that starts with the field it names.
 */
final class TopologyAddresses {
    private TopologyAddresses() {}

    static String canonical(String given, String canonical, String p) {
        if (!given.equals(canonical)) throw new TopologyException(p + ": write " + given + " as " + canonical);
        return canonical;
    }

    static String checkHost4(String a, String p) {
        String c = canonical(a, check4(a, p), p);
        if (!c.startsWith("198.51.100.")) throw new TopologyException(p + ": IPv4 address " + a + " is not on the lab link " + LINK4);
        int last = Integer.parseInt(c.substring("198.51.100.".length()));
        if (last == 0 || last == 255) throw new TopologyException(p + ": " + a + " is the network or broadcast address of " + LINK4);
        return c;
    }

    static String checkHost6(String a, String p) {
        String c = canonical(a, check6(a, p), p);
        byte[] b = Inet6SockAddr.parse(c, 0).addressBytes();
        for (int i = 4; i < 8; i++) {
            if (b[i] != 0) throw new TopologyException(p + ": IPv6 address " + a + " is not on the lab link " + LINK6);
        }
        boolean allZero = true;
        for (int i = 8; i < 16; i++) allZero &= b[i] == 0;
        if (allZero) throw new TopologyException(p + ": " + a + " is the subnet-router anycast address of " + LINK6);
        return c;
    }

    /**
     * The prefixes a host's extra addresses may come from, each with the shortest prefix length
     * allowed: the lab's IPv4 link and IPv4 link-local; the documentation prefix, ULA, 6to4 of
     * the lab's IPv4 prefix (2002:c633:64xx::/48) and IPv6 link-local. None of them is routed
     * anywhere outside the lab.
     */
    static final List<String> EXTRA_PREFIXES = List.of("198.51.100.0/24", "169.254.0.0/16", "2001:db8::/32", "fd00::/8",
            "2002:c633:6400::/40", "fe80::/10");

    /**
     * The prefixes a record's addresses may come from: those of {@link #EXTRA_PREFIXES},
     * loopback, and the IPv4-mapped and IPv4-compatible forms of the lab's IPv4 prefixes.
     */
    static final List<String> RECORD_PREFIXES = List.of("198.51.100.0/24", "169.254.0.0/16", "127.0.0.0/8",
            "2001:db8::/32", "fd00::/8", "2002:c633:6400::/40", "fe80::/10", "::1/128", "::ffff:198.51.100.0/120",
            "::ffff:169.254.0.0/112", "::ffff:127.0.0.0/104", "::198.51.100.0/120");

    static boolean within(byte[] a, String prefix) {
        int slash = prefix.indexOf('/');
        byte[] p = SockAddr.parse(prefix.substring(0, slash), 0).addressBytes();
        if (p.length != a.length) return false;
        int bits = Integer.parseInt(prefix.substring(slash + 1));
        for (int i = 0; i < p.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff00 >> bits) & 0xff;
            if ((p[i] & mask) != (a[i] & mask)) return false;
        }
        return true;
    }

    static SockAddr address(String a, String p) {
        SockAddr s = parseUnscoped(a);
        if (s == null) throw new TopologyException(p + ": \"" + a + "\" is not an address (no scope allowed)");
        return s;
    }

    /** The address {@code a} with port 0; null when it is not an address or carries a scope. */
    static SockAddr parseUnscoped(String a) {
        try {
            return a.contains("%") ? null : SockAddr.parse(a, 0);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String checkExtra(Topology.Address a, String p) {
        SockAddr s = address(a.address(), p);
        canonical(a.address(), s.address(), p);
        int max = s.addressBytes().length * 8;
        for (String prefix : EXTRA_PREFIXES) {
            if (within(s.addressBytes(), prefix)) {
                int min = Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
                if (a.prefixLength() < min || a.prefixLength() > max) {
                    throw new TopologyException(p + ": the prefix length must be " + min + ".." + max + " inside " + prefix);
                }
                if ((a.deprecated() || a.home()) && !a.ipv6()) {
                    throw new TopologyException(p + ": only IPv6 addresses can be marked deprecated or home here");
                }
                return s.address();
            }
        }
        throw new TopologyException(p + ": outside the prefixes a lab host may have (" + String.join(", ", EXTRA_PREFIXES) + ")");
    }

    /** Canonical text of a record's address, which may be any address inside the lab or loopback. */
    static String checkRecord(String a, boolean ipv6, String p) {
        SockAddr s = address(a, p);
        if ((s instanceof Inet6SockAddr) != ipv6) {
            throw new TopologyException(p + ": \"" + a + "\" is " + (ipv6 ? "IPv4 where IPv6" : "IPv6 where IPv4") + " is expected");
        }
        for (String prefix : RECORD_PREFIXES) {
            if (within(s.addressBytes(), prefix)) return s.address();
        }
        throw new TopologyException(p + ": " + a + " is outside the prefixes a lab name may point to ("
                + String.join(", ", RECORD_PREFIXES) + ")");
    }

    /** Canonical text of an IPv4 address in 198.51.100.0/24. */
    static String check4(String a, String p) {
        SockAddr s;
        try {
            s = SockAddr.parse(a, 0);
        } catch (IllegalArgumentException e) {
            throw new TopologyException(p + ": \"" + a + "\" is not an IPv4 address");
        }
        if (s instanceof Inet6SockAddr) throw new TopologyException(p + ": \"" + a + "\" is IPv6 where IPv4 is expected");
        byte[] b = s.addressBytes();
        if ((b[0] & 0xff) != 198 || (b[1] & 0xff) != 51 || (b[2] & 0xff) != 100) {
            throw new TopologyException(p + ": " + a + " is outside 198.51.100.0/24, the only IPv4 prefix the lab uses");
        }
        return s.address();
    }

    /** Canonical text of an IPv6 address in 2001:db8::/32. */
    static String check6(String a, String p) {
        SockAddr s = parseUnscoped(a);
        if (s == null) throw new TopologyException(p + ": \"" + a + "\" is not an IPv6 address (no scope allowed)");
        if (!(s instanceof Inet6SockAddr a6)) throw new TopologyException(p + ": \"" + a + "\" is IPv4 where IPv6 is expected");
        byte[] b = a6.addressBytes();
        if ((b[0] & 0xff) != 0x20 || (b[1] & 0xff) != 0x01 || (b[2] & 0xff) != 0x0d || (b[3] & 0xff) != 0xb8) {
            throw new TopologyException(p + ": " + a + " is outside 2001:db8::/32, the only IPv6 prefix the lab uses");
        }
        return a6.address();
    }

    /**
     * A server addressed by an address literal instead of a name (the IPv4-literal column of
     * the NAT64 rows): the literal as its own one record, or null when the name is not an
     * address a lab name could point to.
     */
    static Topology.NameRecord literal(String name) {
        if (name == null) return null;
        SockAddr s = parseUnscoped(name);
        if (s == null || !s.address().equals(name)) return null;
        boolean v6 = s instanceof Inet6SockAddr;
        try {
            checkRecord(name, v6, "");
        } catch (TopologyException e) {
            return null;
        }
        return new Topology.NameRecord(name, v6 ? List.of() : List.of(name), v6 ? List.of(name) : List.of());
    }
}
