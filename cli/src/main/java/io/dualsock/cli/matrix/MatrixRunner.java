package io.dualsock.cli.matrix;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.dualsock.Hints;
import io.dualsock.SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.lab.ExchangeResult;
import io.dualsock.lab.Family;
import io.dualsock.lab.KernelCounters;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabException;
import io.dualsock.lab.LabHost;
import io.dualsock.lab.Lookup;
import io.dualsock.lab.Served;
import io.dualsock.lab.Topology;
import io.dualsock.lab.Wire;

/**
 * Runs the matrix in a running {@link Lab}, one cell after another so that a counter change at
 * the server host belongs to exactly one attempt: each attempt carries the IP version that
 * reached the server host (docs/lab.md, "Cells").
 */
public final class MatrixRunner {

    /**
     * @param udpTimeout how long an unconnected UDP client waits for the echo (SO_RCVTIMEO)
     * @param tcpTimeout how long a TCP client waits for connect and for the echo
     * @param servedTimeout how long to wait for the server's report after a successful exchange
     */
    public record Options(Duration udpTimeout, Duration tcpTimeout, Duration servedTimeout) {
        public static Options defaults() {
            return new Options(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(3));
        }
    }

    private final Lab lab;
    private final Options options;
    private final PrintStream progress;
    private final AtomicLong tokens = new AtomicLong();
    private volatile String nat64Prefix;

    public MatrixRunner(Lab lab, Options options, PrintStream progress) {
        this.lab = lab;
        this.options = options;
        this.progress = progress == null ? new PrintStream(OutputStream.nullOutputStream()) : progress;
    }

    /**
     * The NAT64 prefix the {@link Variant#HAPPY_NAT64} client synthesizes with, e.g.
     * {@code 2001:db8:6464::/96}; null (the default) leaves it to RFC 7050 discovery.
     *
     * @return this runner
     */
    public MatrixRunner nat64Prefix(String prefix) {
        this.nat64Prefix = prefix;
        return this;
    }

    /**
     * Runs one table per transport and variant, in the given order.
     *
     * @param tableDone called with each table as soon as it is complete (may be null)
     */
    public MatrixReport run(List<Transport> transports, List<Variant> variants, java.util.function.Consumer<MatrixReport.Table> tableDone) {
        Topology t = lab.topology();
        if (t.servers().isEmpty() || t.clients().isEmpty()) {
            throw new LabException("a matrix needs at least one server and one client in the topology");
        }
        Instant start = Instant.now();
        List<MatrixReport.Table> tables = new ArrayList<>();
        for (Transport tr : transports) {
            for (Variant v : variants) {
                if (v.connector() && !tr.isTcp()) continue; // the Connector makes TCP connections only
                MatrixReport.Table table = runTable(tr, v);
                tables.add(table);
                if (tableDone != null) tableDone.accept(table);
            }
        }
        List<MatrixReport.ServerStatus> servers = new ArrayList<>();
        for (Lab.ServerInfo s : lab.servers().values()) {
            servers.add(new MatrixReport.ServerStatus(s.spec().id(), s.spec().host(), s.spec().family(), s.spec().v6only(),
                    s.v6only(), s.tcp(), s.udp(), s.tcpLocal(), s.udpLocal(), s.detail().isEmpty() ? null : s.detail()));
        }
        return new MatrixReport(start.toString(), Duration.between(start, Instant.now()).toMillis(), lab.setupMillis(),
                Environment.describe(), t, lab.nameSource(), options.udpTimeout.toMillis(), servers, tables, lab.dnsLog());
    }

    public MatrixReport.Table runTable(Transport transport, Variant variant) {
        Topology t = lab.topology();
        List<MatrixReport.Row> rows = new ArrayList<>();
        for (Topology.Client c : t.clients()) rows.add(new MatrixReport.Row(c.id(), c.label(), c.host(), c.family()));
        List<MatrixReport.Column> cols = new ArrayList<>();
        for (Topology.Server s : t.servers()) {
            Topology.NameRecord r = t.recordsOf(s);
            cols.add(new MatrixReport.Column(s.id(), s.label(), s.host(), s.family(), s.v6only(), s.name(), r.a(), r.aaaa()));
        }
        List<MatrixReport.Cell> cells = new ArrayList<>();
        long t0 = System.nanoTime();
        for (Topology.Client c : t.clients()) {
            for (Topology.Server s : t.servers()) cells.add(runCell(transport, variant, c, s));
        }
        progress.printf("matrix: %s / %s: %d cells in %d ms%n", transport.id(), variant.id(), cells.size(),
                (System.nanoTime() - t0) / 1_000_000);
        return new MatrixReport.Table(transport, variant, rows, cols, cells);
    }

