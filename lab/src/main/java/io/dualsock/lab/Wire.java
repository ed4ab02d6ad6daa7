package io.dualsock.lab;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which IP version carried an exchange, measured from the counter changes of the namespace
 * that received it, with neighbour discovery and ICMP taken out.
 *
 * <p>The measure is "packets delivered to a transport protocol":
 * {@code IpInDelivers - IcmpInMsgs} for IPv4 and {@code Ip6InDelivers - Icmp6InMsgs} for IPv6.
 * The IP layer is the only place where Linux separates the versions of TCP (the Tcp MIB is
 * shared); {@code InDelivers} counts packets handed to an upper protocol, so packets for other
 * hosts, multicast that nobody joined and bad headers are not in it; ICMP and ICMPv6 (neighbour
 * discovery, MLD, router solicitations, port-unreachable errors) are counted by
 * {@code IcmpInMsgs}/{@code Icmp6InMsgs} and subtracted. ARP is not IP and never counted. IGMP
 * would count as IPv4 data, but no lab host joins an IPv4 multicast group. The transport
 * counters are kept beside it as a cross-check ({@code TcpInSegs}, {@code Udp*}, {@code Udp6*}).
 *
 * @param ipv4 IPv4 packets delivered to TCP/UDP in the window
 * @param ipv6 IPv6 packets delivered to TCP/UDP in the window
 * @param deltas every counter that changed in the window (both files), for the record
 */
public record Wire(long ipv4, long ipv6, Map<String, Long> deltas) {
    public Wire {
        deltas = java.util.Collections.unmodifiableMap(new TreeMap<>(deltas));
    }

    public static Wire between(KernelCounters before, KernelCounters after) {
        return of(after.minus(before));
    }

    /** The wire measure of counter changes already taken (e.g. {@link ExchangeResult#clientCounters()}). */
    public static Wire of(Map<String, Long> d) {
        long v4 = d.getOrDefault("IpInDelivers", 0L) - d.getOrDefault("IcmpInMsgs", 0L);
        long v6 = d.getOrDefault("Ip6InDelivers", 0L) - d.getOrDefault("Icmp6InMsgs", 0L);
        return new Wire(v4, v6, d);
    }

    /** "IPv4", "IPv6", "none" or "IPv4+IPv6". */
    public String protocol() {
        if (ipv4 > 0 && ipv6 > 0) return "IPv4+IPv6";
        if (ipv4 > 0) return "IPv4";
        if (ipv6 > 0) return "IPv6";
        return "none";
    }

    /** The single version that carried data, or null for none or both. */
    public Family family() {
        if (ipv4 > 0 && ipv6 == 0) return Family.IPV4;
        if (ipv6 > 0 && ipv4 == 0) return Family.IPV6;
        return null;
    }

    public long get(String counter) {
        return deltas.getOrDefault(counter, 0L);
    }

    /** UDP datagrams that reached a socket: {@code UdpInDatagrams + Udp6InDatagrams}. */
    public long udpDelivered() {
        return get("UdpInDatagrams") + get("Udp6InDatagrams");
    }
}
