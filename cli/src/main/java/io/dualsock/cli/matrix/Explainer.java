package io.dualsock.cli.matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.dualsock.lab.Family;
import io.dualsock.lab.Lookup;
import io.dualsock.lab.Topology;

/**
 * Writes the one line that says why a cell differs from the book, from the cell's evidence
 * only: what getaddrinfo returned (and, for a looping client, which address selection rule put
 * its first address first), what each attempt did, and what the counters of both hosts show.
 */
final class Explainer {
    private Explainer() {}

    static String explain(Topology topo, Transport transport, Variant variant, Topology.Client c, Topology.Server s,
                          MatrixReport.Cell cell, String order) {
        StringBuilder sb = new StringBuilder();
        sb.append(c.label()).append(" -> ").append(s.label()).append(": book ").append(cell.book().text())
                .append(cell.book().source().equals(BookTable.FIGURE_SOURCE) ? "" : " (by the book's rules)")
                .append(", measured ").append(cell.text()).append(". ");
        Lookup lk = cell.lookup();
        Topology.NameRecord rec = topo.recordsOf(s);
        sb.append("getaddrinfo(").append(lk.name()).append(", ").append(hintsShort(c, variant)).append(")");
        if (!lk.ok()) {
            sb.append(" failed with ").append(lk.error()).append(": ").append(lk.name()).append(" has ")
                    .append(rec.describe()).append(c.family() == Family.IPV4
                            ? " and an AF_INET lookup returns A records only" : "");
            sb.append('.');
            return finish(sb, cell);
        }
        sb.append(" returned ").append(lk.addresses().stream().map(Lookup.Resolved::address).collect(Collectors.joining(", ")));
        if (lk.detail() != null && lk.detail().startsWith(HappyCell.SYNTHESIZED)) sb.append(" (").append(lk.detail()).append(')');
        if (c.family() == Family.IPV6 && variant.firstOnly() && lk.addresses().size() > 1) sb.append(" (the book's client tries the first only)");
        if (lk.addresses().size() > 1 && lk.addresses().get(0).onTheWire() == Family.IPV4
                && lk.addresses().stream().anyMatch(x -> x.onTheWire() == Family.IPV6)
                && !topo.host(c.host()).stack().hasIpv6()) {
            sb.append(" (glibc's RFC 6724 sort put IPv4 first: this client host has no IPv6 source address)");
        }
        sb.append(". ");
        if (order != null) sb.append(order).append(". ");
        List<String> tries = new ArrayList<>();
        for (MatrixReport.Attempt a : cell.attempts()) tries.add(describe(transport, a, s));
        sb.append(String.join("; ", tries)).append('.');
        if (cell.book().outcome() == Outcome.NO && cell.outcome() != Outcome.NO && cell.successfulTry() != null
                && cell.successfulTry() > 1) {
            sb.append(" Trying every address reached what the first address could not (the book's footnote).");
        } else if (cell.book().outcome() == Outcome.NO && cell.outcome() != Outcome.NO && variant == Variant.ALL) {
            sb.append(" AI_ALL added the A record as a mapped address.");
        }
        String nat64 = Nat64Rows.explain(topo, c, cell);
        if (nat64 != null) sb.append(nat64);
        return finish(sb, cell);
    }

    private static String finish(StringBuilder sb, MatrixReport.Cell cell) {
        if (!cell.problems().isEmpty()) sb.append(" INCONSISTENT: ").append(String.join("; ", cell.problems())).append('.');
        return sb.toString();
    }

    static String hintsShort(Topology.Client c, Variant v) {
        if (c.family() == Family.IPV4) return "AF_INET";
        String flags = v.flags().stream().map(f -> f.cName()).collect(Collectors.joining("|"));
        return v.hintsFamily() + (flags.isEmpty() ? "" : ", " + flags);
    }

