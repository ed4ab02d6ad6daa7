package io.dualsock.cli.matrix;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.lab.ConnectResult;
import io.dualsock.lab.Family;
import io.dualsock.lab.KernelCounters;
import io.dualsock.lab.LabHost;
import io.dualsock.lab.Lookup;
import io.dualsock.lab.Served;
import io.dualsock.lab.Topology;
import io.dualsock.lab.Wire;

/**
 * A TCP cell of the {@link Variant#HAPPY} (or {@link Variant#HAPPY_NAT64}) table's IPv6 client: one {@code io.dualsock.Connector}
 * happy connect by the client host's agent (AAAA and A asked apart, attempts raced, then the echo
 * exchange), turned into the matrix's lookup and attempts from the connector's trace.
 *
 * <p>The server host's counters cover the whole connect, not each attempt: the packets of the
 * winner's IP version are given to the winner, those of the other version to the first attempt
 * of that version (a refused or abandoned one). Two attempts of the winner's version cannot be
 * told apart; the winner then carries them all.
 */
final class HappyCell {
    private HappyCell() {}

    static final long ATTEMPT_DELAY_MS = 250;

    /** The start of a lookup's detail when the Connector synthesized some of its addresses. */
    static final String SYNTHESIZED = "synthesized ";

    /** The start of an attempt's NAT64 note in its detail: {@code NAT64 of 198.51.100.51 through 2001:db8:6464::/96}. */
    static final String NAT64_OF = "NAT64 of ";

    /** The plain {@link Variant#HAPPY} client to the server's name, RFC 8305 §7 off. */
    static MatrixReport.Cell run(Topology topo, Transport transport, Topology.Client c, Topology.Server s, LabHost client,
                                 LabHost server, Duration timeout, Duration servedTimeout, String token) {
        return run(topo, transport, Variant.HAPPY, c, s, client, server, s.name(), "none", timeout, servedTimeout, token);
    }

    /**
     * One Connector connect to {@code target} (the server's name, or its IPv4 literal for a
     * literal column) with the NAT64 setting {@code nat64}: a prefix, {@code none}, or null for
     * RFC 7050 discovery. A synthesized attempt's detail ends in {@code NAT64 of a.b.c.d through
     * PREFIX}, and its address joins the lookup's list after the resolver's.
     */
    static MatrixReport.Cell run(Topology topo, Transport transport, Variant variant, Topology.Client c, Topology.Server s,
                                 LabHost client, LabHost server, String target, String nat64, Duration timeout,
                                 Duration servedTimeout, String token) {
        server.discardServed();
        KernelCounters before = server.agentCounters();
        ConnectResult r = client.connect("happy", target, s.port(), timeout, ATTEMPT_DELAY_MS, token, nat64);
        Optional<Served> served = r.ok() ? server.awaitServed(token, servedTimeout) : Optional.empty();
        Wire window = Wire.between(before, server.agentCounters());
        JsonNode trace = r.trace();
        Lookup lookup = lookup(s, target, trace, r);
        List<MatrixReport.Attempt> attempts = new ArrayList<>();
        if (trace != null) {
            JsonNode as = trace.path("attempts");
            int winner = -1;
            for (int i = 0; i < as.size(); i++) if ("connected".equals(as.get(i).path("result").asText())) winner = i;
            // the IP version each attempt is on the server's wire (a NAT64 destination is IPv4 there)
            Family winFamily = winner < 0 ? null
                    : Nat64Rows.onTheWire(topo, resolved(as.get(winner), family(as.get(winner))));
            boolean otherGiven = false;
            // a refused loser's evidence (its SYN, the server's RST) without the winner's accept
            Map<String, Long> loser = new java.util.TreeMap<>(window.deltas());
            loser.remove("TcpPassiveOpens");
            for (int i = 0; i < as.size(); i++) {
                JsonNode a = as.get(i);
                Family f = family(a);
                Lookup.Resolved dst = resolved(a, f);
                Family wireFamily = Nat64Rows.onTheWire(topo, dst);
                boolean won = i == winner;
                Wire w;
                if (won) {
                    w = wireFamily == Family.IPV4 ? new Wire(window.ipv4(), 0, window.deltas()) : new Wire(0, window.ipv6(), window.deltas());
                } else if (wireFamily != winFamily && !otherGiven) {
                    otherGiven = true;
                    w = wireFamily == Family.IPV4 ? new Wire(window.ipv4(), 0, loser) : new Wire(0, window.ipv6(), loser);
                } else {
                    w = new Wire(0, 0, Map.of());
                }
                String outcome = won ? (r.ok() ? "ok" : r.outcome()) : a.path("result").asText();
                io.dualsock.lab.ExchangeResult e = new io.dualsock.lab.ExchangeResult(outcome, "connect", won ? r.detail() : null,
                        null, null, Map.of());
                List<String> problems = MatrixRunner.check(transport, e, won ? served : Optional.empty(), w, wireFamily, s);
                attempts.add(new MatrixReport.Attempt(i + 1, f, dst, wireFamily, outcome, "connect",
                        String.format(java.util.Locale.ROOT, "started at %.1f ms, ended at %.1f ms (%s)",
                                a.path("start_ms").asDouble(), a.path("end_ms").asDouble(), a.path("result").asText())
                                + nat64Note(trace, a),
                        null, won ? served.map(Served::peer).orElse(null) : null, won ? served.map(Served::local).orElse(null) : null,
                        null, w, Map.of(), problems));
            }
        }
        return MatrixRunner.cell(topo, transport, variant, c, s, lookup, attempts);
    }

