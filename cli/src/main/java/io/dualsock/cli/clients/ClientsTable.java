package io.dualsock.cli.clients;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.cli.clients.peers.PeerAgent;
import io.dualsock.cli.output.Json;
import io.dualsock.lab.AgentProcess;
import io.dualsock.lab.ConnectResult;
import io.dualsock.lab.Family;
import io.dualsock.lab.JavaCommand;
import io.dualsock.lab.KernelCounters;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabException;
import io.dualsock.lab.LabHost;
import io.dualsock.lab.Served;
import io.dualsock.lab.Topology;
import io.dualsock.lab.TopologyJson;
import io.dualsock.lab.Wire;

/**
 * The clients table ({@code dualsock matrix --clients}): connect implementations (rows) against
 * network situations (columns), in one lab ({@link #topology()}, names from the lab's DNS
 * server so that AAAA answers can come late). One cell at a time, so that the counter changes
 * at the server host (the protocol) and at the client host ({@code TcpActiveOpens}: connects that
 * sent a SYN) belong to that cell alone.
 *
 * <p>dualsock's connector and the JDK {@code Socket} with the JDK's own address order run in the
 * lab's agent ({@code connect} op); the peers run unmodified in a {@link PeerAgent} per host,
 * started with {@code -Djava.net.preferIPv6Addresses=system} (libc's order, the order dualsock
 * gets, so that the rows differ in how they connect, not in which address they see first) and
 * the JDK's name cache off (each cell looks its name up anew).
 */
public final class ClientsTable {
    /** The echo servers' port (the topology's servers). */
    public static final int ECHO_PORT = 7007;
    /** The HTTP responder's port on the server hosts, for the HTTP clients. */
    public static final int HTTP_PORT = 8080;

    /**
     * @param limit each client's connect limit (its connect timeout; OkHttp's call timeout too)
     * @param attemptDelayMs dualsock happy's Connection Attempt Delay
     * @param servedTimeout how long to wait for a server's report after a successful client
     */
    public record Options(Duration limit, long attemptDelayMs, Duration servedTimeout) {
        public static Options defaults() {
            return new Options(Duration.ofMillis(2000), 250, Duration.ofSeconds(3));
        }
    }

    /** A column: where the client is and which name it connects to. */
    public enum Situation {
        HEALTHY("healthy", "healthy", "dual-stack client and server, both paths open", "cd healthy.ds.test sh"),
        BLACKHOLE("v6-blackhole", "v6 blackhole", "the server's IPv6 path drops TCP silently (nftables)", "cd blackholed.ds.test sb"),
        LATE100("aaaa-late-100", "AAAA +100ms", "the AAAA answer comes 100 ms after the A answer", "cd late100.ds.test sh"),
        LATE1000("aaaa-late-1000", "AAAA +1s", "the AAAA answer comes 1 s late", "cd late1000.ds.test sh"),
        GHOST("ghost-aaaa", "ghost AAAA", "an AAAA record of an address nobody has on the link (the A record is healthy)",
                "cd ghost.ds.test sh"),
        V6_ONLY("v6-only-host", "v6-only host", "an IPv6-only client host, the dual-stack name", "c6 healthy.ds.test sh"),
        V4_ONLY("v4-only-host", "v4-only host", "an IPv4-only client host, the dual-stack name", "c4 healthy.ds.test sh");

        public final String id;
        public final String label;
        public final String description;
        /** The host the client runs on. */
        public final String clientHost;
        /** The name it connects to. */
        public final String name;
        /** The host whose counters tell the protocol (the name's A record's host). */
        public final String serverHost;

        /** @param route "client host, name, server host", space-separated */
        Situation(String id, String label, String description, String route) {
            this.id = id;
            this.label = label;
            this.description = description;
            String[] r = route.split(" ");
            clientHost = r[0];
            name = r[1];
            serverHost = r[2];
        }
    }

