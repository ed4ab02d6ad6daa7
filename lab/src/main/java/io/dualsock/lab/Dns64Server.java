package io.dualsock.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The lab's DNS64 (RFC 6147): Unbound with its {@code dns64} module, run as {@code unbound -d}
 * in the lab's DNS namespace ({@code ds-<lab id>-dns}) on addresses of its own ({@value #ADDRESS4}, {@value #ADDRESS6}),
 * synthesizing AAAA records under the topology's {@code nat64.prefix} for names that have only
 * A records. It asks one server only, the lab's dnsmasq ({@value Topology#DNS4}, a
 * {@code forward-zone} for the root), so nothing is ever asked outside the lab; its configuration
 * lives in the lab's own private directory {@code /run/dualsock-lab/ds-<lab id>-unbound}
 * ({@link LabState#privateDir}); no control socket. Hosts with {@code dns64: true} have it
 * in their resolv.conf.
 */
final class Dns64Server {
    /** Unbound's IPv4 address, on the DNS namespace's link. */
    static final String ADDRESS4 = "198.51.100.54";
    /** Unbound's IPv6 address. */
    static final String ADDRESS6 = "2001:db8::54";
    /** Unbound logs this once its sockets are open. */
    private static final String READY = "start of service";
    static final String UNBOUND = "/usr/sbin/unbound";
    /** The part of its directory's name ({@link LabNames#dir}): {@code ds-<lab id>-unbound} holds unbound.conf. */
    static final String DIR_PART = "unbound";

    private Dns64Server() {}

    /** The program, or empty when Unbound is not installed. */
    static Optional<Path> program() {
        Path p = Path.of(UNBOUND);
        return Files.isExecutable(p) ? Optional.of(p) : Prerequisites.which("unbound");
    }

    /** True when a host of the topology asks for DNS64. */
    static boolean wanted(Topology t) {
        return t.hosts().stream().anyMatch(Topology.Host::dns64);
    }

    /**
     * What a topology with {@code dns64} hosts needs before the lab starts: the lab's DNS
     * ({@link NameSource#DNS}) and Unbound.
     *
     * @throws LabException naming the hosts, otherwise
     */
    static void check(Topology t, NameSource source) {
        List<String> hosts = t.hosts().stream().filter(Topology.Host::dns64).map(Topology.Host::name).toList();
        if (hosts.isEmpty()) return;
        if (source != NameSource.DNS) {
            throw new LabException("host" + (hosts.size() > 1 ? "s " : " ") + String.join(", ", hosts) + ": dns64 needs the lab's DNS server"
                    + " (--resolver dns, or nameSource(NameSource.DNS)); with resolver " + source.id() + " names come from hosts files");
        }
        if (program().isEmpty()) {
            throw new LabException("host" + (hosts.size() > 1 ? "s " : " ") + String.join(", ", hosts) + ": dns64 runs Unbound, and "
                    + UNBOUND + " is not installed (Debian package unbound)");
        }
    }

    /** The extra addresses the DNS namespace carries for Unbound. */
    static List<Topology.Address> addresses() {
        return List.of(new Topology.Address(ADDRESS4, 24, false), new Topology.Address(ADDRESS6, 64, false));
    }

    /**
     * unbound.conf: the dns64 module with the topology's prefix, listening on its own addresses,
     * every name asked of the lab's dnsmasq, {@code test.} (and the other default zones a lab
     * name ends in) not answered by Unbound itself (RFC 6761 defaults).
     */
    static String config(Topology t, Path dir) {
        StringBuilder c = new StringBuilder("# dualsock lab: DNS64 for the hosts with dns64: true\nserver:\n");
        c.append("  verbosity: 1\n  log-queries: yes\n  use-syslog: no\n  logfile: \"\"\n  do-daemonize: no\n");
        c.append("  username: \"\"\n  chroot: \"\"\n  pidfile: \"\"\n  directory: \"").append(dir).append("\"\n");
        c.append("  interface: ").append(ADDRESS4).append("\n  interface: ").append(ADDRESS6).append('\n');
        c.append("  port: 53\n  do-ip4: yes\n  do-ip6: yes\n  do-udp: yes\n  do-tcp: yes\n");
        c.append("  access-control: 198.51.100.0/24 allow\n  access-control: 2001:db8::/32 allow\n");
        c.append("  module-config: \"dns64 iterator\"\n");
        c.append("  dns64-prefix: ").append(t.nat64().prefix()).append('\n');
        c.append("  local-zone: \"test.\" nodefault\n");
        // dnsmasq answers without DNSSEC and from private addresses: nothing to harden against here
        c.append("  harden-glue: no\n  minimal-responses: yes\n  qname-minimisation: no\n");
        c.append("remote-control:\n  control-enable: no\n");
        // A stub-zone for "." would prime the root (NS .), which dnsmasq refuses: forward instead.
        c.append("forward-zone:\n  name: \".\"\n  forward-addr: ").append(Topology.DNS4).append("\n  forward-addr: ").append(Topology.DNS6)
                .append("\n  forward-first: no\n");
        return c.toString();
    }

    /** Writes the configuration in the lab's private directory and starts Unbound in the lab's DNS namespace. */
    static DnsServer start(Topology t, LabState state) {
        Path dir = state.privateDir(DIR_PART);
        Path conf = dir.resolve("unbound.conf");
        try {
            Files.writeString(conf, config(t, dir), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot write " + conf + ": " + e.getMessage(), e);
        }
        String unbound = program().map(Object::toString).orElse(UNBOUND);
        List<String> cmd = List.of(Netns.IP, "netns", "exec", state.names().namespace(DnsServer.HOST), unbound, "-d", "-c", conf.toString());
        return DnsServer.launch(cmd, "unbound", READY, state);
    }
}
