package io.dualsock.cli.compare;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.lab.Agent;
import io.dualsock.lab.AgentProcess;
import io.dualsock.lab.ExchangeResult;
import io.dualsock.lab.Family;
import io.dualsock.lab.JavaCommand;
import io.dualsock.lab.KernelCounters;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabException;
import io.dualsock.lab.LabHost;
import io.dualsock.lab.Lookup;
import io.dualsock.lab.Served;
import io.dualsock.lab.Stack;
import io.dualsock.lab.Topology;
import io.dualsock.lab.Wire;
import io.dualsock.cli.matrix.BookTable;
import io.dualsock.cli.matrix.MatrixReport;
import io.dualsock.cli.matrix.Nat64Rows;
import io.dualsock.cli.matrix.MatrixRunner;
import io.dualsock.cli.matrix.Outcome;
import io.dualsock.cli.matrix.Transport;
import io.dualsock.cli.matrix.Variant;

/**
 * The Java rows and columns of {@code dualsock matrix}: ordinary Java programs as clients
 * (one per client host stack and JDK setting: {@code Socket}/{@code DatagramChannel} with
 * default properties, {@code preferIPv6Addresses=true}, {@code preferIPv4Stack=true}) and as
 * servers ({@code ServerSocket}/{@code DatagramChannel} on the wildcard address, default
 * properties and {@code preferIPv4Stack=true}), run by the lab's {@link Agent} on its JDK side,
 * one agent per host and setting. Every cell is measured as the native ones are: the server
 * host's counters around the attempt say which IP version crossed the wire, the server reports
 * the peer as the kernel gave it (and as the JDK showed it), and a cell that differs from the
 * book gets an explanation built from what was seen.
 *
 * <p>Each transport's first table (the first IPv6-client variant run) gains the Java rows and
 * columns; native clients meet Java servers with that table's variant.
 */
public final class JdkMatrix {
    private JdkMatrix() {}

    /**
     * @param jdk the JDK the Java programs run on
     * @param clientSettings one Java client row per client host stack and setting
     * @param serverSettings one Java server column per server host stack and setting
     * @param portOffset Java servers listen on the topology's port + offset + their index
     */
    public record Options(Jdk jdk, List<JdkSetting> clientSettings, List<JdkSetting> serverSettings, Duration udpTimeout,
            Duration tcpTimeout, Duration servedTimeout, int portOffset) {
        public Options {
            clientSettings = List.copyOf(clientSettings);
            serverSettings = List.copyOf(serverSettings);
        }

        public static Options defaults(Duration udpTimeout) {
            return new Options(Jdk.current(), List.of(JdkSetting.DEFAULT, JdkSetting.PREFER_IPV6_TRUE, JdkSetting.PREFER_IPV4_STACK,
                    JdkSetting.DUALSOCK_RESOLVER),
                    List.of(JdkSetting.DEFAULT, JdkSetting.PREFER_IPV4_STACK), udpTimeout, Duration.ofSeconds(3),
                    Duration.ofSeconds(3), 100);
        }
    }

    /** A Java client row: which host, which setting, and the row as the report shows it. */
    record JavaClient(Topology.Client spec, JdkSetting setting) {}

    /** A Java server column. */
    record JavaServer(Topology.Server spec, JdkSetting setting, String detail) {}

    private static String settingId(JdkSetting s) {
        return switch (s) {
            case DEFAULT -> "default";
            case PREFER_IPV6_FALSE -> "v6false";
            case PREFER_IPV6_TRUE -> "v6first";
            case PREFER_IPV6_SYSTEM -> "v6system";
            case PREFER_IPV4_STACK -> "v4stack";
            case DUALSOCK_RESOLVER -> "dsresolver";
        };
    }

    private static String stackId(Stack s) {
        return switch (s) {
            case IPV4_ONLY -> "ipv4only";
            case IPV6_ONLY -> "ipv6only";
            case DUAL -> "dual";
        };
    }

    /**
     * The JDK a setting runs on: the options' one, or for a setting that needs a newer JDK (the
     * resolver provider: 18+) the first of {@link Jdk#defaults()} that can; null when none can.
     */
    static Jdk jdkFor(Options o, JdkSetting s) {
        if (s.unavailableOn(o.jdk()) == null) return o.jdk();
        for (Jdk j : Jdk.defaults()) if (s.unavailableOn(j) == null) return j;
        return null;
    }

