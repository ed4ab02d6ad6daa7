package io.dualsock.lab;

import java.util.List;
import java.util.Objects;

import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.Nat64;
import io.dualsock.SockAddr;

/**
 * The lab's NAT64 gateway (topology field {@code nat64}): a namespace {@code ds-<lab id>-nat64} on the
 * lab link running TAYGA, which translates IPv6 packets to addresses inside {@code prefix}
 * into IPv4 packets from an address of {@code pool}, and back. Every IPv6 host routes the
 * prefix to the gateway's {@code ipv6}, every IPv4 host the pool to its {@code ipv4}. See
 * {@code docs/nat64.md}.
 *
 * <p>The lab's IPv4 addresses are all in 198.51.100.0/24, which RFC 6052 §3.1 calls
 * non-global: the well-known prefix {@code 64:ff9b::/96} must not carry them and TAYGA refuses to
 * translate them, so a gateway needs a network-specific prefix inside 2001:db8::/32. The
 * well-known prefix is accepted for DNS64 alone (discovery, synthesized answers): with it the lab
 * runs no gateway ({@link #gateway()} is false) and adds no routes. The pool is
 * routed through the gateway, not part of any host's link addresses: replies to a pool address
 * sent on the link would be ARPed for and lost.
 *
 * @param prefix the NAT64 prefix, {@code inet_ntop} text and one of RFC 6052's lengths
 *     ({@code 2001:db8:6464::/96})
 * @param pool the IPv4 addresses TAYGA maps IPv6 clients to, /25 to /30 inside the lab's
 *     198.51.100.0/24 ({@code 198.51.100.240/29}, also when null); its first address is
 *     reserved, its second is TAYGA's own
 * @param ipv4 the gateway's address on the lab link ({@value #DEFAULT_IPV4} when null)
 * @param ipv6 likewise ({@value #DEFAULT_IPV6} when null)
 */
public record Nat64Spec(String prefix, String pool, String ipv4, String ipv6) {
    /** The gateway's host name (reserved: no topology host may have it); its namespace is {@code ds-<lab id>-nat64}. */
    public static final String HOST = "nat64";
    public static final String DEFAULT_PREFIX = "2001:db8:6464::/96";
    public static final String DEFAULT_POOL = "198.51.100.240/29";
    public static final String DEFAULT_IPV4 = "198.51.100.64";
    public static final String DEFAULT_IPV6 = "2001:db8::64";

    /**
     * @throws TopologyException naming the field ({@code nat64.prefix}, {@code nat64.pool},
     *     {@code nat64.ipv4}, {@code nat64.ipv6}) when a value is not of the form above
     */
    public Nat64Spec {
        if (prefix == null) throw new TopologyException("nat64.prefix: missing");
        if (pool == null) pool = DEFAULT_POOL;
        if (ipv4 == null) ipv4 = DEFAULT_IPV4;
        if (ipv6 == null) ipv6 = DEFAULT_IPV6;
        prefix = checkPrefix(prefix);
        checkPool(pool);
        TopologyAddresses.checkHost4(ipv4, "nat64.ipv4");
        TopologyAddresses.checkHost6(ipv6, "nat64.ipv6");
        if (inPool(ipv4, pool)) throw new TopologyException("nat64.ipv4: " + ipv4 + " is inside the pool " + pool);
    }

    /** The defaults: {@value #DEFAULT_PREFIX}, {@value #DEFAULT_POOL}, gateway {@value #DEFAULT_IPV4} and {@value #DEFAULT_IPV6}. */
    public Nat64Spec() {
        this(DEFAULT_PREFIX, DEFAULT_POOL, DEFAULT_IPV4, DEFAULT_IPV6);
    }

    /** A gateway with its default addresses on the link. */
    public Nat64Spec(String prefix, String pool) {
        this(prefix, pool, DEFAULT_IPV4, DEFAULT_IPV6);
    }

    /** The prefix as dualsock's {@link Nat64}, allowing the lab's non-global IPv4 addresses. */
    public Nat64 nat64() {
        return Nat64.parse(prefix).permitNonGlobal();
    }

    /** False for the well-known prefix, which only DNS64 uses here: TAYGA would not translate the lab's addresses. */
    public boolean gateway() {
        return !nat64().isWellKnown();
    }

    /** The IPv6 address under the prefix that stands for an IPv4 address ({@code 2001:db8:6464::c633:640b} for 198.51.100.11). */
    public String synthesize(String ipv4Address) {
        return nat64().synthesize(Inet4SockAddr.parse(ipv4Address, 0)).address();
    }

    /** True when the address (any text {@link SockAddr#parse} takes) is one of the pool's. */
    public boolean inPool(String address) {
        return inPool(address, pool);
    }

    /** TAYGA's own IPv4 address: the pool's second one (the first is reserved). */
    public String taygaIpv4() {
        byte[] b = network(pool);
        b[3] = (byte) (b[3] + 1);
        return Inet4SockAddr.parse((b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff), 0).address();
    }

    /** The gateway as a lab host: dual-stack, no names. */
    Topology.Host host() {
        return new Topology.Host(HOST, Stack.DUAL, ipv4, ipv6, List.of());
    }

