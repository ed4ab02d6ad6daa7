package io.dualsock.lab;

import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Path impairments of one host of a running lab ({@link Lab#impair(String)}), in force from the
 * call that sets them until {@link #close()}, which restores the paths the host had when this
 * object was made:
 *
 * <pre>{@code
 * try (Impairment i = lab.impair("srv").ipv4Path(PathState.BLACKHOLE)) {
 *     // TCP and UDP to srv's IPv4 addresses are dropped in srv's namespace: no RST, no ICMP
 * }
 * // open again
 * }</pre>
 *
 * Each change replaces the host's {@code inet ds_impair} nftables table in one {@code nft}
 * transaction, so no packet sees a half-made rule set. The lab's close removes the namespace,
 * table and all. DNS delays cannot change while the lab runs (the DNS server has them from its
 * start): set them on the builder ({@link HostImpairment#dnsDelay}).
 */
public final class Impairment implements AutoCloseable {
    /** What each running host's paths are now (a host's entry dies with its lab). */
    private static final Map<LabHost, Topology.Host> NOW = new WeakHashMap<>();

    private final LabHost host;
    private final Topology.Host before;
    private boolean closed;

    private Impairment(LabHost host, Topology.Host before) {
        this.host = host;
        this.before = before;
    }

    static Impairment of(Lab lab, LabHost host) {
        synchronized (NOW) {
            return new Impairment(host, NOW.getOrDefault(host, lab.topology().host(host.name())));
        }
    }

    /** Drops (or lets through again) TCP and UDP packets to the host's IPv4 addresses, from now on. */
    public Impairment ipv4Path(Topology.PathState state) {
        return path(Family.IPV4, state);
    }

    /** Drops (or lets through again) TCP and UDP packets to the host's IPv6 addresses, from now on. */
    public Impairment ipv6Path(Topology.PathState state) {
        return path(Family.IPV6, state);
    }

    /**
     * The path to the host's addresses of one family, from now on.
     *
     * @throws TopologyException when the host's stack lacks the family
     * @throws LabException when {@code nft} is missing or fails
     */
    public Impairment path(Family family, Topology.PathState state) {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(state, "state");
        if (closed) throw new IllegalStateException("this impairment of " + host.name() + " is closed");
        synchronized (NOW) {
            Topology.Host now = NOW.getOrDefault(host, before);
            boolean has = family == Family.IPV4 ? now.stack().hasIpv4() : now.stack().hasIpv6();
            if (state != Topology.PathState.OPEN && !has) {
                throw new TopologyException("host \"" + now.name() + "\": " + family.id() + "_path: " + now.stack().aHost()
                        + " has no " + family.label());
            }
            Topology.Host next = new Topology.Host(now.name(), now.stack(), now.ipv4(), now.ipv6(), now.names(), now.addresses(),
                    now.gaiConf(), family == Family.IPV4 ? state : now.ipv4Path(), family == Family.IPV6 ? state : now.ipv6Path());
            Impairments.replace(next, host.namespace());
            NOW.put(host, next);
        }
        return this;
    }

    /** The host's current state of the path of one family. */
    public Topology.PathState path(Family family) {
        synchronized (NOW) {
            Topology.Host now = NOW.getOrDefault(host, before);
            return family == Family.IPV4 ? now.ipv4Path() : now.ipv6Path();
        }
    }

    /** Restores the paths the host had when this impairment was made (idempotent). */
    @Override
    public void close() {
        synchronized (NOW) {
            if (closed) return;
            closed = true;
            Topology.Host now = NOW.get(host);
            if (now == null || (now.ipv4Path() == before.ipv4Path() && now.ipv6Path() == before.ipv6Path())) return;
            Impairments.replace(before, host.namespace());
            NOW.put(host, before);
        }
    }

    @Override
    public String toString() {
        return "Impairment[" + host.name() + ": ipv4_path " + path(Family.IPV4).id() + ", ipv6_path " + path(Family.IPV6).id() + "]";
    }
}