    /** A row: one connect implementation. */
    public enum Implementation {
        HAPPY("happy", "dualsock happy", "io.dualsock.Connector, ConnectOptions.happy() (RFC 8305)", false, "happy", false),
        SEQUENTIAL("sequential", "dualsock sequential", "io.dualsock.Connector, ConnectOptions.sequential(): the book's "
                + "tcp_connect loop", false, "sequential", false),
        SOCKET("socket", "Socket", "java.net.Socket, new InetSocketAddress(name, port), libc's order", true, "socket", false),
        SOCKET_JDK_ORDER("socket-jdk-order", "Socket, JDK order", "java.net.Socket with the JDK's defaults "
                + "(preferIPv6Addresses=false: A records first)", false, "socket", false),
        HTTPCLIENT("httpclient", "HttpClient", "java.net.http.HttpClient, HTTP/1.1 GET", true, "httpclient", true),
        OKHTTP("okhttp", "OkHttp 5", "OkHttp 5.5.1, fast fallback on (its default), HTTP GET", true, "okhttp", true),
        NETTY("netty", "Netty 4.2", "Netty 4.2.18 Bootstrap.connect(host, port), NIO", true, "netty", false);

        public final String id;
        public final String label;
        public final String description;
        /** Runs in the {@link PeerAgent} (else in the lab's agent). */
        public final boolean peer;
        final String client;
        /** Talks HTTP to port {@value #HTTP_PORT} (else the echo exchange on {@value #ECHO_PORT}). */
        public final boolean http;

        Implementation(String id, String label, String description, boolean peer, String client, boolean http) {
            this.id = id;
            this.label = label;
            this.description = description;
            this.peer = peer;
            this.client = client;
            this.http = http;
        }
    }

    private static final String TOPOLOGY = """
            {
              "description": "the clients table: connect implementations against network situations",
              "hosts": [
                { "name": "sh", "stack": "dual-stack", "ipv4": "198.51.100.61", "ipv6": "2001:db8::61",
                  "names": ["healthy.ds.test", "late100.ds.test", "late1000.ds.test"] },
                { "name": "sb", "stack": "dual-stack", "ipv4": "198.51.100.62", "ipv6": "2001:db8::62",
                  "names": ["blackholed.ds.test"], "ipv6_path": "blackhole" },
                { "name": "cd", "stack": "dual-stack", "ipv4": "198.51.100.63", "ipv6": "2001:db8::63", "names": [] },
                { "name": "c6", "stack": "ipv6-only", "ipv6": "2001:db8::64", "names": [] },
                { "name": "c4", "stack": "ipv4-only", "ipv4": "198.51.100.65", "names": [] }
              ],
              "servers": [
                { "id": "h", "host": "sh", "family": "ipv6", "name": "healthy.ds.test" },
                { "id": "b", "host": "sb", "family": "ipv6", "name": "blackholed.ds.test" }
              ],
              "clients": [
                { "host": "cd", "family": "ipv6" }, { "host": "c6", "family": "ipv6" }, { "host": "c4", "family": "ipv4" }
              ],
              "records": [ { "name": "ghost.ds.test", "a": ["198.51.100.61"], "aaaa": ["2001:db8::99"] } ],
              "dns_delays": [
                { "name": "late100.ds.test", "aaaa_ms": 100 },
                { "name": "late1000.ds.test", "aaaa_ms": 1000 }
              ]
            }""";

    /** The lab of the clients table (run it with {@code NameSource.DNS}). */
    public static Topology topology() {
        return TopologyJson.parse(TOPOLOGY, "the clients table");
    }

    private final Lab lab;
    private final Options options;
    private final PrintStream progress;
    private final Map<String, AgentProcess> peers = new LinkedHashMap<>();
    private final AtomicLong tokens = new AtomicLong();

    private ClientsTable(Lab lab, Options options, PrintStream progress) {
        this.lab = lab;
        this.options = options;
        this.progress = progress == null ? new PrintStream(OutputStream.nullOutputStream()) : progress;
    }

    /** Runs every cell in a lab of {@link #topology()}. */
    public static ClientsReport run(Lab lab, Options options, PrintStream progress) {
        return run(lab, options, progress, List.of(Implementation.values()), List.of(Situation.values()));
    }

    /** Runs the given rows and columns. */
    public static ClientsReport run(Lab lab, Options options, PrintStream progress, List<Implementation> rows,
                                    List<Situation> columns) {
        ClientsTable t = new ClientsTable(lab, options, progress);
        try {
            return t.runAll(rows, columns);
        } finally {
            t.peers.values().forEach(AgentProcess::close);
        }
    }

