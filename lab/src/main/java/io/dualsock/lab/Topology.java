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
 * @param dnsDelays how late the lab's DNS server answers (topology {@code dns_delays})
 * @param nat64 the lab's NAT64 (topology {@code nat64}): the prefix DNS64 synthesizes under and the gateway translating it, or null for none
 */
public record Topology(String description, int port, List<Host> hosts, List<Server> servers, List<Client> clients,
                       List<NameRecord> records, List<DnsDelay> dnsDelays, Nat64Spec nat64) {

    /** A topology without NAT64 ({@code nat64} null). */
    public Topology(String description, int port, List<Host> hosts, List<Server> servers, List<Client> clients,
                    List<NameRecord> records, List<DnsDelay> dnsDelays) {
        this(description, port, hosts, servers, clients, records, dnsDelays, null);
    }

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
    public static final Set<String> RESERVED_HOSTS = Set.of("bridge", "dns", Nat64Spec.HOST);
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
     * @param dns64 its resolv.conf names the lab's DNS64 resolver (Unbound) instead of dnsmasq
     */
    public record Host(String name, Stack stack, String ipv4, String ipv6, List<String> names, List<Address> addresses,
                       String gaiConf, PathState ipv4Path, PathState ipv6Path, boolean dns64) {
        public Host {
            names = List.copyOf(names);
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(ipv4Path, "ipv4Path");
            Objects.requireNonNull(ipv6Path, "ipv6Path");
        }

        /** A host without DNS64. */
        public Host(String name, Stack stack, String ipv4, String ipv6, List<String> names, List<Address> addresses,
                    String gaiConf, PathState ipv4Path, PathState ipv6Path) {
            this(name, stack, ipv4, ipv6, names, addresses, gaiConf, ipv4Path, ipv6Path, false);
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
     * @param name the DNS name clients resolve to reach it, or an address literal a record could hold (a column by literal)
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
        for (Host h : hosts) {
            if (h.dns64 && nat64 == null) throw new TopologyException("host \"" + h.name + "\": dns64 needs the topology's nat64 prefix");
        }
        if (nat64 != null) nat64.validate(hosts);
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
        NameRecord literal = TopologyAddresses.literal(s.name);
        return literal != null ? literal : nameTable().get(s.name);
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
                NameRecord r = recordsOf(s);
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
        return new Topology(description, port, hosts, s2, c2, records, dnsDelays, nat64);
    }

    // ---------------------------------------------------------------- validation

    private static void validate(int port, List<Host> hosts, List<Server> servers, List<Client> clients,
                                 List<NameRecord> records) {
        if (port < 1 || port > 65535) throw new TopologyException("port must be 1..65535, got " + port);
        if (hosts.isEmpty()) throw new TopologyException("hosts: at least one host is needed");
        if (hosts.size() > MAX_HOSTS) throw new TopologyException("hosts: at most " + MAX_HOSTS + " hosts, got " + hosts.size());
        Set<String> hostNames = new HashSet<>();
        Set<String> addresses = new HashSet<>(Set.of(DNS4, DNS6, Dns64Server.ADDRESS4, Dns64Server.ADDRESS6));
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
            if (h.ipv4 != null && !addresses.add(TopologyAddresses.checkHost4(h.ipv4, p))) throw new TopologyException(p + ": address " + h.ipv4 + " is taken");
            if (h.ipv6 != null && !addresses.add(TopologyAddresses.checkHost6(h.ipv6, p))) throw new TopologyException(p + ": address " + h.ipv6 + " is taken");
            for (String n : h.names) {
                checkDnsName(n, p);
                if (!names.add(n)) throw new TopologyException(p + ": name " + n + " is defined twice");
            }
            for (Address a : h.addresses) {
                String q = p + ": address " + a;
                if (a.ipv6() ? !h.stack.hasIpv6() : !h.stack.hasIpv4()) {
                    throw new TopologyException(q + ": " + h.stack.aHost() + " has no " + (a.ipv6() ? "IPv6" : "IPv4"));
                }
                if (!addresses.add(TopologyAddresses.checkExtra(a, q))) throw new TopologyException(q + ": the address is taken");
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
            for (String a : r.a) TopologyAddresses.canonical(a, TopologyAddresses.checkRecord(a, false, p), p);
            for (String a : r.aaaa) TopologyAddresses.canonical(a, TopologyAddresses.checkRecord(a, true, p), p);
        }
        Set<String> ids = new HashSet<>();
        Map<String, List<Server>> byHostPort = new LinkedHashMap<>();
        for (Server s : servers) {
            String p = "server \"" + s.id + "\"";
            checkEndpoint(p, s.id, s.host, s.family, ids, hostNames);
            if (s.v6only && s.family != Family.IPV6) throw new TopologyException(p + ": v6only applies to IPv6 servers only");
            if (!names.contains(s.name) && TopologyAddresses.literal(s.name) == null) {
                throw new TopologyException(p + ": name " + s.name + " is in no host's names and no record (nor an address of the lab)");
            }
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

    /** The checks a server and a client share: a well-formed id not used before, a known host, a family. */
    private static void checkEndpoint(String p, String id, String host, Family family, Set<String> ids, Set<String> hostNames) {
        if (id == null || !ID.matcher(id).matches()) throw new TopologyException(p + ": an id has 1 to 32 characters A-Z, a-z, 0-9, '_', '.', '-'");
        if (!ids.add(id)) throw new TopologyException(p + ": id used twice");
        if (!hostNames.contains(host)) throw new TopologyException(p + ": no host \"" + host + "\"");
        if (family == null) throw new TopologyException(p + ": no family");
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
