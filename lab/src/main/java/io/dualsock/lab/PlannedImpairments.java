package io.dualsock.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The impairments a {@link Lab.Builder} collects ({@link Lab.Builder#impair},
 * {@link Lab.Builder#dnsDelay}) until it builds its topology: path states per host and DNS
 * delays per name, in the topology's own terms, so the topology checks them as it checks a file's.
 */
final class PlannedImpairments {
    private final Map<String, Topology.PathState[]> paths = new LinkedHashMap<>();
    private final Map<String, Duration[]> hostDelays = new LinkedHashMap<>();
    private final List<Topology.DnsDelay> nameDelays = new ArrayList<>();
    private List<Topology.Host> hosts = List.of();

    HostImpairment host(Lab.Builder builder, List<Topology.Host> declared, String host) {
        Objects.requireNonNull(host, "host");
        if (declared.stream().noneMatch(h -> h.name().equals(host))) {
            throw new TopologyException("declare host " + host + " before its impairments");
        }
        return new HostImpairment(builder, this, host);
    }

    void path(String host, Family family, Topology.PathState state) {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(state, "state");
        paths.computeIfAbsent(host, h -> new Topology.PathState[] {Topology.PathState.OPEN, Topology.PathState.OPEN})
                [family == Family.IPV4 ? 0 : 1] = state;
    }

    void hostDnsDelay(String host, Duration a, Duration aaaa) {
        hostDelays.put(host, new Duration[] {Objects.requireNonNull(a, "aAnswer"), Objects.requireNonNull(aaaa, "aaaaAnswer")});
    }

    void dnsDelay(String name, Duration a, Duration aaaa) {
        nameDelays.add(new Topology.DnsDelay(Objects.requireNonNull(name, "name"), millis(a, "aAnswer"), millis(aaaa, "aaaaAnswer")));
    }

    private static int millis(Duration d, String what) {
        long ms = Objects.requireNonNull(d, what).toMillis();
        // out of range values are the topology's to refuse, with its message
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, ms));
    }

    /** The hosts with their path states set. */
    List<Topology.Host> applyTo(List<Topology.Host> declared) {
        List<Topology.Host> out = new ArrayList<>();
        for (Topology.Host h : declared) {
            Topology.PathState[] p = paths.get(h.name());
            out.add(p == null ? h : new Topology.Host(h.name(), h.stack(), h.ipv4(), h.ipv6(), h.names(), h.addresses(),
                    h.gaiConf(), p[0], p[1]));
        }
        hosts = out;
        return out;
    }

    /** The DNS delays: each delayed host's names, then the names given one by one (call {@link #applyTo} first). */
    List<Topology.DnsDelay> dnsDelays() {
        List<Topology.DnsDelay> out = new ArrayList<>();
        for (Topology.Host h : hosts) {
            Duration[] d = hostDelays.get(h.name());
            if (d == null) continue;
            for (String n : h.names()) out.add(new Topology.DnsDelay(n, millis(d[0], "aAnswer"), millis(d[1], "aaaaAnswer")));
        }
        out.addAll(nameDelays);
        return out;
    }
}