    /** The hints a native client of the topology passes to getaddrinfo in a table of this transport and variant. */
    public static Hints hints(Topology.Client c, Variant v, Transport tr) {
        Hints.Builder b = Hints.builder();
        if (tr.isTcp()) b.stream();
        else b.dgram();
        if (c.family() == Family.IPV4) return b.inet().build();
        if (v.hintsFamily().equals("AF_UNSPEC")) b.unspec();
        else b.inet6();
        return b.flags(v.flags().toArray(new io.dualsock.AiFlag[0])).build();
    }

    /** The addresses a client tries, in order: all that getaddrinfo returned, or only the first in a first-only variant. */
    public static List<Lookup.Resolved> targets(Lookup lookup, Topology.Client c, Variant v) {
        List<Lookup.Resolved> targets = lookup.addresses();
        if (c.family() == Family.IPV6 && v.firstOnly() && !targets.isEmpty()) targets = targets.subList(0, 1);
        return targets;
    }

    /** The family of the socket a client opens for one address. */
    public static Family socketFamily(Topology.Client c, Variant v, Lookup.Resolved target) {
        return c.family() == Family.IPV4 ? Family.IPV4 : v == Variant.UNSPEC || v.connector() ? target.socketFamily() : Family.IPV6;
    }

    MatrixReport.Cell runCell(Transport transport, Variant variant, Topology.Client c, Topology.Server s) {
        Topology topo = lab.topology();
        LabHost client = lab.host(c.host());
        LabHost server = lab.host(s.host());
        if (variant.connector() && transport.isTcp() && c.family() == Family.IPV6) {
            return HappyCell.run(topo, transport, variant, c, s, client, server, s.name(), nat64Setting(variant), options.tcpTimeout,
                    options.servedTimeout, "t" + tokens.incrementAndGet());
        }
        Lookup lookup = client.lookup(s.name(), String.valueOf(s.port()), hints(c, variant, transport));
        List<MatrixReport.Attempt> attempts = new ArrayList<>();
        if (lookup.ok()) {
            int i = 0;
            for (Lookup.Resolved target : targets(lookup, c, variant)) {
                Family socketFamily = socketFamily(c, variant, target);
                MatrixReport.Attempt a = attempt(++i, transport, client, server, s, socketFamily, target);
                attempts.add(a);
                if (a.ok()) break;
            }
        }
        Supplier<String> order = lookup.ok() && targets(lookup, c, variant).size() > 1
                ? () -> OrderNote.firstPair(topo, client, c, lookup) : () -> null;
        return cell(topo, transport, variant, c, s, lookup, attempts, order);
    }

    /**
     * The Connector's NAT64 setting for a variant (the agent's {@code nat64} field): {@code none}
     * for {@link Variant#HAPPY}, the plain client; the runner's prefix, or null (discovery), for
     * {@link Variant#HAPPY_NAT64}.
     */
    String nat64Setting(Variant v) {
        return v == Variant.HAPPY_NAT64 ? nat64Prefix : "none";
    }

    private MatrixReport.Attempt attempt(int index, Transport transport, LabHost client, LabHost server, Topology.Server s,
                                         Family socketFamily, Lookup.Resolved target) {
        Duration timeout = transport.isTcp() ? options.tcpTimeout : options.udpTimeout;
        MatrixReport.Attempt a = attempt(index, transport, client, server, s, socketFamily, target, timeout);
        if (!a.ok() && "EAGAIN".equals(a.outcome()) && a.serverPeer() != null) {
            // The server got the datagram and echoed it, but later than the client waited (a loaded
            // machine): that says nothing about IPv4 or IPv6, so ask again with a long time limit.
            MatrixReport.Attempt again = attempt(index, transport, client, server, s, socketFamily, target, timeout.multipliedBy(10));
            List<String> problems = new ArrayList<>(again.problems());
            return new MatrixReport.Attempt(again.index(), again.socketFamily(), again.destination(), again.addressProtocol(),
                    again.outcome(), again.step(), (again.detail() == null ? "" : again.detail() + "; ")
                    + "asked again: the first echo came after " + timeout.toMillis() + " ms", again.clientLocal(),
                    again.serverPeer(), again.serverLocal(), again.replyFrom(), again.wire(), again.clientCounters(), problems);
        }
        return a;
    }