    private ClientsReport runAll(List<Implementation> rows, List<Situation> columns) {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        startPeers(rows, columns);
        progress.printf("clients: peer agents ready (%d ms)%n", (System.nanoTime() - t0) / 1_000_000);
        warmUp(rows, columns);
        progress.printf("clients: warmed up (%d ms)%n", (System.nanoTime() - t0) / 1_000_000);
        List<ClientsReport.Cell> cells = new ArrayList<>();
        for (Situation s : columns) {
            for (Implementation im : rows) {
                ClientsReport.Cell c = runCell(im, s);
                progress.printf("clients: %-20s %-13s %s%n", im.label, s.label, ClientsReport.text(c));
                cells.add(c);
            }
        }
        return new ClientsReport(start.toString(), (System.nanoTime() - t0) / 1_000_000, lab.setupMillis(),
                io.dualsock.cli.matrix.Environment.describe(), options.limit().toMillis(), options.attemptDelayMs(), rows, columns,
                cells);
    }

    /** A peer agent on every client host that runs a peer row and on every server host (the HTTP responder). */
    private void startPeers(List<Implementation> rows, List<Situation> columns) {
        boolean anyPeer = rows.stream().anyMatch(r -> r.peer);
        boolean anyHttp = rows.stream().anyMatch(r -> r.http);
        List<String> hosts = new ArrayList<>();
        for (Situation s : columns) {
            if (anyPeer && !hosts.contains(s.clientHost)) hosts.add(s.clientHost);
            if (anyHttp && !hosts.contains(s.serverHost)) hosts.add(s.serverHost);
        }
        if (hosts.isEmpty()) return;
        String classPath = PeerClassPath.get();
        JavaCommand java = JavaCommand.current().withJvmArgs(List.of("-Djava.net.preferIPv6Addresses=system",
                "-Dsun.net.inetaddr.ttl=0", "-Dsun.net.inetaddr.negative.ttl=0"));
        for (String h : hosts) {
            LabHost host = lab.host(h);
            peers.put(h, AgentProcess.start(h, host.namespace(), java.command(classPath, PeerAgent.class.getName(), List.of(h)),
                    "peer clients"));
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (Map.Entry<String, AgentProcess> e : peers.entrySet()) {
            boolean server = columns.stream().anyMatch(s -> s.serverHost.equals(e.getKey()));
            ready.add(CompletableFuture.runAsync(() -> {
                e.getValue().call(AgentProcess.request("hello"), Duration.ofSeconds(60));
                if (server && anyHttp) {
                    ObjectNode r = AgentProcess.request("http");
                    r.put("port", HTTP_PORT);
                    e.getValue().call(r, Duration.ofSeconds(10));
                }
            }));
        }
        for (CompletableFuture<Void> f : ready) {
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new LabException(String.valueOf(e.getCause()), e.getCause());
            }
        }
    }

    /**
     * One unrecorded connect of every implementation on every client host to the healthy name,
     * so that no cell's time holds a JVM's class loading (the first HttpClient, OkHttp or Netty
     * call of a process takes hundreds of ms).
     */
    private void warmUp(List<Implementation> rows, List<Situation> columns) {
        List<String> done = new ArrayList<>();
        for (Situation s : columns) {
            if (done.contains(s.clientHost)) continue;
            done.add(s.clientHost);
            for (Implementation im : rows) {
                Situation healthy = s.clientHost.equals(Situation.HEALTHY.clientHost) ? Situation.HEALTHY
                        : s.clientHost.equals(Situation.V6_ONLY.clientHost) ? Situation.V6_ONLY : Situation.V4_ONLY;
                String token = "w" + tokens.incrementAndGet();
                if (im.peer) peerConnect(im, healthy, token);
                else agentConnect(im, healthy, lab.host(s.clientHost), token);
            }
        }
        for (Situation s : columns) lab.host(s.serverHost).discardServed();
        peers.values().forEach(AgentProcess::drainEvents);
    }

    /**
     * Empties the client host's neighbour cache: an address that did not answer neighbour
     * discovery (the ghost AAAA) stays FAILED for a while, and the next client's connect to it
     * would fail at once with EHOSTUNREACH instead of waiting as the first one did.
     */
    private static void flushNeighbours(LabHost client) {
        client.exec(Duration.ofSeconds(10), "ip", "neigh", "flush", "dev", "eth0");
    }

    /** What a client said of itself. */
    private record Said(String outcome, String family, String peer, double ms, boolean msIsResponse, Integer attempts,
                        List<String> tried, String detail, JsonNode trace) {}

