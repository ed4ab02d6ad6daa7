package io.dualsock.cli.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;

/**
 * Checks a measured table's evidence independently of the runner: nothing of the runner's own
 * reading of it is used ({@code Wire.family()}, {@code Lookup.Resolved.onTheWire()},
 * {@code Attempt.ok()}, the runner's peer parser, its checks). The IP version is computed here
 * from the raw counter changes of the server host, the destination's and the peer's version
 * from their text. A successful attempt shows packets of exactly the destination's version, a
 * peer of that version and a connection or datagram at the server host; a failed one delivered
 * nothing to a server socket, no packet of the other version reached the server host, and a
 * refusal was counted there (the RST or the port without a socket). In a {@code happy} cell the
 * attempts race, so the server host's counters belong to the cell, not to one attempt: there every
 * version that reached the server host must be one that some attempt was sent to, and the winner's
 * version must be among them.
 */
public final class Evidence {
    private Evidence() {}

    /** "IPv4", "IPv6", "none" or "both": packets delivered to TCP/UDP at the server host, ICMP taken out. */
    static String version(Map<String, Long> d) {
        long v4 = d.getOrDefault("IpInDelivers", 0L) - d.getOrDefault("IcmpInMsgs", 0L);
        long v6 = d.getOrDefault("Ip6InDelivers", 0L) - d.getOrDefault("Icmp6InMsgs", 0L);
        return v4 > 0 && v6 > 0 ? "both" : v4 > 0 ? "IPv4" : v6 > 0 ? "IPv6" : "none";
    }

    /** The version an address speaks: an IPv6 literal that is not {@code ::ffff:a.b.c.d} is IPv6. */
    static String addressVersion(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        return a.contains(":") && !a.startsWith("::ffff:") ? "IPv6" : "IPv4";
    }

    /** The version of a peer as the server printed it: {@code 198.51.100.21:40000} or {@code [::ffff:…]:40000}. */
    static String peerVersion(String endpoint) {
        String host = endpoint.startsWith("[") ? endpoint.substring(1, endpoint.indexOf(']'))
                : endpoint.substring(0, endpoint.lastIndexOf(':'));
        int scope = host.indexOf('%');
        return addressVersion(scope < 0 ? host : host.substring(0, scope));
    }

    public static void assertConsistent(MatrixReport.Table t) {
        assertConsistent(t, null);
    }

    /** The version that reaches the server for a destination: IPv4 for an address inside the lab's NAT64 prefix (may be null). */
    static String wireVersion(String address, io.dualsock.Nat64 nat64) {
        if (nat64 != null && nat64.contains(io.dualsock.SockAddr.parse(address, 0))) return "IPv4";
        return addressVersion(address);
    }