    /** {@code "; NAT64 of 198.51.100.51 through 2001:db8:6464::/96"} for a synthesized attempt, else "". */
    private static String nat64Note(JsonNode trace, JsonNode attempt) {
        if (!attempt.hasNonNull("nat64_of")) return "";
        JsonNode prefixes = trace.path("nat64").path("prefixes");
        return "; " + NAT64_OF + attempt.path("nat64_of").asText() + (prefixes.size() > 0 ? " through " + prefixes.get(0).asText() : "");
    }

    /** The IPv4 address a {@link #nat64Note} names, or null: the reports' label for the attempt's address. */
    static String nat64Of(String detail) {
        if (detail == null) return null;
        int at = detail.indexOf("; " + NAT64_OF);
        if (at < 0) return null;
        String rest = detail.substring(at + 2 + NAT64_OF.length());
        int end = rest.indexOf(' ');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static Family family(JsonNode attempt) {
        return "IPv6".equals(attempt.path("family").asText()) ? Family.IPV6 : Family.IPV4;
    }

    private static Lookup.Resolved resolved(JsonNode a, Family f) {
        return new Lookup.Resolved(f == Family.IPV6 ? "AF_INET6" : "AF_INET", a.path("address").asText(), a.path("port").asInt(),
                false);
    }

    /** The two queries as one lookup: the AAAA answer's addresses, then the A answer's; an error only when both failed. */
    private static Lookup lookup(Topology.Server s, String target, JsonNode trace, ConnectResult r) {
        List<Lookup.Resolved> list = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (trace != null) {
            for (JsonNode q : trace.path("resolutions")) {
                boolean six = "AAAA".equals(q.path("query").asText());
                for (JsonNode a : q.path("addresses")) {
                    list.add(new Lookup.Resolved(six ? "AF_INET6" : "AF_INET", a.asText(), s.port(), false));
                }
                if (!q.path("error").isNull() && !q.path("error").asText().isEmpty()) errors.add(q.path("error").asText());
            }
            for (JsonNode a : trace.path("nat64").path("synthesized")) {
                list.add(new Lookup.Resolved("AF_INET6", a.asText(), s.port(), false));
            }
        } else {
            errors.add(r.outcome());
        }
        String error = list.isEmpty() && !errors.isEmpty() ? errors.get(0) : null;
        String hints = "AF_INET6 and AF_INET apart, AI_ADDRCONFIG (Connector)";
        JsonNode n = trace == null ? null : trace.get("nat64");
        String detail = error == null ? null : String.join(", ", errors);
        if (n != null) {
            hints += "; IPv6-only host, NAT64 (" + n.path("source").asText() + "): " + n.path("synthesized").size() + " synthesized"
                    + (n.path("note").isNull() ? "" : ", " + n.path("note").asText());
            if (n.path("synthesized").size() > 0) {
                List<String> made = new ArrayList<>();
                for (JsonNode a : n.path("synthesized")) made.add(a.asText());
                detail = SYNTHESIZED + String.join(", ", made) + " by the Connector from " + n.path("ipv4").get(0).asText()
                        + (n.path("ipv4").size() > 1 ? " and others" : "") + " (RFC 8305 §7)"
                        + (errors.isEmpty() ? "" : "; the resolver: " + String.join(", ", errors));
            }
        }
        return new Lookup(target, String.valueOf(s.port()), hints, list, error, null, detail);
    }
}
