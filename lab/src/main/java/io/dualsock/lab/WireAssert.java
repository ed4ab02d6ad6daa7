package io.dualsock.lab;

import java.util.Map;
import java.util.Objects;

/**
 * Claims about a {@link Wire} (counter changes of one host), from
 * {@link LabAssertions#assertThat(Wire)} or {@link LabAssertions#assertThat(Traffic)}. Each
 * returns this for the next claim and throws an {@link AssertionError} whose message carries
 * the evidence: the packets of each IP version delivered to TCP/UDP and every counter that changed.
 */
public final class WireAssert {
    private final Wire wire;
    private String where;

    WireAssert(Wire wire, String where) {
        this.wire = Objects.requireNonNull(wire, "wire");
        this.where = where;
    }

    /** Names where the counters were read ("srv"), for the messages. */
    public WireAssert as(String where) {
        this.where = where;
        return this;
    }

    /** The wire under test. */
    public Wire actual() {
        return wire;
    }

    /** Packets of this version were delivered, and none of the other. */
    public WireAssert wentOver(Family family) {
        if (wire.family() != family) {
            throw fail("expected the traffic " + at() + " to go over " + family.label() + " only, but it went over "
                    + wire.protocol());
        }
        return this;
    }

    /** No packet of this version was delivered to TCP or UDP ("no IPv4 packet reached srv"). */
    public WireAssert receivedNo(Family family) {
        long n = count(family);
        if (n != 0) throw fail("expected no " + family.label() + " packet to reach " + place() + ", but " + n + " did");
        return this;
    }

    /** At least one packet of this version was delivered to TCP or UDP. */
    public WireAssert received(Family family) {
        if (count(family) == 0) throw fail("expected " + family.label() + " packets to reach " + place() + ", but none did");
        return this;
    }

    /** No packet of either version was delivered to TCP or UDP. */
    public WireAssert receivedNothing() {
        if (wire.ipv4() != 0 || wire.ipv6() != 0) throw fail("expected nothing to reach " + place() + ", but " + wire.protocol() + " did");
        return this;
    }

    /**
     * Packets of this version arrived at the host's IP layer and were not delivered
     * ({@code IpInReceives > IpInDelivers}, or the {@code Ip6} pair): dropped on the way in, as
     * a blackholed path ({@link Topology.PathState#BLACKHOLE}) drops them.
     */
    public WireAssert dropped(Family family) {
        String p = family == Family.IPV4 ? "Ip" : "Ip6";
        long in = wire.get(p + "InReceives");
        long delivered = wire.get(p + "InDelivers");
        if (in <= delivered) {
            throw fail("expected " + family.label() + " packets to be dropped " + at() + ", but " + p + "InReceives +" + in
                    + " and " + p + "InDelivers +" + delivered + " show none dropped");
        }
        return this;
    }

    /** A counter changed by exactly this much ({@code "TcpOutRsts"}, {@code "Udp6NoPorts"}, ...). */
    public WireAssert counter(String name, long delta) {
        if (wire.get(name) != delta) throw fail("expected " + name + " " + signed(delta) + " " + at() + ", but it changed by " + signed(wire.get(name)));
        return this;
    }

    private long count(Family family) {
        return family == Family.IPV4 ? wire.ipv4() : wire.ipv6();
    }

    private String place() {
        return where == null ? "the host" : where;
    }

    private String at() {
        return where == null ? "at the host" : "at " + where;
    }

    private static String signed(long n) {
        return (n >= 0 ? "+" : "") + n;
    }

    private AssertionError fail(String claim) {
        return new AssertionError(claim + " (" + evidence(wire) + ")");
    }

    /** "3 IPv4 and 0 IPv6 packets delivered to TCP/UDP; counter changes: IpInDelivers +3, ..." */
    static String evidence(Wire w) {
        StringBuilder sb = new StringBuilder().append(w.ipv4()).append(" IPv4 and ").append(w.ipv6())
                .append(" IPv6 packets delivered to TCP/UDP; counter changes: ");
        if (w.deltas().isEmpty()) return sb.append("none").toString();
        boolean first = true;
        for (Map.Entry<String, Long> e : w.deltas().entrySet()) {
            if (!first) sb.append(", ");
            first = false;
            sb.append(e.getKey()).append(' ').append(signed(e.getValue()));
        }
        return sb.toString();
    }
}
