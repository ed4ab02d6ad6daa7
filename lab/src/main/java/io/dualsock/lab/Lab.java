package io.dualsock.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A running lab: every host of a {@link Topology} as a network namespace on one bridge, with
 * its addresses, its name table, an agent process, and the topology's echo servers; optionally
 * a DNS server. Made with {@link #builder()} or {@link #builder(Topology)}; {@link #close()}
 * removes everything it made.
 *
 * <pre>{@code
 * try (Lab lab = Lab.builder()
 *         .host("a", Stack.DUAL)
 *         .host("b", Stack.IPV6_ONLY)
 *         .server("b", ServerOptions.ipv6())
 *         .start()) {
 *     ExecResult r = lab.host("a").exec(Duration.ofSeconds(5), "getent", "ahosts", "b.ds.test");
 *     List<String> seen = lab.host("a").resolve("b.ds.test", "7007", Hints.builder().inet6().stream()
 *             .flags(AiFlag.V4MAPPED).build());
 * }
 * }</pre>
 *
 * <h2>What runs per process and what per thread</h2>
 * A host's <em>name table</em> ({@code /etc/hosts}, {@code nsswitch.conf},
 * {@code resolv.conf}, {@code gai.conf}) is per process: {@code ip netns exec} gives the
 * program a mount namespace of its own with the host's files bind-mounted over {@code /etc},
 * and a mount namespace cannot be changed for one thread of the JVM. So anything that resolves
 * names as the host would ({@code getaddrinfo} with the host's names) must run as a process:
 * {@link LabHost#exec}, {@link LabHost#runJava}, or the host's agent
 * ({@link LabHost#resolve}). The <em>network namespace</em> is per thread: {@link
 * LabHost#inNetwork} runs code on a fresh thread that joined the host's namespace with
 * {@code setns(2)}; sockets it opens belong to the host (and stay there whichever thread uses
 * them later), but its name lookups read this machine's own {@code /etc} files.
 *
 * <h2>What it changes on the machine</h2>
 * Namespaces {@code ds-*} (one per host, {@code ds-bridge}, and {@code ds-dns} with the DNS
 * server), the veths and the bridge inside them, directories {@code /etc/netns/ds-*}, and its
 * record under {@code /run/dualsock-lab}. Nothing is added to the root namespace (veths are
 * created inside {@code ds-bridge} with their peer directly in the host's namespace), no route
 * leads out, and the root namespace's addresses, routes, sysctls and {@code /etc} files are
 * never touched. Everything is removed by {@link #close()}, by a shutdown hook on Ctrl-C, and —
 * after {@code kill -9} — by the next lab that starts (or {@link #cleanupLeftovers}).
 *
 * <p>One lab runs per machine at a time (a file lock); a second one waits for it.
 */
public final class Lab implements AutoCloseable {
    private final Topology topology;
    private final NameSource nameSource;
    private final PrintStream log;
    private final LabState state;
    private final Map<String, LabHost> hosts = new LinkedHashMap<>();
    private final Map<String, ServerInfo> servers = new LinkedHashMap<>();
    private final Thread shutdownHook;
    private DnsServer dns;
    private Nat64Gateway nat64;
    private boolean closed;
    private final long setupMillis;

    /**
     * A server as started: the outcome of opening its TCP and UDP sockets ("ok" or the errno
     * name of the call that failed) and the value of IPV6_V6ONLY read back from the socket.
     */
    public record ServerInfo(Topology.Server spec, String tcp, String udp, Boolean v6only, String tcpLocal, String udpLocal,
                             String detail) {
        public boolean running() {
            return "ok".equals(tcp) && "ok".equals(udp);
        }
    }

    private Lab(Builder b) {
        this.topology = b.topology();
        this.nameSource = b.nameSource;
        this.log = b.log == null ? new PrintStream(OutputStream.nullOutputStream()) : b.log;
        long t0 = System.nanoTime();
        this.state = LabState.acquire(b.lockWait, log);
        this.shutdownHook = new Thread(this::closeQuietly, "ds-lab-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            build(b.startAgents);
        } catch (RuntimeException | Error e) {
            closeQuietly();
            throw e;
        }
        this.setupMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    /** A lab from a topology (hosts, servers, clients, records). */
    public static Builder builder(Topology topology) {
        return new Builder(Objects.requireNonNull(topology, "topology"));
    }

    /** A lab whose hosts are declared one by one on the builder. */
    public static Builder builder() {
        return new Builder(null);
    }

    /**
     * Removes what an earlier lab left (killed with {@code kill -9}, or kept with
     * {@code --keep}), waiting for a lab that is still running to end first.
     *
     * @return true when something was left
     */
    public static boolean cleanupLeftovers(PrintStream log) {
        return LabState.cleanupLeftovers(log);
    }

    public Topology topology() { return topology; }

    public NameSource nameSource() { return nameSource; }

    public LabHost host(String name) {
        LabHost h = hosts.get(name);
        if (h == null) throw new IllegalArgumentException("no host \"" + name + "\" in this lab (hosts: " + hosts.keySet() + ")");
        return h;
    }

    public List<LabHost> hosts() {
        return List.copyOf(hosts.values());
    }

    /** The topology's servers as started, by id. */
    public Map<String, ServerInfo> servers() {
        return Collections.unmodifiableMap(servers);
    }

    /** How long building the lab took, agents and servers included. */
    public long setupMillis() { return setupMillis; }

    /** dnsmasq's log (queries and answers), empty without a DNS server. */
    public List<String> dnsLog() {
        return dns == null ? List.of() : dns.log();
    }

    /** What the NAT64 gateway's TAYGA printed (settings, dynamic mappings), empty without {@code nat64}. */
    public List<String> nat64Log() {
        return nat64 == null ? List.of() : nat64.log();
    }

    /** Every namespace this lab made. */
    public List<String> namespaces() {
        return state.namespaces();
    }

    // ------------------------------------------------------------------ building

    private long t0 = System.nanoTime();

    private void progress(String what) {
        log.printf("lab: %s (%d ms)%n", what, (System.nanoTime() - t0) / 1_000_000);
    }

    private void build(boolean startAgents) {
        t0 = System.nanoTime();
        Set<String> agentHosts = new LinkedHashSet<>();
        for (Topology.Server s : topology.servers()) agentHosts.add(s.host());
        for (Topology.Client c : topology.clients()) agentHosts.add(c.host());
        if (startAgents) topology.hosts().forEach(h -> agentHosts.add(h.name()));

        String bridgeNs = Topology.PREFIX + "bridge";
        List<Topology.Host> all = new ArrayList<>(topology.hosts());
        Topology.Host dnsHost = new Topology.Host(DnsServer.HOST, Stack.DUAL, Topology.DNS4, Topology.DNS6, List.of());
        if (nameSource == NameSource.DNS) all.add(dnsHost);
        if (topology.nat64() != null && topology.nat64().gateway()) all.add(topology.nat64().host());

        for (Topology.Host h : all) {
            if (Netns.exists(h.namespace())) {
                throw new LabException("namespace " + h.namespace() + " exists and is not the lab's (no record of it in "
                        + LabState.STATE + ")");
            }
        }
        if (Netns.exists(bridgeNs)) {
            throw new LabException("namespace " + bridgeNs + " exists and is not the lab's (no record of it in " + LabState.STATE + ")");
        }
        progress("creating " + (all.size() + 1) + " namespaces");
        state.recordNamespace(bridgeNs);
        Netns.add(bridgeNs);
        for (Topology.Host h : all) {
            state.recordNamespace(h.namespace());
            Netns.add(h.namespace());
        }
        // Name tables first, then the agents' JVMs: they start while the network is wired.
        for (Topology.Host h : topology.hosts()) {
            state.recordEtcEntry(h.namespace());
            try {
                NameFiles.write(Netns.ETC_NETNS, topology, h, nameSource);
            } catch (IOException e) {
                throw new LabException("cannot write " + Netns.ETC_NETNS.resolve(h.namespace()) + ": " + e.getMessage(), e);
            }
        }
        for (Topology.Host h : topology.hosts()) hosts.put(h.name(), new LabHost(this, h));
        progress("starting " + agentHosts.size() + " agents");
        for (String name : agentHosts) hosts.get(name).launchAgent();

        // The bridge namespace speaks no IPv6 itself: no neighbour discovery or MLD from it.
        Netns.sysctl(bridgeNs, Map.of("net.ipv6.conf.all.disable_ipv6", "1", "net.ipv6.conf.default.disable_ipv6", "1"));
        List<String> bridge = new ArrayList<>();
        bridge.add("link add ds-br0 type bridge mcast_snooping 0");
        bridge.add("link set ds-br0 up");
        for (Topology.Host h : all) {
            String port = Topology.PREFIX + h.name();
            bridge.add("link add " + port + " type veth peer name eth0 netns " + h.namespace());
            bridge.add("link set " + port + " master ds-br0");
            bridge.add("link set " + port + " up");
        }
        Netns.batch(bridgeNs, bridge);

        ExecutorService pool = Executors.newFixedThreadPool(Math.max(4, agentHosts.size()), r -> {
            Thread t = new Thread(r, "ds-lab-setup");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (Topology.Host h : all) jobs.add(pool.submit(() -> configureHost(h)));
            waitAll(jobs);
            progress("network wired");
            if (topology.nat64() != null && topology.nat64().gateway()) nat64 = Nat64Gateway.start(topology, state, log);
            if (nameSource == NameSource.DNS) {
                dns = DnsServer.start(topology, state);
                log.println("lab: dnsmasq serves " + topology.nameTable().size() + " names in " + dnsHost.namespace());
            }
            List<Future<?>> greetings = new ArrayList<>();
            for (String name : agentHosts) {
                LabHost h = hosts.get(name);
                greetings.add(pool.submit(() -> {
                    h.agent();
                    return null;
                }));
            }
            waitAll(greetings);
            progress("agents ready");
        } finally {
            pool.shutdownNow();
        }
        // Servers start in parallel: each waits for its own agent only.
        List<java.util.concurrent.CompletableFuture<ServerInfo>> starting = new ArrayList<>();
        for (Topology.Server s : topology.servers()) {
            starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> startServer(s)));
        }
        for (java.util.concurrent.CompletableFuture<ServerInfo> f : starting) {
            try {
                ServerInfo info = f.join();
                servers.put(info.spec().id(), info);
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new LabException(e.getCause().toString(), e.getCause());
            }
        }
        progress("servers started");
    }

    private static void waitAll(List<Future<?>> jobs) {
        RuntimeException first = null;
        for (Future<?> f : jobs) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                RuntimeException r = c instanceof RuntimeException re ? re : new LabException(c.toString(), c);
                if (first == null) first = r;
                else first.addSuppressed(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while building the lab", e);
            }
        }
        if (first != null) throw first;
    }

    private static void configureHost(Topology.Host h) {
        Map<String, String> sysctl = new LinkedHashMap<>();
        if (!h.stack().hasIpv6()) {
            for (String dev : List.of("all", "default", "lo", "eth0")) sysctl.put("net.ipv6.conf." + dev + ".disable_ipv6", "1");
        } else {
            for (String dev : List.of("all", "default", "eth0")) {
                // Addresses usable at once (no duplicate address detection), and no router solicitations.
                sysctl.put("net.ipv6.conf." + dev + ".accept_dad", "0");
                sysctl.put("net.ipv6.conf." + dev + ".router_solicitations", "0");
            }
        }
        Netns.sysctl(h.namespace(), sysctl);
        List<String> lines = new ArrayList<>();
        lines.add("link set lo up");
        lines.add("link set eth0 up");
        if (h.ipv4() != null) lines.add("address add " + h.ipv4() + "/24 dev eth0");
        if (h.ipv6() != null) lines.add("address add " + h.ipv6() + "/64 dev eth0 nodad");
        for (Topology.Address a : h.addresses()) {
            // preferred_lft 0: deprecated at once (IFA_F_DEPRECATED), as after its preferred lifetime.
            lines.add("address add " + a.address() + "/" + a.prefixLength() + " dev eth0" + (a.ipv6() ? " nodad" : "")
                    + (a.deprecated() ? " preferred_lft 0" : "") + (a.home() ? " home" : ""));
        }
        Netns.batch(h.namespace(), lines);
        Impairments.apply(h);
    }

    private ServerInfo startServer(Topology.Server s) {
        LabHost h = host(s.host());
        String[] outcome = new String[2];
        String[] local = new String[2];
        Boolean v6only = null;
        StringBuilder detail = new StringBuilder();
        int i = 0;
        for (String transport : List.of("tcp", "udp")) {
            ObjectNode r = AgentProcess.request("serve");
            r.put("server", s.id());
            r.put("family", s.family().id());
            r.put("transport", transport);
            r.put("port", s.port());
            r.put("v6only", s.v6only());
            JsonNode a = h.agent().call(r, Duration.ofSeconds(10));
            outcome[i] = a.path("outcome").asText();
            local[i] = a.path("local").asText(null);
            if (a.has("v6only")) v6only = a.path("v6only").asBoolean();
            if (a.has("detail")) detail.append(transport).append(": ").append(a.path("detail").asText()).append("; ");
            i++;
        }
        ServerInfo info = new ServerInfo(s, outcome[0], outcome[1], v6only, local[0], local[1], detail.toString());
        log.println("lab: server " + s.id() + " on " + s.host() + ": tcp " + outcome[0] + ", udp " + outcome[1]
                + (v6only != null ? ", IPV6_V6ONLY " + (v6only ? "on" : "off") : ""));
        return info;
    }

    LabState state() {
        return state;
    }

    PrintStream log() {
        return log;
    }

    // ------------------------------------------------------------------ ending

    /** Removes everything the lab made (idempotent). */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        List<String> problems = new ArrayList<>();
        for (LabHost h : hosts.values()) {
            try {
                h.stopAgent();
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        if (dns != null) dns.close();
        if (nat64 != null) nat64.close();
        problems.addAll(state.closeAndRemove(log));
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
        if (!problems.isEmpty()) {
            throw new LabException("the lab could not remove everything (the next lab start tries again):\n  "
                    + String.join("\n  ", problems));
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            log.println("lab cleanup: " + e.getMessage());
        }
    }

    /**
     * Leaves the lab running for inspection (agents keep serving, dnsmasq keeps answering) and
     * gives up the lock; the next lab, or {@link #cleanupLeftovers}, removes it.
     *
     * @return shell commands to enter each host
     */
    public synchronized List<String> keep() {
        if (closed) throw new IllegalStateException("the lab is closed");
        closed = true;
        for (LabHost h : hosts.values()) h.detachAgent();
        state.keepAndRelease();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // shutting down
        }
        List<String> cmds = new ArrayList<>();
        for (LabHost h : hosts.values()) cmds.add("ip netns exec " + h.namespace() + " bash    # " + h.name() + " (" + h.stack().label() + ")");
        return cmds;
    }

    /** Builds a lab: from a topology, or host by host. */
    public static final class Builder {
        private final Topology base;
        private final List<Topology.Host> hosts = new ArrayList<>();
        private final List<Topology.Server> servers = new ArrayList<>();
        private final List<Topology.NameRecord> records = new ArrayList<>();
        private NameSource nameSource = NameSource.FILES;
        private PrintStream log;
        private Duration lockWait = Duration.ofSeconds(120);
        private boolean startAgents;

        private Builder(Topology base) {
            this.base = base;
        }

        /**
         * A host with automatic addresses (198.51.100.100+i, 2001:db8::100+i as the stack
         * allows) and the name {@code <name>.ds.test}.
         */
        public Builder host(String name, Stack stack) {
            int i = hosts.size();
            return host(name, stack, stack.hasIpv4() ? "198.51.100." + (100 + i) : null,
                    stack.hasIpv6() ? "2001:db8::" + (100 + i) : null, List.of(name + ".ds.test"));
        }

        /** A host with given addresses (null for a version the stack lacks) and names. */
        public Builder host(String name, Stack stack, String ipv4, String ipv6, List<String> names) {
            requireNoBase();
            hosts.add(new Topology.Host(name, stack, ipv4, ipv6, names));
            return this;
        }

        /** {@code server(host, ServerOptions.of(family).v6only(v6only))}: port 7007, {@code IPV6_V6ONLY} = v6only. */
        public Builder server(String host, Family family, boolean v6only) {
            return server(host, ServerOptions.of(family).v6only(v6only));
        }

        /**
         * A TCP and UDP echo server on the host, e.g. {@code server("b", ServerOptions.ipv6().v6only(true).port(8080))};
         * its id is {@code <host>-<family>}, plus {@code -<port>} when the port is not 7007.
         */
        public Builder server(String host, ServerOptions options) {
            requireNoBase();
            Topology.Host h = hosts.stream().filter(x -> x.name().equals(host)).findFirst()
                    .orElseThrow(() -> new TopologyException("declare host " + host + " before its server"));
            Family f = options.family();
            servers.add(new Topology.Server(host + "-" + f.id() + (options.port() == ServerOptions.DEFAULT_PORT ? "" : "-" + options.port()),
                    host, f, options.v6only(), h.names().isEmpty() ? null : h.names().get(0), options.port(), f.label() + " server on " + host));
            return this;
        }

        /** Extra A/AAAA records for a name. */
        public Builder record(String name, List<String> a, List<String> aaaa) {
            requireNoBase();
            records.add(new Topology.NameRecord(name, a, aaaa));
            return this;
        }

        /** Where the hosts' getaddrinfo finds names; {@link NameSource#FILES} by default. */
        public Builder nameSource(NameSource source) {
            this.nameSource = Objects.requireNonNull(source);
            return this;
        }

        /** Progress lines ("lab: ...") go here; none by default. */
        public Builder log(PrintStream log) {
            this.log = log;
            return this;
        }

        /** How long to wait when another lab holds the machine; 120 s by default. */
        public Builder lockWait(Duration d) {
            this.lockWait = Objects.requireNonNull(d);
            return this;
        }

        /**
         * Start an agent on every host at once, not only on hosts with servers or clients (an
         * agent otherwise starts on first use).
         */
        public Builder startAllAgents(boolean on) {
            this.startAgents = on;
            return this;
        }

        NameSource nameSourceForChecks() {
            return nameSource;
        }

        Topology topology() {
            if (base != null) return base;
            return new Topology("", 7007, hosts, servers, List.of(), records).withDefaultLabels();
        }

        private void requireNoBase() {
            if (base != null) throw new IllegalStateException("this builder starts from a topology and takes no hosts or servers of its own");
        }

        /**
         * Builds and starts the lab.
         *
         * @throws LabException when something cannot be created (everything made so far is removed)
         */
        public Lab start() {
            List<String> missing = Prerequisites.missing(nameSource);
            if (!missing.isEmpty()) throw new LabException("the lab cannot run here:\n  " + String.join("\n  ", missing));
            return new Lab(this);
        }
    }
}