    ClientsReport.Cell runCell(Implementation im, Situation s) {
        LabHost client = lab.host(s.clientHost);
        LabHost server = lab.host(s.serverHost);
        AgentProcess http = peers.get(s.serverHost);
        String token = "c" + tokens.incrementAndGet();
        server.discardServed();
        if (http != null) http.drainEvents();
        flushNeighbours(client);
        KernelCounters serverBefore = server.agentCounters();
        KernelCounters clientBefore = client.agentCounters();
        Said said = im.peer ? peerConnect(im, s, token) : agentConnect(im, s, client, token);
        String servedPeer = null;
        if ("ok".equals(said.outcome)) {
            if (im.http) {
                String payload = "dualsock-lab " + token;
                JsonNode e = http.awaitEvent(n -> "served".equals(n.path("event").asText())
                        && payload.equals(n.path("payload").asText()), options.servedTimeout());
                if (e != null) servedPeer = e.path("peer").asText();
            } else {
                servedPeer = server.awaitServed(token, options.servedTimeout()).map(Served::peer).orElse(null);
            }
        }
        KernelCounters serverAfter = server.agentCounters();
        KernelCounters clientAfter = client.agentCounters();
        Wire wire = Wire.between(serverBefore, serverAfter);
        long synsSent = clientAfter.get("TcpActiveOpens") - clientBefore.get("TcpActiveOpens");
        boolean connected = "ok".equals(said.outcome);
        List<String> problems = new ArrayList<>();
        Family protocol = wire.family();
        if (connected) {
            if (protocol == null) {
                problems.add("connected, but the server host's counters show " + wire.protocol() + " (IPv4 " + wire.ipv4()
                        + ", IPv6 " + wire.ipv6() + " packets)");
            } else if (said.family != null && !said.family.equals(protocol.id())) {
                problems.add("the client saw an " + said.family + " peer but " + protocol.label() + " reached the server host");
            }
            if (servedPeer == null) problems.add("the server did not report the exchange");
            if (wire.get("TcpPassiveOpens") < 1) problems.add("no TcpPassiveOpens at the server host");
        }
        // A client that gives up just as its connection completes (the server host accepted it) is
        // a measured fact, not an inconsistency: the story of the cell says so.
        if (said.attempts != null && synsSent > said.attempts) {
            problems.add("the client reports " + said.attempts + " attempt(s) but its host sent " + synsSent + " SYN(s)");
        }
        return new ClientsReport.Cell(im.id, s.id, s.clientHost, s.name, said.outcome, connected, connected ? protocol : null,
                said.family, said.ms, said.msIsResponse, said.attempts, synsSent, said.tried, said.peer, servedPeer, wire,
                said.detail, said.trace, problems);
    }

    private Said agentConnect(Implementation im, Situation s, LabHost client, String token) {
        ConnectResult r = client.connect(im.client, s.name, ECHO_PORT, options.limit(), options.attemptDelayMs(), token);
        List<String> tried = new ArrayList<>();
        if (r.trace() != null) for (JsonNode a : r.trace().path("attempts")) tried.add(a.path("address").asText());
        // the JDK Socket connects to one address, the first InetAddress gives it (its 'attempts' field is that one)
        Integer attempts = r.trace() != null ? Integer.valueOf(tried.size()) : Integer.valueOf(r.attempts());
        return new Said(r.outcome(), r.family(), r.peer(), r.elapsedMs(), false, attempts, tried, r.detail(), r.trace());
    }

    private Said peerConnect(Implementation im, Situation s, String token) {
        AgentProcess p = peers.get(s.clientHost);
        ObjectNode req = AgentProcess.request("connect");
        req.put("client", im.client);
        req.put("name", s.name);
        req.put("port", im.http ? HTTP_PORT : ECHO_PORT);
        req.put("timeoutMs", options.limit().toMillis());
        req.put("token", token);
        JsonNode r = p.call(req, options.limit().multipliedBy(3).plusSeconds(10));
        List<String> tried = new ArrayList<>();
        r.path("tried").forEach(a -> tried.add(a.asText()));
        Integer attempts = r.has("attempts") ? Integer.valueOf(r.path("attempts").asInt()) : null;
        ObjectNode extra = null;
        if (r.has("events")) {
            extra = Json.object();
            extra.set("events", r.get("events"));
        }
        return new Said(r.path("outcome").asText(), text(r, "family"), text(r, "peer"), r.path("connectedMs").asDouble(),
                r.has("connectedIs"), attempts, tried, text(r, "detail"), extra);
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }
}