    private MatrixReport.Attempt attempt(int index, Transport transport, LabHost client, LabHost server, Topology.Server s,
                                         Family socketFamily, Lookup.Resolved target, Duration timeout) {
        String token = "t" + tokens.incrementAndGet();
        server.discardServed();
        KernelCounters before = server.agentCounters();
        ExchangeResult r = client.exchange(socketFamily, transport.isTcp(), transport == Transport.UDP_CONNECTED,
                target.address(), target.port(), timeout, token);
        Optional<Served> served;
        KernelCounters after;
        if (r.ok()) {
            // The report comes when the server has seen the client's FIN (TCP) or sent the echo (UDP).
            served = server.awaitServed(token, options.servedTimeout);
            after = server.agentCounters();
        } else {
            // A failed attempt was served only if something reached a socket there (a late or lost reply):
            // wait for the report only then.
            after = server.agentCounters();
            Wire w = Wire.between(before, after);
            boolean delivered = w.get("TcpPassiveOpens") > 0 || w.udpDelivered() > 0;
            served = server.awaitServed(token, delivered ? options.servedTimeout : Duration.ZERO);
            if (delivered) after = server.agentCounters();
        }
        Wire wire = Wire.between(before, after);
        Family addressProtocol = Nat64Rows.onTheWire(lab.topology(), target);
        List<String> problems = check(transport, r, served, wire, addressProtocol, s);
        return new MatrixReport.Attempt(index, socketFamily, target, addressProtocol, r.outcome(), r.step(), r.detail(),
                r.local(), served.map(Served::peer).orElse(null), served.map(Served::local).orElse(null), r.replyFrom(),
                wire, r.clientCounters(), problems);
    }

    private static final Set<String> LOCAL_ERRORS = Set.of("ENETUNREACH", "EADDRNOTAVAIL", "EAFNOSUPPORT", "EINVAL",
            "REFUSED_BY_API");

    /**
     * Where the evidence of one attempt disagrees with itself (docs/lab.md, "Consistency"); the
     * Java rows and columns ({@code JdkMatrix}) are held to the same checks.
     *
     * @param wire the server host's counter changes around the attempt
     * @param addressProtocol the IP version the destination address implies (mapped: IPv4)
     * @param s the server the attempt was meant for
     * @return one sentence per disagreement, empty when the evidence agrees
     */
    public static List<String> check(Transport transport, ExchangeResult r, Optional<Served> served, Wire wire,
                              Family addressProtocol, Topology.Server s) {
        List<String> p = new ArrayList<>();
        Family other = addressProtocol == Family.IPV4 ? Family.IPV6 : Family.IPV4;
        long otherPackets = other == Family.IPV4 ? wire.ipv4() : wire.ipv6();
        if (r.ok()) {
            Family measured = wire.family();
            if (measured == null) {
                p.add("succeeded, but the server host's counters show " + wire.protocol() + " data (IPv4 " + wire.ipv4()
                        + ", IPv6 " + wire.ipv6() + " packets)");
            } else if (measured != addressProtocol) {
                p.add("the address says " + addressProtocol.label() + " but " + measured.label() + " crossed the wire");
            }
            if (served.isEmpty()) {
                p.add("the server did not report the exchange");
            } else {
                Family peer = peerProtocol(served.get().peer());
                if (peer != null && measured != null && peer != measured) {
                    p.add("the server saw peer " + served.get().peer() + " (" + peer.label() + ") but " + measured.label()
                            + " crossed the wire");
                }
                if (!s.id().equals(served.get().server())) p.add("server " + served.get().server() + " answered, not " + s.id());
            }
            if (transport.isTcp() && wire.get("TcpPassiveOpens") < 1) p.add("no TcpPassiveOpens at the server host");
            if (!transport.isTcp() && measured != null) {
                String c = measured == Family.IPV4 ? "UdpInDatagrams" : "Udp6InDatagrams";
                if (wire.get(c) < 1) p.add("no " + c + " at the server host");
            }
        } else {
            served.ifPresent(x -> p.add("the server reported the exchange (peer " + x.peer() + ") although the client failed with "
                    + r.outcome()));
            if (transport.isTcp() && wire.get("TcpPassiveOpens") > 0) {
                p.add("a connection was accepted at the server host (TcpPassiveOpens +" + wire.get("TcpPassiveOpens")
                        + ") although the client failed");
            }
            if (!transport.isTcp() && wire.udpDelivered() > 0) {
                p.add("a datagram reached a socket at the server host (UdpInDatagrams/Udp6InDatagrams +" + wire.udpDelivered()
                        + ") although the client failed");
            }
            // A refusal is sent by the server host's kernel (a RST, an ICMP port unreachable), which
            // counts it: without that count the counters are not the server host's.
            if ("ECONNREFUSED".equals(r.outcome())) {
                long refusals = transport.isTcp() ? wire.get("TcpOutRsts") : wire.get("UdpNoPorts") + wire.get("Udp6NoPorts");
                if (refusals < 1) {
                    p.add("refused, but the server host counted no " + (transport.isTcp() ? "TcpOutRsts" : "UdpNoPorts/Udp6NoPorts")
                            + " (are these its counters?)");
                }
            }
            if (LOCAL_ERRORS.contains(r.outcome()) && (wire.ipv4() > 0 || wire.ipv6() > 0)) {
                p.add("the client failed before sending (" + r.outcome() + ") but the server host received " + wire.protocol()
                        + " data");
            }
        }
        if (otherPackets > 0) {
            p.add(otherPackets + " " + other.label() + " packet(s) reached the server host although the attempt used "
                    + addressProtocol.label());
        }
        return p;
    }

