package io.dualsock.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.dualsock.Inet6SockAddr;
import io.dualsock.SockAddr;

/**
 * A lab: hosts on one bridge, the servers they run, the clients that try them, and the name
 * table every host sees. Immutable and validated on construction; {@link #figure125()} is
 * UNP Figure 12.5, the default; {@link TopologyJson} reads and writes the JSON format
 * documented in {@code docs/lab.md}.
 *
 * <p>Every address lies in 198.51.100.0/24 (TEST-NET-2) or 2001:db8::/32 (documentation
 * prefix); hosts share the link prefixes {@value #LINK4} and {@value #LINK6}; the lab's DNS
 * server, when there is one, has {@value #DNS4} and {@value #DNS6}.
 *
 * @param description free text, may be empty
 * @param port default port of every server (TCP and UDP echo)
 * @param hosts the hosts, each its own network namespace {@code ds-<name>}
 * @param servers one matrix column each
 * @param clients one matrix row each (IPv6 clients once per variant)
 * @param records names that do not come from a host's {@code names} (e.g. an AAAA record
 *     for an IPv4-only host)
 */
public record Topology(String description, int port, List<Host> hosts, List<Server> servers, List<Client> clients,
                       List<NameRecord> records, List<DnsDelay> dnsDelays) {

    /** A topology whose DNS answers come at once. */
    public Topology(String description, int port, List<Host> hosts, List<Server> servers, List<Client> clients,
                    List<NameRecord> records) {
        this(description, port, hosts, servers, clients, records, List.of());
    }

    /**
     * How late the lab's DNS server answers a name's queries (topology {@code dns_delays}); with
     * any delay the lab serves names with {@link DnsResponder} instead of dnsmasq.
     *
     * @param name a name of the topology, or {@code *} for every name; the first match counts
     * @param aMs delay of the A answer, 0..10000 ms
     * @param aaaaMs delay of the AAAA answer, 0..10000 ms
     */
    public record DnsDelay(String name, int aMs, int aaaaMs) {
        public DnsDelay {
            Objects.requireNonNull(name, "name");
        }

        boolean matches(String n) {
            return name.equals("*") || name.equals(n);
        }
    }

    /** The delay of a query of type AAAA (aaaa) or A for a name, in ms: the first matching {@link DnsDelay}, else 0. */
    public int dnsDelayMs(String name, boolean aaaa) {
        for (DnsDelay d : dnsDelays) if (d.matches(name)) return aaaa ? d.aaaaMs() : d.aMs();
        return 0;
    }

    /** The IPv4 link prefix of the lab's bridge. */
    public static final String LINK4 = "198.51.100.0/24";
    /** The IPv6 link prefix of the lab's bridge. */
    public static final String LINK6 = "2001:db8::/64";
    /** The lab DNS server's IPv4 address. */
    public static final String DNS4 = "198.51.100.53";
    /** The lab DNS server's IPv6 address. */
    public static final String DNS6 = "2001:db8::53";
    /** Every namespace, bridge and veth the lab makes starts with this. */
    public static final String PREFIX = "ds-";
    /** Host names the lab uses for itself. */
    public static final Set<String> RESERVED_HOSTS = Set.of("bridge", "dns");
    /** Hosts on one bridge, at most. */
    public static final int MAX_HOSTS = 40;

    // The bridge's veth names are PREFIX + host and may have 15 characters (IFNAMSIZ - 1).
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /**
     * A host: a network namespace with a stack, addresses and names.
     *
     * @param name 1..12 characters {@code [a-z0-9-]}, not starting or ending with '-'
     * @param ipv4 its address on the bridge, {@code inet_ntop} text, or null for an IPv6-only host
     * @param ipv6 likewise, or null for an IPv4-only host
     * @param names DNS names that resolve to this host's addresses (A for ipv4, AAAA for ipv6)
     * @param addresses more addresses on its {@code eth0}, beyond ipv4 and ipv6 (a second IPv4
     *     subnet, ULA, 6to4, link-local, deprecated ones)
     * @param gaiConf the text of its {@code /etc/gai.conf}, or null for an empty one (glibc's
     *     built-in policy)
     * @param ipv4Path what happens to TCP and UDP packets sent to its IPv4 addresses
     * @param ipv6Path likewise for IPv6 ({@link PathState#BLACKHOLE}: dropped in its namespace, never refused)
     */
    public record Host(String name, Stack stack, String ipv4, String ipv6, List<String> names, List<Address> addresses,
                       String gaiConf, PathState ipv4Path, PathState ipv6Path) {
        public Host {
            names = List.copyOf(names);
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(ipv4Path, "ipv4Path");
            Objects.requireNonNull(ipv6Path, "ipv6Path");
        }

        /** A host whose paths are open. */
        public Host(String name, Stack stack, String ipv4, String ipv6, List<String> names, List<Address> addresses,
                    String gaiConf) {
            this(name, stack, ipv4, ipv6, names, addresses, gaiConf, PathState.OPEN, PathState.OPEN);
        }

        /** A host with only its link addresses and glibc's built-in sorting policy. */
        public Host(String name, Stack stack, String ipv4, String ipv6, List<String> names) {
            this(name, stack, ipv4, ipv6, names, List.of(), null);
        }
    }

    /** An impairment of the path to a host's addresses of one family (topology {@code ipv4_path}/{@code ipv6_path}). */
    public enum PathState {
        /** Packets arrive (the default). */
        OPEN,
        /**
         * TCP and UDP packets to the host's addresses of that family are dropped by an nftables
         * rule in the host's namespace: no RST, no ICMP, a SYN simply goes unanswered, as behind a
         * firewall that drops. Neighbour discovery, ARP and ICMP still work, so the address stays
         * reachable on the link and only the connection attempts vanish.
         */
        BLACKHOLE;

        /** The topology file's word: "open" or "blackhole". */
        public String id() {
            return Words.of(this);
        }
    }

    /**
     * One more address of a host: {@code ip address add <address>/<prefixLength> dev eth0},
     * with {@code preferred_lft 0} when deprecated (the kernel then marks it deprecated at once)
     * and {@code home} for a Mobile IPv6 home address (IFA_F_HOMEADDRESS).
     */
    public record Address(String address, int prefixLength, boolean deprecated, boolean home) {
        public Address {
            Objects.requireNonNull(address, "address");
        }

        public Address(String address, int prefixLength, boolean deprecated) {
            this(address, prefixLength, deprecated, false);
        }

        public boolean ipv6() {
            return address.indexOf(':') >= 0;
        }

        @Override
        public String toString() {
            return address + "/" + prefixLength + (deprecated ? " deprecated" : "") + (home ? " home" : "");
        }
    }

    /**
     * A server: a TCP and a UDP echo socket of one family on the wildcard address.
     *
     * @param name the DNS name clients resolve to reach it
     * @param v6only the value {@code IPV6_V6ONLY} is set to (IPv6 servers only)
     * @param label the column heading
     */
    public record Server(String id, String host, Family family, boolean v6only, String name, int port, String label) {}

    /** A client: a row of the matrix. IPv6 clients run once per variant. */
    public record Client(String id, String host, Family family, String label) {}

    /** The A and AAAA records of one name, in the order the hosts file and DNS server list them. */
    public record NameRecord(String name, List<String> a, List<String> aaaa) {
        public NameRecord {
            a = List.copyOf(a);
            aaaa = List.copyOf(aaaa);
        }

        /** "A only", "AAAA only", "A and AAAA" or "no address". */
        public String describe() {
            if (!a.isEmpty() && !aaaa.isEmpty()) return "A and AAAA";
            if (!a.isEmpty()) return "A only";
            if (!aaaa.isEmpty()) return "AAAA only";
            return "no address";
        }
    }

    public Topology {
        Objects.requireNonNull(description, "description");
        hosts = List.copyOf(hosts);
        servers = List.copyOf(servers);
        clients = List.copyOf(clients);
        records = List.copyOf(records);
        dnsDelays = List.copyOf(dnsDelays);
        validate(port, hosts, servers, clients, records);
        for (DnsDelay d : dnsDelays) {
            if (d.aMs() < 0 || d.aMs() > 10_000 || d.aaaaMs() < 0 || d.aaaaMs() > 10_000) {
                throw new TopologyException("dns_delays: " + d.name() + ": delays must be 0..10000 ms");
            }
        }
    }

    public Host host(String name) {
        for (Host h : hosts) if (h.name.equals(name)) return h;
        throw new IllegalArgumentException("no host \"" + name + "\" in this topology");
    }

    /** Every name with its records: hosts' names first (in host order), then {@link #records()}. */
    public Map<String, NameRecord> nameTable() {
        Map<String, NameRecord> m = new LinkedHashMap<>();
        for (Host h : hosts) {
            for (String n : h.names) {
                m.put(n, new NameRecord(n, h.ipv4 == null ? List.of() : List.of(h.ipv4),
                        h.ipv6 == null ? List.of() : List.of(h.ipv6)));
            }
        }
        for (NameRecord r : records) m.put(r.name, r);
        return Collections.unmodifiableMap(m);
    }

    /** The records of the name a server is reached by. */
    public NameRecord recordsOf(Server s) {
        return nameTable().get(s.name);
    }

    /** True when any host of this topology has the given stack. */
    public boolean uses(Stack stack) {
        return hosts.stream().anyMatch(h -> h.stack == stack);
    }

    // ---------------------------------------------------------------- built-in

    /**
     * UNP Figure 12.5: an IPv4-only host with an IPv4 server (A record only), an IPv6-only host
     * with an IPv6 server (AAAA only), two dual-stack hosts (A and AAAA) with an IPv4 and an
     * IPv6 server, and three client hosts (IPv4-only, IPv6-only, dual-stack); the dual-stack
     * client host runs both an IPv4 and an IPv6 client.
     */
    public static Topology figure125() {
        return Holder.FIGURE;
    }

    private static final class Holder {
        static final Topology FIGURE = TopologyJson.parse(TopologyJson.figure125Json(), TopologyJson.FIGURE_12_5_RESOURCE);
    }

    /** Fills in empty server and client labels with the book's wording. */
    Topology withDefaultLabels() {
        Map<String, NameRecord> table = nameTable();
        List<Server> s2 = new ArrayList<>();
        for (Server s : servers) {
            String label = s.label;
            if (label == null || label.isBlank()) {
                NameRecord r = table.get(s.name);
                label = s.family.label() + " server" + (s.v6only ? " (IPV6_V6ONLY)" : "") + ", "
                        + host(s.host).stack.label() + " (" + r.describe() + ")";
            }
            s2.add(new Server(s.id, s.host, s.family, s.v6only, s.name, s.port, label));
        }
        List<Client> c2 = new ArrayList<>();
        for (Client c : clients) {
            String label = c.label;
            if (label == null || label.isBlank()) label = c.family.label() + " client, " + host(c.host).stack.label();
            c2.add(new Client(c.id, c.host, c.family, label));
        }
        return new Topology(description, port, hosts, s2, c2, records, dnsDelays);
    }

    // ---------------------------------------------------------------- validation

    private static void validate(int port, List<Host> hosts, List<Server> servers, List<Client> clients,
                                 List<NameRecord> records) {
        if (port < 1 || port > 65535) throw new TopologyException("port must be 1..65535, got " + port);
        if (hosts.isEmpty()) throw new TopologyException("hosts: at least one host is needed");
        if (hosts.size() > MAX_HOSTS) throw new TopologyException("hosts: at most " + MAX_HOSTS + " hosts, got " + hosts.size());
        Set<String> hostNames = new HashSet<>();
        Set<String> addresses = new HashSet<>(Set.of(DNS4, DNS6));
        Set<String> names = new HashSet<>();
        for (Host h : hosts) {
            Objects.requireNonNull(h, "host");
            String p = "host \"" + h.name + "\"";
            if (h.name == null || !HOST_NAME.matcher(h.name).matches()) {
                throw new TopologyException(p + ": a host name has 1 to 12 characters a-z, 0-9 and '-' (not first or last)"
                        + " so that " + PREFIX + "<name> fits a 15-character interface name");
            }
            if (RESERVED_HOSTS.contains(h.name)) throw new TopologyException(p + ": the name is reserved for the lab itself");
            if (!hostNames.add(h.name)) throw new TopologyException(p + ": defined twice");
            if (h.stack == null) throw new TopologyException(p + ": no stack");
            if (h.stack.hasIpv4() != (h.ipv4 != null)) {
                throw new TopologyException(p + ": " + h.stack.aHost() + (h.stack.hasIpv4() ? " needs an" : " has no") + " IPv4 address");
            }
            if (h.stack.hasIpv6() != (h.ipv6 != null)) {
                throw new TopologyException(p + ": " + h.stack.aHost() + (h.stack.hasIpv6() ? " needs an" : " has no") + " IPv6 address");
            }
            if (h.ipv4 != null && !addresses.add(checkHost4(h.ipv4, p))) throw new TopologyException(p + ": address " + h.ipv4 + " is taken");
            if (h.ipv6 != null && !addresses.add(checkHost6(h.ipv6, p))) throw new TopologyException(p + ": address " + h.ipv6 + " is taken");
            for (String n : h.names) {
                checkDnsName(n, p);
                if (!names.add(n)) throw new TopologyException(p + ": name " + n + " is defined twice");
            }
            for (Address a : h.addresses) {
                String q = p + ": address " + a;
                if (a.ipv6() ? !h.stack.hasIpv6() : !h.stack.hasIpv4()) {
                    throw new TopologyException(q + ": " + h.stack.aHost() + " has no " + (a.ipv6() ? "IPv6" : "IPv4"));
                }
                if (!addresses.add(checkExtra(a, q))) throw new TopologyException(q + ": the address is taken");
            }
            if (h.gaiConf != null && (h.gaiConf.indexOf('\0') >= 0 || h.gaiConf.length() > 65536)) {
                throw new TopologyException(p + ": gai_conf must be text of at most 64 KiB");
            }
            if (h.ipv4Path != PathState.OPEN && !h.stack.hasIpv4()) {
                throw new TopologyException(p + ": ipv4_path: " + h.stack.aHost() + " has no IPv4");
            }
            if (h.ipv6Path != PathState.OPEN && !h.stack.hasIpv6()) {
                throw new TopologyException(p + ": ipv6_path: " + h.stack.aHost() + " has no IPv6");
            }
        }
        for (NameRecord r : records) {
            String p = "record \"" + r.name + "\"";
            checkDnsName(r.name, p);
            if (!names.add(r.name)) throw new TopologyException(p + ": name " + r.name + " is defined twice");
            for (String a : r.a) canonical(a, checkRecord(a, false, p), p);
            for (String a : r.aaaa) canonical(a, checkRecord(a, true, p), p);
        }
        Set<String> ids = new HashSet<>();
        Map<String, List<Server>> byHostPort = new LinkedHashMap<>();
        for (Server s : servers) {
            String p = "server \"" + s.id + "\"";
            checkEndpoint(p, s.id, s.host, s.family, ids, hostNames);
            if (s.v6only && s.family != Family.IPV6) throw new TopologyException(p + ": v6only applies to IPv6 servers only");
            if (!names.contains(s.name)) throw new TopologyException(p + ": name " + s.name + " is in no host's names and no record");
            if (s.port < 1 || s.port > 65535) throw new TopologyException(p + ": port must be 1..65535");
            byHostPort.computeIfAbsent(s.host + ":" + s.port, k -> new ArrayList<>()).add(s);
        }
        for (List<Server> same : byHostPort.values()) {
            // Two servers on one host and port collide unless one is IPv4 and the other IPv6 with V6ONLY.
            if (same.size() > 2 || (same.size() == 2 && !(same.get(0).family != same.get(1).family
                    && (same.get(0).v6only || same.get(1).v6only)))) {
                throw new TopologyException("servers " + same.stream().map(Server::id).toList()
                        + " share host and port; give one another port (or make the IPv6 one v6only)");
            }
        }
        ids.clear(); // rows and columns are named separately
        for (Client c : clients) {
            String p = "client \"" + c.id + "\"";
            checkEndpoint(p, c.id, c.host, c.family, ids, hostNames);
        }
    }

    private static String canonical(String given, String canonical, String p) {
        if (!given.equals(canonical)) throw new TopologyException(p + ": write " + given + " as " + canonical);
        return canonical;
    }

    private static String checkHost4(String a, String p) {
        String c = canonical(a, check4(a, p), p);
        if (!c.startsWith("198.51.100.")) throw new TopologyException(p + ": IPv4 address " + a + " is not on the lab link " + LINK4);
        int last = Integer.parseInt(c.substring("198.51.100.".length()));
        if (last == 0 || last == 255) throw new TopologyException(p + ": " + a + " is the network or broadcast address of " + LINK4);
        return c;
    }

    private static String checkHost6(String a, String p) {
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

    private static boolean within(byte[] a, String prefix) {
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

    /** The checks a server and a client share: a well-formed id not used before, a known host, a family. */
    private static void checkEndpoint(String p, String id, String host, Family family, Set<String> ids, Set<String> hostNames) {
        if (id == null || !ID.matcher(id).matches()) throw new TopologyException(p + ": an id has 1 to 32 characters A-Z, a-z, 0-9, '_', '.', '-'");
        if (!ids.add(id)) throw new TopologyException(p + ": id used twice");
        if (!hostNames.contains(host)) throw new TopologyException(p + ": no host \"" + host + "\"");
        if (family == null) throw new TopologyException(p + ": no family");
    }

    private static SockAddr address(String a, String p) {
        SockAddr s = parseUnscoped(a);
        if (s == null) throw new TopologyException(p + ": \"" + a + "\" is not an address (no scope allowed)");
        return s;
    }

    /** The address {@code a} with port 0; null when it is not an address or carries a scope. */
    private static SockAddr parseUnscoped(String a) {
        try {
            return a.contains("%") ? null : SockAddr.parse(a, 0);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String checkExtra(Address a, String p) {
        SockAddr s = address(a.address, p);
        canonical(a.address, s.address(), p);
        int max = s.addressBytes().length * 8;
        for (String prefix : EXTRA_PREFIXES) {
            if (within(s.addressBytes(), prefix)) {
                int min = Integer.parseInt(prefix.substring(prefix.indexOf('/') + 1));
                if (a.prefixLength < min || a.prefixLength > max) {
                    throw new TopologyException(p + ": the prefix length must be " + min + ".." + max + " inside " + prefix);
                }
                if ((a.deprecated || a.home) && !a.ipv6()) {
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

    static void checkDnsName(String n, String p) {
        if (n == null || n.isEmpty() || n.length() > 253) throw new TopologyException(p + ": a DNS name has 1 to 253 characters");
        if (!n.equals(n.toLowerCase(Locale.ROOT))) throw new TopologyException(p + ": write name " + n + " in lower case");
        if (n.equals("localhost") || n.endsWith(".localhost")) throw new TopologyException(p + ": " + n + " belongs to loopback");
        for (String label : n.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                throw new TopologyException(p + ": \"" + n + "\" is not a DNS name (labels of 1 to 63 characters a-z, 0-9, '-')");
            }
        }
    }
}