    /** The client settings that can run here, each with its JDK; the others are named on progress. */
    static Map<JdkSetting, Jdk> runnableClients(Options o, PrintStream log) {
        Map<JdkSetting, Jdk> m = new LinkedHashMap<>();
        for (JdkSetting s : o.clientSettings()) {
            Jdk j = jdkFor(o, s);
            if (j != null) m.put(s, j);
            else log.printf("matrix: no Java client row \"%s\": %s%n", s.label(), s.unavailableOn(o.jdk()));
        }
        return m;
    }

    /** The first host of each stack among these, in order. */
    private static List<String> onePerStack(Topology t, List<String> hosts) {
        Map<Stack, String> m = new LinkedHashMap<>();
        for (String h : hosts) m.putIfAbsent(t.host(h).stack(), h);
        return new ArrayList<>(m.values());
    }

    /**
     * Runs the Java rows and columns in a running lab and returns the report with them added.
     *
     * @throws LabException when a Java agent or server cannot be started
     */
    public static MatrixReport extend(Lab lab, MatrixReport report, Options o, PrintStream progress) {
        PrintStream log = progress == null ? new PrintStream(OutputStream.nullOutputStream()) : progress;
        Topology topo = lab.topology();
        long t0 = System.nanoTime();
        List<String> clientHosts = onePerStack(topo, topo.clients().stream().map(Topology.Client::host).distinct().toList());
        List<String> serverHosts = onePerStack(topo, topo.servers().stream().map(Topology.Server::host).distinct().toList());

        Map<JdkSetting, Jdk> clientJdks = runnableClients(o, log);
        Map<String, AgentProcess> agents = new LinkedHashMap<>();
        try {
            // Start every JVM first: they boot in parallel.
            for (String h : serverHosts) {
                for (JdkSetting s : o.serverSettings()) agents.put("server " + h + " " + s, startAgent(lab.host(h), o.jdk(), s));
            }
            for (String h : clientHosts) {
                for (Map.Entry<JdkSetting, Jdk> s : clientJdks.entrySet()) {
                    agents.put("client " + h + " " + s.getKey(), startAgent(lab.host(h), s.getValue(), s.getKey()));
                }
            }
            Map<String, Family> families = new LinkedHashMap<>();
            for (Map.Entry<String, AgentProcess> e : agents.entrySet()) {
                JsonNode hello = e.getValue().call(AgentProcess.request(Agent.JDK, "hello"), Duration.ofSeconds(90));
                families.put(e.getKey(), "AF_INET".equals(hello.path("family").asText()) ? Family.IPV4 : Family.IPV6);
            }
            log.printf("matrix: %d Java agents ready (%d ms)%n", agents.size(), (System.nanoTime() - t0) / 1_000_000);

            List<JavaServer> servers = new ArrayList<>();
            List<MatrixReport.ServerStatus> statuses = new ArrayList<>(report.servers());
            int index = 0;
            for (String h : serverHosts) {
                String name = topo.servers().stream().filter(s -> s.host().equals(h)).findFirst().orElseThrow().name();
                for (JdkSetting s : o.serverSettings()) {
                    int port = topo.port() + o.portOffset() + index++;
                    String id = "java-" + settingId(s) + "-on-" + stackId(topo.host(h).stack());
                    AgentProcess a = agents.get("server " + h + " " + s);
                    JsonNode tcp = a.call(serve(id, "tcp", port), Duration.ofSeconds(10));
                    JsonNode udp = a.call(serve(id, "udp", port), Duration.ofSeconds(10));
                    Family family = "AF_INET".equals(tcp.path("family").asText()) ? Family.IPV4 : Family.IPV6;
                    boolean v6only = "1".equals(tcp.path("v6only").asText());
                    String label = "Java server (" + s.label() + "), " + topo.host(h).stack().label() + " ("
                            + topo.recordsOf(new Topology.Server(id, h, family, v6only, name, port, "")).describe() + ")";
                    String detail = "ServerSocket/DatagramChannel on the wildcard: " + tcp.path("family").asText("?")
                            + (family == Family.IPV6 ? " IPV6_V6ONLY=" + tcp.path("v6only").asText("?") : "") + ", the JDK shows "
                            + tcp.path("local").asText("?") + ", the kernel " + tcp.path("kernelLocal").asText("?");
                    servers.add(new JavaServer(new Topology.Server(id, h, family, v6only, name, port, label), s, detail));
                    statuses.add(new MatrixReport.ServerStatus(id, h, family, false, family == Family.IPV6 ? v6only : null,
                            tcp.path("outcome").asText(), udp.path("outcome").asText(), tcp.path("kernelLocal").asText(null),
                            udp.path("kernelLocal").asText(null), "Java (" + o.jdk().label() + ", " + s.label() + "): " + detail));
                    log.printf("lab: Java server %s on %s: tcp %s, udp %s (%s)%n", id, h, tcp.path("outcome").asText(),
                            udp.path("outcome").asText(), tcp.path("family").asText());
                }
            }
            List<JavaClient> clients = new ArrayList<>();
            for (String h : clientHosts) {
                for (JdkSetting s : clientJdks.keySet()) {
                    // The family the JDK's sockets have in that host, as measured there.
                    Family f = families.get("client " + h + " " + s);
                    String id = "java-" + settingId(s) + "-on-" + stackId(topo.host(h).stack());
                    clients.add(new JavaClient(new Topology.Client(id, h, f, "Java client (" + s.label() + "), "
                            + topo.host(h).stack().label()), s));
                }
            }

            Runner run = new Runner(lab, topo, o, agents);
            List<MatrixReport.Table> tables = new ArrayList<>();
            Set<Transport> extended = new LinkedHashSet<>();
            for (MatrixReport.Table t : report.tables()) {
                if (!extended.add(t.transport())) {
                    tables.add(t);
                    continue;
                }
                long tt = System.nanoTime();
                tables.add(run.extendTable(t, clients, servers));
                log.printf("matrix: %s / %s with Java rows and columns: %d more cells in %d ms%n", t.transport().id(),
                        t.variant().id(), tables.get(tables.size() - 1).cells().size() - t.cells().size(),
                        (System.nanoTime() - tt) / 1_000_000);
            }
            Map<String, String> env = new LinkedHashMap<>(report.environment());
            env.put("java.rows", o.jdk().label() + " (" + o.jdk().home() + "): clients " + o.clientSettings().stream()
                    .map(JdkSetting::label).collect(Collectors.joining(", ")) + "; servers " + o.serverSettings().stream()
                    .map(JdkSetting::label).collect(Collectors.joining(", ")));
            return new MatrixReport(report.startedAt(), report.durationMillis(), report.setupMillis(), env, report.topology(),
                    report.resolver(), report.udpTimeoutMillis(), statuses, tables, report.dnsLog());
        } finally {
            for (AgentProcess a : agents.values()) a.close();
        }
    }