    /** {@link #assertConsistent(MatrixReport.Table)} where destinations inside {@code nat64} are translated to IPv4. */
    public static void assertConsistent(MatrixReport.Table t, io.dualsock.Nat64 nat64) {
        boolean tcp = t.transport() == Transport.TCP;
        for (MatrixReport.Cell c : t.cells()) {
            String where = t.transport().id() + "/" + t.variant().id() + " " + c.row() + " -> " + c.column() + " (" + c.text() + ")";
            assertTrue(c.problems().isEmpty(), where + ": " + c.problems());
            String okVersion = null;
            int okTry = 0;
            boolean raced = t.variant().connector();
            if (raced) assertRaceConsistent(c, where, nat64);
            for (MatrixReport.Attempt a : c.attempts()) {
                String at = where + " try " + a.index();
                Map<String, Long> d = a.wire().deltas();
                String expected = wireVersion(a.destination().address(), nat64);
                String other = expected.equals("IPv4") ? "Ip6InDelivers" : "IpInDelivers";
                String otherIcmp = expected.equals("IPv4") ? "Icmp6InMsgs" : "IcmpInMsgs";
                if (!raced) {
                    assertEquals(0, d.getOrDefault(other, 0L) - d.getOrDefault(otherIcmp, 0L),
                            at + ": packets of the other IP version reached the server host: " + d);
                }
                if (a.outcome().equals("ok")) {
                    if (!raced) assertEquals(expected, version(d), at + ": the server host's counters " + d);
                    assertNotNull(a.serverPeer(), at + ": the server saw no peer");
                    assertEquals(expected, peerVersion(a.serverPeer()), at + ": peer " + a.serverPeer());
                    if (tcp) {
                        assertTrue(d.getOrDefault("TcpPassiveOpens", 0L) >= 1, at + ": no TcpPassiveOpens " + d);
                    } else {
                        // The UDP MIBs tell the versions apart themselves: a mapped peer counts in Udp.
                        String in = expected.equals("IPv4") ? "UdpInDatagrams" : "Udp6InDatagrams";
                        String notIn = expected.equals("IPv4") ? "Udp6InDatagrams" : "UdpInDatagrams";
                        assertTrue(d.getOrDefault(in, 0L) >= 1, at + ": no " + in + " " + d);
                        assertEquals(0, d.getOrDefault(notIn, 0L), at + ": " + notIn + " " + d);
                    }
                    if (okVersion == null) {
                        okVersion = expected;
                        okTry = a.index();
                    }
                } else {
                    assertNull(a.serverPeer(), at + ": a failed attempt was served");
                    if (raced) {
                        // the race's counters also hold the winner's packets: only the refusal is the loser's own
                    } else if (tcp) {
                        assertEquals(0, d.getOrDefault("TcpPassiveOpens", 0L), at + ": a failed attempt was accepted");
                    } else {
                        assertEquals(0, d.getOrDefault("UdpInDatagrams", 0L) + d.getOrDefault("Udp6InDatagrams", 0L),
                                at + ": a failed attempt's datagram reached a socket");
                    }
                    if (a.outcome().equals("ENETUNREACH") && !raced) {
                        assertEquals("none", version(d), at + ": nothing may leave a host without a route");
                    }
                    if (a.outcome().equals("ECONNREFUSED")) {
                        long refusals = tcp ? d.getOrDefault("TcpOutRsts", 0L)
                                : d.getOrDefault("UdpNoPorts", 0L) + d.getOrDefault("Udp6NoPorts", 0L);
                        assertTrue(refusals >= 1, at + ": refused, but the server host did not count the refusal " + d);
                    }
                }
            }
            if (c.outcome() == Outcome.NO) {
                assertNull(okVersion, where + ": an attempt succeeded");
                assertNull(c.successfulTry(), where);
            } else {
                assertNotNull(okVersion, where + ": no attempt succeeded");
                assertEquals(okTry, c.successfulTry(), where);
                assertEquals(okVersion, c.outcome().text(), where);
            }
            assertFalse(!c.attempts().isEmpty() && c.lookup().addresses().isEmpty(), where + ": attempts without addresses");
        }
    }

    /** A raced cell: each version delivered at the server host was some attempt's, the winner's among them. */
    private static void assertRaceConsistent(MatrixReport.Cell c, String where, io.dualsock.Nat64 nat64) {
        java.util.Set<String> tried = new java.util.TreeSet<>();
        String winner = null;
        Map<String, Long> d = Map.of();
        for (MatrixReport.Attempt a : c.attempts()) {
            String v = wireVersion(a.destination().address(), nat64);
            tried.add(v);
            if (a.outcome().equals("ok") && winner == null) winner = v;
            if (a.wire().deltas().size() > d.size()) d = a.wire().deltas();
        }
        long v4 = d.getOrDefault("IpInDelivers", 0L) - d.getOrDefault("IcmpInMsgs", 0L);
        long v6 = d.getOrDefault("Ip6InDelivers", 0L) - d.getOrDefault("Icmp6InMsgs", 0L);
        assertFalse(v4 > 0 && !tried.contains("IPv4"), where + ": IPv4 packets reached the server host, no attempt was IPv4: " + d);
        assertFalse(v6 > 0 && !tried.contains("IPv6"), where + ": IPv6 packets reached the server host, no attempt was IPv6: " + d);
        if (winner != null) {
            assertTrue(winner.equals("IPv4") ? v4 > 0 : v6 > 0, where + ": the winner's " + winner + " packets are not in " + d);
        }
    }
}