    /** The IP version behind an address as a server reports it ({@code [::ffff:a.b.c.d]:p} is IPv4). */
    static Family peerProtocol(String endpoint) {
        if (endpoint == null) return null;
        try {
            String host;
            int port;
            if (endpoint.startsWith("[")) {
                int close = endpoint.indexOf(']');
                host = endpoint.substring(1, close);
                port = Integer.parseInt(endpoint.substring(close + 2));
            } else {
                int colon = endpoint.lastIndexOf(':');
                host = endpoint.substring(0, colon);
                port = Integer.parseInt(endpoint.substring(colon + 1));
            }
            int pct = host.indexOf('%');
            SockAddr a = SockAddr.parse(pct < 0 ? host : host.substring(0, pct), port);
            return a instanceof Inet6SockAddr a6 && !a6.isV4Mapped() ? Family.IPV6 : Family.IPV4;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * What a cell's attempts add up to, as both matrices show it: the first successful attempt
     * ({@code ok}, null if none), its family as the wire measured it (the address's, marked
     * {@code ?}, when the counters could not tell), or {@code (no)} with the errors; and every
     * attempt's problems, numbered by try (a mutable list, for the caller's own checks).
     */
    public record Verdict(MatrixReport.Attempt ok, Outcome outcome, String text, Integer successfulTry, List<String> problems) {}

    public static Verdict verdict(Lookup lookup, List<MatrixReport.Attempt> attempts) {
        MatrixReport.Attempt ok = attempts.stream().filter(MatrixReport.Attempt::ok).findFirst().orElse(null);
        Outcome outcome;
        String text;
        Integer successfulTry = null;
        if (ok != null) {
            Family measured = ok.wire().family();
            Family shown = measured != null ? measured : ok.addressProtocol();
            outcome = shown == Family.IPV4 ? Outcome.IPV4 : Outcome.IPV6;
            text = shown.label() + (measured == null ? "?" : "") + (ok.index() > 1 ? " [try " + ok.index() + "]" : "");
            successfulTry = ok.index();
        } else {
            outcome = Outcome.NO;
            Set<String> errors = new LinkedHashSet<>();
            if (!lookup.ok()) errors.add(lookup.error());
            for (MatrixReport.Attempt a : attempts) errors.add(a.outcome());
            text = "(no)" + (errors.isEmpty() ? "" : " " + String.join(", ", errors));
        }
        List<String> problems = new ArrayList<>();
        for (MatrixReport.Attempt a : attempts) for (String p : a.problems()) problems.add("try " + a.index() + ": " + p);
        return new Verdict(ok, outcome, text, successfulTry, problems);
    }

    static MatrixReport.Cell cell(Topology topo, Transport transport, Variant variant, Topology.Client c, Topology.Server s,
                                  Lookup lookup, List<MatrixReport.Attempt> attempts) {
        return cell(topo, transport, variant, c, s, lookup, attempts, () -> null);
    }

    /** @param order the sentence on why libc put the first address first, asked only when the cell is explained */
    static MatrixReport.Cell cell(Topology topo, Transport transport, Variant variant, Topology.Client c, Topology.Server s,
                                  Lookup lookup, List<MatrixReport.Attempt> attempts, Supplier<String> order) {
        BookTable.Expectation book = BookTable.expect(topo, c, s);
        Verdict v = verdict(lookup, attempts);
        MatrixReport.Attempt ok = v.ok();
        Outcome outcome = v.outcome();
        String text = v.text();
        Integer successfulTry = v.successfulTry();
        if (ok != null && ok.wire().family() != null && ok.wire().family() != ok.addressProtocol()) text += " (!)";
        List<String> problems = v.problems();
        if (ok == null && lookup.ok() && attempts.isEmpty()) problems.add("getaddrinfo returned no address and no error");
        MatrixReport.Cell draft = new MatrixReport.Cell(c.id(), s.id(), lookup, attempts, outcome, successfulTry, text, book,
                null, problems);
        String explanation = draft.differsFromBook() || !problems.isEmpty()
                ? Explainer.explain(topo, transport, variant, c, s, draft, order.get()) : null;
        return new MatrixReport.Cell(c.id(), s.id(), lookup, attempts, outcome, successfulTry, text, book, explanation, problems);
    }

    /** Counter changes worth naming in an explanation, in this order. */
    static Map<String, Long> notable(Map<String, Long> deltas, List<String> names) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String n : names) if (deltas.getOrDefault(n, 0L) != 0) m.put(n, deltas.get(n));
        return m;
    }
}