    /** Where the evidence of one attempt disagrees with itself: the native cells' checks, {@link MatrixRunner#check}. */
    static List<String> problems(Transport tr, ExchangeResult r, Optional<Served> served, Wire wire, Family address,
            Topology.Server s) {
        return MatrixRunner.check(tr, r, served, wire, address, s);
    }

    /** An agent in host h on that JDK, under that setting. */
    private static AgentProcess startAgent(LabHost h, Jdk jdk, JdkSetting s) {
        return h.startAgent(JavaCommand.of(jdk.java(), jdk.feature()).withJvmArgs(s.jvmArgs()), s.label());
    }

    private static ObjectNode serve(String id, String transport, int port) {
        ObjectNode r = AgentProcess.request(Agent.JDK, "serve");
        r.put("server", id);
        r.put("transport", transport);
        r.put("port", port);
        return r;
    }

    /** Runs cells; one instance per extension. */
    private static final class Runner {
        private final Lab lab;
        private final Topology topo;
        private final Options o;
        private final Map<String, AgentProcess> agents;
        private final AtomicLong tokens = new AtomicLong();

        Runner(Lab lab, Topology topo, Options o, Map<String, AgentProcess> agents) {
            this.lab = lab;
            this.topo = topo;
            this.o = o;
            this.agents = agents;
        }