    /** "try 1 [2001:db8::13]:7007 (IPv6): ECONNREFUSED at connect, the SYN reached the server host ..." */
    static String describe(Transport transport, MatrixReport.Attempt a, Topology.Server s) {
        StringBuilder sb = new StringBuilder("try ").append(a.index()).append(' ').append(a.destination().endpoint())
                .append(" (").append(a.destination().v4mapped() ? "IPv4-mapped, " : nat64Label(a)).append(a.socketFamily().cName())
                .append(" socket): ");
        Family proto = a.addressProtocol();
        String p = proto.label();
        String v = proto == Family.IPV4 ? "" : "6";
        Map<String, Long> w = a.wire().deltas();
        long packets = proto == Family.IPV4 ? a.wire().ipv4() : a.wire().ipv6();
        if (a.ok()) {
            sb.append("ok over ").append(a.wire().protocol()).append(" as measured at the server host (")
                    .append(a.wire().ipv4()).append(" IPv4, ").append(a.wire().ipv6()).append(" IPv6 data packets)");
            if (a.serverPeer() != null) sb.append(", the server saw peer ").append(a.serverPeer());
            return sb.toString();
        }
        sb.append(a.outcome());
        if (a.step() != null) sb.append(" at ").append(a.step());
        switch (a.outcome()) {
            case "ENETUNREACH" -> sb.append(", the client host has no ").append(p).append(" route (client Ip").append(v)
                    .append("OutNoRoutes +").append(a.clientCounters().getOrDefault("Ip" + v + "OutNoRoutes", 0L))
                    .append("), nothing reached the server host");
            case "EADDRNOTAVAIL" -> sb.append(", the client host has no ").append(p)
                    .append(" address to send from, nothing reached the server host");
            case "ECONNREFUSED" -> {
                if (transport.isTcp()) {
                    sb.append(", the ").append(p).append(" SYN reached the server host (").append(packets)
                            .append(" packet(s)), which reset it (TcpOutRsts +").append(w.getOrDefault("TcpOutRsts", 0L))
                            .append("): no ").append(p).append(" socket listens on port ").append(s.port())
                            .append(serverNote(s, proto));
                } else {
                    sb.append(", the datagram reached the server host over ").append(p).append(" (Udp").append(v)
                            .append("NoPorts +").append(w.getOrDefault("Udp" + v + "NoPorts", 0L))
                            .append(") and its ICMP").append(v.isEmpty() ? "" : "v6").append(" port unreachable came back to the connected socket")
                            .append(serverNote(s, proto));
                }
            }
            case "EAGAIN", "EWOULDBLOCK" -> {
                long noPorts = w.getOrDefault("Udp" + v + "NoPorts", 0L);
                if (noPorts > 0) {
                    sb.append(", no reply: the datagram reached the server host over ").append(p).append(" (Udp").append(v)
                            .append("NoPorts +").append(noPorts).append(") but no socket took it").append(serverNote(s, proto))
                            .append("; an unconnected UDP socket is not told of the ICMP error");
                } else {
                    sb.append(", no reply within the time limit; the server host received ").append(a.wire().ipv4())
                            .append(" IPv4 and ").append(a.wire().ipv6()).append(" IPv6 data packets");
                }
            }
            default -> sb.append("; the server host received ").append(a.wire().ipv4()).append(" IPv4 and ")
                    .append(a.wire().ipv6()).append(" IPv6 data packets");
        }
        return sb.toString();
    }

    /** {@code "NAT64 of 198.51.100.51, "} for an address the Connector synthesized, else "". */
    private static String nat64Label(MatrixReport.Attempt a) {
        String v4 = HappyCell.nat64Of(a.detail());
        return v4 == null ? "" : HappyCell.NAT64_OF + v4 + ", ";
    }

    private static String serverNote(Topology.Server s, Family proto) {
        if (s.family() == Family.IPV4 && proto == Family.IPV6) return " (the server's AF_INET socket takes IPv4 only)";
        if (s.family() == Family.IPV6 && proto == Family.IPV4 && s.v6only()) return " (the server's AF_INET6 socket has IPV6_V6ONLY on)";
        return "";
    }
}
