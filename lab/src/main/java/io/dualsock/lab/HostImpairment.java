package io.dualsock.lab;

import java.time.Duration;

/**
 * The impairments of one host of a lab being built ({@link Lab.Builder#impair(String)}), the
 * same as a topology file's {@code ipv4_path}, {@code ipv6_path} and {@code dns_delays}; each call
 * returns to the builder:
 *
 * <pre>{@code
 * Lab.builder()
 *         .host("srv", Stack.DUAL)
 *         .impair("srv").ipv6Path(PathState.BLACKHOLE)       // IPv6 SYNs and datagrams to srv vanish
 *         .server("srv").ipv6().and()
 *         .start();
 * }</pre>
 *
 * A blackholed path drops TCP and UDP to the host's addresses of that family in the host's own
 * namespace (nftables; no RST, no ICMP error), see {@link Topology.PathState#BLACKHOLE}; it needs
 * {@code nft}. The topology refuses a path the host's stack does not have.
 */
public final class HostImpairment {
    private final Lab.Builder builder;
    private final PlannedImpairments plan;
    private final String host;

    HostImpairment(Lab.Builder builder, PlannedImpairments plan, String host) {
        this.builder = builder;
        this.plan = plan;
        this.host = host;
    }

    /** What happens to TCP and UDP packets sent to the host's IPv4 addresses. */
    public Lab.Builder ipv4Path(Topology.PathState state) {
        return path(Family.IPV4, state);
    }

    /** What happens to TCP and UDP packets sent to the host's IPv6 addresses. */
    public Lab.Builder ipv6Path(Topology.PathState state) {
        return path(Family.IPV6, state);
    }

    /** What happens to TCP and UDP packets sent to the host's addresses of one family. */
    public Lab.Builder path(Family family, Topology.PathState state) {
        plan.path(host, family, state);
        return builder;
    }

    /**
     * The lab's DNS server answers the A and AAAA queries for each of the host's names this late
     * (0..10 s each); only with {@link NameSource#DNS}. Other names: {@link Lab.Builder#dnsDelay}.
     */
    public Lab.Builder dnsDelay(Duration aAnswer, Duration aaaaAnswer) {
        plan.hostDnsDelay(host, aAnswer, aaaaAnswer);
        return builder;
    }
}
