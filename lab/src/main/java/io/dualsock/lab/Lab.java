package io.dualsock.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;


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
 * Namespaces {@code ds-<lab id>-*} (one per host, {@code ds-<lab id>-bridge}, and
 * {@code ds-<lab id>-dns} with the DNS server; the lab id is {@code <pid>-<n>}, the n-th lab of
 * the JVM with that pid), the veths and the bridge inside them, directories
 * {@code /etc/netns/ds-<lab id>-*}, and its record {@code /run/dualsock-lab/<lab id>.json}.
 * Nothing is added to the root namespace (veths are created inside the bridge namespace with
 * their peer directly in the host's namespace), no route leads out, and the root namespace's
 * addresses, routes, sysctls and {@code /etc} files are never touched. Everything is removed by
 * {@link #close()}, by a shutdown hook on Ctrl-C, and — after {@code kill -9} — by the next lab
 * that starts (or {@link #cleanupLeftovers}), once the JVM that owned it has ended.
 *
 * <p>Labs coexist: several labs in one JVM (on several threads, e.g. test classes run in
 * parallel) and in several JVMs run at once, each with its own names and record; addresses are
 * the same in every lab, each on its own bridge.
 */
public final class Lab implements AutoCloseable {
    private final Topology topology;
    private final NameSource nameSource;
    private final PrintStream log;
    private final LabState state;
    private final Map<String, LabHost> hosts = new LinkedHashMap<>();
    private final Map<String, ServerInfo> servers = new LinkedHashMap<>();
    private final List<LabProcess> processes = new ArrayList<>();
    private final Thread shutdownHook;
    private DnsServer dns;
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
            new LabSetup(this).build(b.startAgents, hosts, servers);
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
     * Removes what earlier labs left (killed with {@code kill -9}, or kept with {@code --keep})
     * whose JVM has ended; labs that still run, in this JVM or another, are left alone.
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

    /**
     * Impairs the paths to a host of this running lab from now on, e.g.
     * {@code try (Impairment i = lab.impair("b").ipv4Path(PathState.BLACKHOLE)) {...}}; closing
     * the {@link Impairment} restores what the host had (the lab's close removes it anyway).
     */
    public Impairment impair(String host) {
        return Impairment.of(this, host(host));
    }

    /** Every namespace this lab made. */
    public List<String> namespaces() {
        return state.namespaces();
    }

    LabState state() {
        return state;
    }

    /** This lab's namespace names ({@code names().namespace("a")}); see {@link LabNames#namespace}. */
    LabNames names() {
        return state.names();
    }

    /** Starts a user's process in a host, records it (pid, start time), and stops it at close. */
    synchronized LabProcess startProcess(LabHost host, String what, List<String> command, Map<String, String> environment) {
        if (closed) throw new IllegalStateException("the lab is closed");
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LabException("cannot start " + what + " in host " + host.name() + ": " + e.getMessage(), e);
        }
        state.recordProcess(p.toHandle(), "process " + what + " in " + host.name());
        LabProcess lp = new LabProcess(what + " in host " + host.name(), p);
        processes.add(lp);
        return lp;
    }

    void dns(DnsServer d) {
        this.dns = d;
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
        for (LabProcess p : processes) p.stop();
        for (LabHost h : hosts.values()) {
            try {
                h.stopAgent();
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
            }
        }
        if (dns != null) dns.close();
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
     * marks its record kept; the next lab to start, or {@link #cleanupLeftovers}, removes it.
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
        private final PlannedImpairments impairments = new PlannedImpairments();
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

        /**
         * {@code server(host, ServerOptions.of(family).v6only(v6only))}: port 7007, {@code IPV6_V6ONLY} = v6only.
         *
         * @deprecated the boolean does not say what it means; use {@code server(host).ipv6().v6only(true)}
         *     ({@link #server(String)}) or {@link #server(String, ServerOptions)}
         */
        @Deprecated
        public Builder server(String host, Family family, boolean v6only) {
            return server(host, ServerOptions.of(family).v6only(v6only));
        }

        /**
         * A TCP and UDP echo server on the host, e.g. {@code server("b", ServerOptions.ipv6().v6only(true).port(8080))};
         * the same as {@code server(host).options(options)}.
         */
        public Builder server(String host, ServerOptions options) {
            return server(host).options(options).and();
        }

        /**
         * A TCP and UDP echo server on the host, declared fluently:
         * {@code server("b").ipv6().v6only(true).port(8080).and()} (defaults in {@link ServerBuilder}).
         *
         * @throws TopologyException when the host is not declared yet
         */
        public ServerBuilder server(String host) {
            requireNoBase();
            Topology.Host h = hosts.stream().filter(x -> x.name().equals(host)).findFirst()
                    .orElseThrow(() -> new TopologyException("declare host " + host + " before its server"));
            return new ServerBuilder(this, servers, h);
        }

        /**
         * Impairs the paths to a declared host or delays the DNS answers for its names, as a
         * topology's {@code ipv4_path}/{@code ipv6_path}/{@code dns_delays} do:
         * {@code impair("b").ipv6Path(PathState.BLACKHOLE)}. A running lab takes
         * {@link Lab#impair(String)}.
         */
        public HostImpairment impair(String host) {
            requireNoBase();
            return impairments.host(this, hosts, host);
        }

        /**
         * The lab's DNS server answers a name's A and AAAA queries this late (topology
         * {@code dns_delays}; {@code "*"} for every name; 0..10 s; the first match counts). Only
         * with {@link NameSource#DNS}.
         */
        public Builder dnsDelay(String name, Duration aAnswer, Duration aaaaAnswer) {
            requireNoBase();
            impairments.dnsDelay(name, aAnswer, aaaaAnswer);
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
            Objects.requireNonNull(source, "source");
            return with(() -> nameSource = source);
        }

        /** Progress lines ("lab: ...") go here; none by default. */
        public Builder log(PrintStream log) {
            return with(() -> this.log = log);
        }

        /**
         * How long to wait while another process sweeps leftovers or picks its lab's names (a
         * short step; labs themselves run side by side); 120 s by default.
         */
        public Builder lockWait(Duration d) {
            Objects.requireNonNull(d, "d");
            return with(() -> lockWait = d);
        }

        /**
         * Start an agent on every host at once, not only on hosts with servers or clients (an
         * agent otherwise starts on first use).
         */
        public Builder startAllAgents(boolean on) {
            return with(() -> startAgents = on);
        }

        /** Every setter: makes the change and returns this builder. */
        private Builder with(Runnable change) {
            change.run();
            return this;
        }

        NameSource nameSourceForChecks() {
            return nameSource;
        }

        Topology topology() {
            if (base != null) return base;
            return new Topology("", 7007, impairments.applyTo(hosts), servers, List.of(), records, impairments.dnsDelays())
                    .withDefaultLabels();
        }

        private void requireNoBase() {
            if (base != null) throw new IllegalStateException("this builder starts from a topology and takes no hosts or servers of its own");
        }

        /**
         * Builds and starts the lab.
         *
         * @throws LabException when the agent class is not on this JVM's class path (Surefire's
         *         {@code forkCount=0}; checked before anything is made), the lab cannot run here,
         *         or something cannot be created (everything made so far is removed)
         */
        public Lab start() {
            JavaProgram.requireAgentLoadable(System.getProperty("java.class.path", ""));
            List<String> missing = Prerequisites.missing(nameSource);
            if (!missing.isEmpty()) throw new LabException("the lab cannot run here:\n  " + String.join("\n  ", missing));
            return new Lab(this);
        }
    }
}