        MatrixReport.Table extendTable(MatrixReport.Table t, List<JavaClient> clients, List<JavaServer> servers) {
            List<MatrixReport.Row> rows = new ArrayList<>(t.rows());
            for (JavaClient c : clients) rows.add(new MatrixReport.Row(c.spec().id(), c.spec().label(), c.spec().host(), c.spec().family()));
            List<MatrixReport.Column> cols = new ArrayList<>(t.columns());
            for (JavaServer s : servers) {
                Topology.NameRecord r = topo.recordsOf(s.spec());
                cols.add(new MatrixReport.Column(s.spec().id(), s.spec().label(), s.spec().host(), s.spec().family(),
                        s.spec().v6only(), s.spec().name(), r.a(), r.aaaa()));
            }
            List<MatrixReport.Cell> cells = new ArrayList<>(t.cells());
            for (Topology.Client c : topo.clients()) {
                for (JavaServer s : servers) cells.add(nativeClientCell(t.transport(), t.variant(), c, s));
            }
            for (JavaClient c : clients) {
                for (Topology.Server s : topo.servers()) cells.add(javaClientCell(t.transport(), c, s, null));
                for (JavaServer s : servers) cells.add(javaClientCell(t.transport(), c, s.spec(), s));
            }
            return new MatrixReport.Table(t.transport(), t.variant(), rows, cols, cells);
        }

        private AgentProcess serverAgent(JavaServer s) {
            return agents.get("server " + s.spec().host() + " " + s.setting());
        }

        /** A native client of the topology against a Java server, with the table's variant. */
        MatrixReport.Cell nativeClientCell(Transport tr, Variant v, Topology.Client c, JavaServer s) {
            LabHost client = lab.host(c.host());
            Lookup lookup = client.lookup(s.spec().name(), String.valueOf(s.spec().port()), MatrixRunner.hints(c, v, tr));
            List<MatrixReport.Attempt> attempts = new ArrayList<>();
            if (lookup.ok()) {
                int i = 0;
                for (Lookup.Resolved target : MatrixRunner.targets(lookup, c, v)) {
                    Family sf = MatrixRunner.socketFamily(c, v, target);
                    String token = "j" + tokens.incrementAndGet();
                    Duration timeout = tr.isTcp() ? o.tcpTimeout() : o.udpTimeout();
                    AgentProcess sa = serverAgent(s);
                    sa.drainEvents();
                    KernelCounters before = lab.host(s.spec().host()).agentCounters();
                    ExchangeResult r = client.exchange(sf, tr.isTcp(), tr == Transport.UDP_CONNECTED, target.address(),
                            target.port(), timeout, token);
                    JsonNode ev = sa.awaitEvent(match(token), wait(r.ok(), r.outcome()));
                    Wire wire = Wire.between(before, lab.host(s.spec().host()).agentCounters());
                    Optional<Served> served = served(ev);
                    Family onWire = Nat64Rows.onTheWire(topo, target);
                    String detail = r.detail();
                    if (ev != null) detail = (detail == null ? "" : detail + "; ") + "the Java server saw " + ev.path("jdkPeer").asText();
                    MatrixReport.Attempt a = new MatrixReport.Attempt(++i, sf, target, onWire, r.outcome(), r.step(),
                            detail, r.local(), served.map(Served::peer).orElse(null), served.map(Served::local).orElse(null),
                            r.replyFrom(), wire, r.clientCounters(), problems(tr, r, served, wire, onWire, s.spec()));
                    attempts.add(a);
                    if (a.ok()) break;
                }
            }
            return cell(tr, c, s.spec(), lookup, attempts, null, s);
        }