    /** The checks that need the topology's hosts: their addresses stay out of the pool, the prefix and the gateway's. */
    void validate(List<Topology.Host> hosts) {
        if (!gateway()) return; // no gateway host, no pool in use
        for (Topology.Host h : hosts) {
            String p = "host \"" + h.name() + "\"";
            if (ipv4.equals(h.ipv4())) throw new TopologyException(p + ": address " + ipv4 + " is the NAT64 gateway's (nat64.ipv4)");
            if (ipv6.equals(h.ipv6())) throw new TopologyException(p + ": address " + ipv6 + " is the NAT64 gateway's (nat64.ipv6)");
            if (h.ipv4() != null && inPool(h.ipv4())) {
                throw new TopologyException(p + ": address " + h.ipv4() + " is inside the NAT64 pool " + pool + " (nat64.pool)");
            }
            for (Topology.Address a : h.addresses()) {
                if (a.address().equals(ipv4) || a.address().equals(ipv6)) {
                    throw new TopologyException(p + ": address " + a + " is the NAT64 gateway's (nat64.ipv4, nat64.ipv6)");
                }
                if (a.ipv6() ? nat64().contains(SockAddr.parse(a.address(), 0)) : inPool(a.address())) {
                    throw new TopologyException(p + ": address " + a + " is inside the NAT64 " + (a.ipv6() ? "prefix " + prefix
                            + " (nat64.prefix)" : "pool " + pool + " (nat64.pool)"));
                }
            }
        }
        if (inPool(Topology.DNS4)) throw new TopologyException("nat64.pool: " + pool + " holds the lab DNS server's " + Topology.DNS4);
        if (ipv4.equals(Topology.DNS4) || ipv6.equals(Topology.DNS6)) {
            throw new TopologyException("nat64: the gateway's address is the lab DNS server's");
        }
        if (ipv4.equals(Dns64Server.ADDRESS4) || ipv6.equals(Dns64Server.ADDRESS6)) {
            throw new TopologyException("nat64: the gateway's address is the lab DNS64 server's");
        }
    }

    /** The canonical text of a valid prefix. */
    private static String checkPrefix(String prefix) {
        Nat64 n;
        try {
            n = Nat64.parse(prefix);
        } catch (IllegalArgumentException e) {
            throw new TopologyException("nat64.prefix: " + e.getMessage(), e);
        }
        if (n.isWellKnown()) return n.toString();
        byte[] b = n.prefix().addressBytes();
        if ((b[0] & 0xff) != 0x20 || (b[1] & 0xff) != 0x01 || (b[2] & 0xff) != 0x0d || (b[3] & 0xff) != 0xb8) {
            throw new TopologyException("nat64.prefix: " + prefix + " is outside 2001:db8::/32, the only IPv6 prefix the lab uses"
                    + " (besides the well-known 64:ff9b::/96, for DNS64 alone)");
        }
        if (n.length() >= 64 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0) {
            throw new TopologyException("nat64.prefix: " + prefix + " lies inside the lab link " + Topology.LINK6
                    + " (its addresses would be on the link, never routed to the gateway)");
        }
        return n.toString();
    }

    private static void checkPool(String pool) {
        int slash = pool.indexOf('/');
        if (slash < 0) throw new TopologyException("nat64.pool: write an IPv4 prefix such as " + DEFAULT_POOL + ", got \"" + pool + "\"");
        String a = TopologyAddresses.check4(pool.substring(0, slash), "nat64.pool");
        int len;
        try {
            len = Integer.parseInt(pool.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new TopologyException("nat64.pool: \"" + pool.substring(slash + 1) + "\" is not a prefix length");
        }
        if (len < 25 || len > 30) {
            throw new TopologyException("nat64.pool: the length must be 25..30 (a part of the lab's " + Topology.LINK4
                    + " with room for TAYGA's address and a client), got /" + len);
        }
        int last = Integer.parseInt(a.substring(a.lastIndexOf('.') + 1));
        if ((last & ((1 << (32 - len)) - 1)) != 0) {
            int net = last & ~((1 << (32 - len)) - 1);
            throw new TopologyException("nat64.pool: " + pool + " has host bits set; write " + a.substring(0, a.lastIndexOf('.') + 1)
                    + net + "/" + len);
        }
        if (!(a + "/" + len).equals(pool)) throw new TopologyException("nat64.pool: write " + pool + " as " + a + "/" + len);
    }

    private static byte[] network(String pool) {
        return SockAddr.parse(pool.substring(0, pool.indexOf('/')), 0).addressBytes();
    }

    private static boolean inPool(String address, String pool) {
        SockAddr s;
        try {
            s = SockAddr.parse(address, 0);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (s instanceof Inet6SockAddr) return false;
        byte[] a = s.addressBytes();
        byte[] n = network(pool);
        int len = Integer.parseInt(pool.substring(pool.indexOf('/') + 1));
        int mask = (0xff << (32 - len)) & 0xff; // len is 25..30: only the last octet differs
        return a[0] == n[0] && a[1] == n[1] && a[2] == n[2] && (a[3] & mask) == (n[3] & mask);
    }
}