        /** A Java client against a native server (java == null) or a Java server. */
        MatrixReport.Cell javaClientCell(Transport tr, JavaClient c, Topology.Server s, JavaServer java) {
            AgentProcess ca = agents.get("client " + c.spec().host() + " " + c.setting());
            String token = "j" + tokens.incrementAndGet();
            Duration timeout = tr.isTcp() ? o.tcpTimeout() : o.udpTimeout();
            ObjectNode req = AgentProcess.request(Agent.JDK, "exchange");
            req.put("name", s.name());
            req.put("port", s.port());
            req.put("transport", tr.isTcp() ? "tcp" : "udp");
            req.put("connected", tr == Transport.UDP_CONNECTED);
            req.put("timeoutMs", timeout.toMillis());
            req.put("token", token);
            LabHost serverHost = lab.host(s.host());
            AgentProcess sa = java == null ? null : serverAgent(java);
            if (sa != null) sa.drainEvents();
            else serverHost.discardServed();
            KernelCounters before = serverHost.agentCounters();
            JsonNode r = ca.call(req, timeout.plusSeconds(15));
            String outcome = r.path("outcome").asText();
            boolean ok = "ok".equals(outcome);
            Optional<Served> served;
            String jdkPeer = null;
            if (sa != null) {
                JsonNode ev = sa.awaitEvent(match(token), wait(ok, outcome));
                served = served(ev);
                if (ev != null) jdkPeer = ev.path("jdkPeer").asText();
            } else {
                served = serverHost.awaitServed(token, wait(ok, outcome));
            }
            Wire wire = Wire.between(before, serverHost.agentCounters());

            List<Lookup.Resolved> resolved = new ArrayList<>();
            for (JsonNode a : r.path("addresses")) resolved.add(resolved(a.path("type").asText(), a.path("address").asText(), s.port()));
            Jdk jdk = jdkFor(o, c.setting());
            String hintsText = "InetAddress.getAllByName, " + c.setting().label() + " (" + (jdk != null ? jdk : o.jdk()).label() + ")";
            boolean unknown = "UnknownHostException".equals(outcome) && !r.has("used");
            Lookup lookup = new Lookup(s.name(), String.valueOf(s.port()), hintsText, resolved, unknown ? outcome : null, null,
                    unknown ? r.path("detail").asText() : null);
            List<MatrixReport.Attempt> attempts = new ArrayList<>();
            if (r.has("used")) {
                String[] used = r.path("used").asText().split(" ", 2);
                Lookup.Resolved target = resolved(used[0], used[1], s.port());
                Family onWire = Nat64Rows.onTheWire(topo, target);
                Family sf = "AF_INET".equals(r.path("family").asText()) ? Family.IPV4
                        : "AF_INET6".equals(r.path("family").asText()) ? Family.IPV6 : c.spec().family();
                StringBuilder detail = new StringBuilder("the JDK shows local ").append(r.path("local").asText("?"));
                if (r.has("detail")) detail.append("; ").append(r.path("detail").asText());
                if (jdkPeer != null) detail.append("; the Java server saw ").append(jdkPeer);
                attempts.add(new MatrixReport.Attempt(1, sf, target, onWire, outcome, r.path("step").asText(null),
                        detail.toString(), r.path("kernelLocal").asText(null), served.map(Served::peer).orElse(null),
                        served.map(Served::local).orElse(null), r.path("replyFrom").asText(null), wire, Map.of(),
                        problems(tr, new ExchangeResult(outcome, r.path("step").asText(null), null, null, null, Map.of()), served,
                                wire, onWire, s)));
            }
            return cell(tr, c.spec(), s, lookup, attempts, c, java);
        }

        private Duration wait(boolean ok, String outcome) {
            return ok ? o.servedTimeout() : "TIMEOUT".equals(outcome) || "EAGAIN".equals(outcome) ? Duration.ofMillis(100)
                    : Duration.ZERO;
        }

        private static java.util.function.Predicate<JsonNode> match(String token) {
            String payload = "dualsock-lab " + token;
            return n -> "served".equals(n.path("event").asText()) && payload.equals(n.path("payload").asText());
        }

        private static Optional<Served> served(JsonNode e) {
            if (e == null) return Optional.empty();
            return Optional.of(new Served(e.path("server").asText(), e.path("transport").asText(), e.path("peer").asText(null),
                    e.path("local").asText(null), e.path("payload").asText(), e.path("end").asText(null)));
        }

        private static Lookup.Resolved resolved(String type, String address, int port) {
            boolean v6 = type.equals("Inet6Address");
            return new Lookup.Resolved(v6 ? "AF_INET6" : "AF_INET", address, port, v6 && address.startsWith("::ffff:"));
        }

        private MatrixReport.Cell cell(Transport tr, Topology.Client c, Topology.Server s, Lookup lookup,
                List<MatrixReport.Attempt> attempts, JavaClient jc, JavaServer js) {
            BookTable.Expectation book = BookTable.expect(topo, c, s);
            MatrixRunner.Verdict v = MatrixRunner.verdict(lookup, attempts);
            MatrixReport.Attempt ok = v.ok();
            Outcome outcome = v.outcome();
            String text = v.text();
            Integer successfulTry = v.successfulTry();
            List<String> problems = v.problems();
            String explanation = outcome != book.outcome() || !problems.isEmpty()
                    ? explain(tr, c, s, lookup, attempts, ok, jc, js, book) : null;
            return new MatrixReport.Cell(c.id(), s.id(), lookup, attempts, outcome, successfulTry, text, book, explanation, problems);
        }

        /** Why a Java cell differs from the book, from what was seen. */
        private String explain(Transport tr, Topology.Client c, Topology.Server s, Lookup lookup, List<MatrixReport.Attempt> attempts,
                MatrixReport.Attempt ok, JavaClient jc, JavaServer js, BookTable.Expectation book) {
            StringBuilder b = new StringBuilder();
            String measured = ok != null ? ok.wire().family() != null ? ok.wire().family().label() : ok.addressProtocol().label() + "?"
                    : "(no)";
            b.append(c.label()).append(" -> ").append(s.label()).append(": book ").append(book.text())
                    .append(book.source().equals(BookTable.FIGURE_SOURCE) ? "" : " (by the book's rules, reading the Java "
                            + "program as an " + c.family().cName() + " client and an " + s.family().cName() + " server)")
                    .append(", measured ").append(measured).append(". ");
            if (jc != null) {
                b.append("Java client (").append(jc.setting().label()).append("): InetAddress.getAllByName(\"").append(s.name())
                        .append("\") = ").append(lookup.ok() ? lookup.addresses().stream().map(Lookup.Resolved::address)
                                .collect(Collectors.joining(", ", "[", "]")) : lookup.error());
                if (!attempts.isEmpty()) {
                    MatrixReport.Attempt a = attempts.get(0);
                    b.append("; Java code uses the first address only (new InetSocketAddress(name, port) keeps "
                            + "getByName's answer), ").append(a.destination().address()).append(", from an ")
                            .append(a.socketFamily().cName()).append(" socket: ")
                            .append(a.ok() ? a.wire().protocol() + " on the wire" : a.outcome() + (a.step() != null ? " at " + a.step() : ""))
                            .append(". ");
                    if (lookup.addresses().size() > 1 && !a.ok()) {
                        b.append("It never tries ").append(lookup.addresses().get(1).address())
                                .append(", which a loop over every address would. ");
                    }
                    b.append(reason(jc.setting(), lookup, a));
                } else {
                    b.append(". ").append(jc.setting().ipv4Stack() ? "preferIPv4Stack=true asks getaddrinfo for AF_INET only, "
                            + "so a name with only AAAA records does not resolve at all. " : "");
                }
            } else if (!attempts.isEmpty()) {
                MatrixReport.Attempt a = ok != null ? ok : attempts.get(attempts.size() - 1);
                b.append("Native client: tried ").append(a.destination().address()).append(" from an ").append(a.socketFamily().cName())
                        .append(" socket: ").append(a.ok() ? a.wire().protocol() + " on the wire" : a.outcome()).append(". ");
            } else {
                b.append("getaddrinfo: ").append(lookup.error()).append(". ");
            }
            if (js != null) b.append("Java server (").append(js.setting().label()).append("): ").append(js.detail()).append('.');
            List<String> problems = new ArrayList<>();
            for (MatrixReport.Attempt a : attempts) for (String p : a.problems()) problems.add("try " + a.index() + ": " + p);
            if (!problems.isEmpty()) b.append(" INCONSISTENT: ").append(String.join("; ", problems)).append('.');
            return b.toString().trim();
        }

        private static String reason(JdkSetting s, Lookup lookup, MatrixReport.Attempt a) {
            boolean firstIsV4 = a.destination().family().equals("AF_INET");
            boolean hasV6 = lookup.addresses().stream().anyMatch(r -> r.family().equals("AF_INET6") && !r.v4mapped());
            boolean hasV4 = lookup.addresses().stream().anyMatch(r -> r.family().equals("AF_INET"));
            if (s.ipv4Stack()) return "preferIPv4Stack=true: AF_INET sockets and AF_INET lookups only, so IPv6 is never used. ";
            if (s == JdkSetting.DUALSOCK_RESOLVER) {
                return "With dualsock's resolver the addresses are libc's (AF_UNSPEC + AI_ADDRCONFIG), in libc's order. ";
            }
            if (firstIsV4 && hasV6) {
                return "With " + s.label() + " the JDK lists IPv4 addresses first, where the book's IPv6 client "
                        + "(AF_INET6 + AI_V4MAPPED) gets the AAAA record. ";
            }
            if (!firstIsV4 && hasV4) {
                return "With " + s.label() + " the JDK lists IPv6 addresses first. ";
            }
            return "";
        }
    }
}
