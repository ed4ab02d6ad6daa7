package io.dualsock.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.bindings.Platform;

/**
 * One host of a running {@link Lab}: a network namespace {@code ds-<lab id>-<name>} with its
 * addresses and name table. See {@link Lab} for what runs per process (the name table) and
 * what per thread (the network namespace).
 */
public final class LabHost {
    private final Lab lab;
    private final Topology.Host spec;
    private final String namespace;
    private AgentProcess agent;
    private boolean greeted;

    LabHost(Lab lab, Topology.Host spec, String namespace) {
        this.lab = lab;
        this.spec = spec;
        this.namespace = namespace;
    }

    public String name() { return spec.name(); }

    /** {@code ds-<lab id>-<name>}: use with {@code ip netns exec}. */
    public String namespace() { return namespace; }

    public Stack stack() { return spec.stack(); }

    public Optional<String> ipv4() { return Optional.ofNullable(spec.ipv4()); }

    public Optional<String> ipv6() { return Optional.ofNullable(spec.ipv6()); }

    public List<String> names() { return spec.names(); }

    /**
     * Runs a program in this host ({@code ip netns exec <namespace> command...}): a new process
     * in the host's network namespace that sees the host's name table. No shell is involved;
     * pass {@code "sh", "-c", "..."} yourself if you want one.
     *
     * @throws LabException when the program cannot be started (a non-zero exit is a result, not an exception)
     */
    public ExecResult exec(Duration timeout, String... command) {
        return exec(timeout, List.of(command));
    }

    public ExecResult exec(Duration timeout, List<String> command) {
        Objects.requireNonNull(timeout, "timeout");
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
        List<String> cmd = new ArrayList<>(List.of(Netns.IP, "netns", "exec", namespace()));
        cmd.addAll(command);
        return Commands.run(cmd, timeout, null);
    }

    /**
     * Starts a long-running program in this host ({@code ip netns exec <namespace> command...},
     * no shell) with this process's environment, and returns it at once; see {@link LabProcess}
     * for its output, {@link LabProcess#awaitOutput}, {@link LabProcess#stop} and the defaults.
     * The lab stops it when it closes, if it still runs.
     *
     * @throws LabException when it cannot be started
     */
    public LabProcess start(String... command) {
        return start(List.of(command), java.util.Map.of());
    }

    /** {@link #start(String...)} with these environment variables added to (or replacing) this process's. */
    public LabProcess start(List<String> command, java.util.Map<String, String> environment) {
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
        List<String> cmd = new ArrayList<>(List.of(Netns.IP, "netns", "exec", namespace()));
        cmd.addAll(command);
        return lab.startProcess(this, String.join(" ", command), cmd, environment);
    }

    /**
     * Starts a Java program in a new JVM in this host (class path, JVM options and environment
     * as in {@link JavaProgram}) and returns it at once, like {@link #start(String...)}.
     *
     * @throws LabException when the main class is not on the program's class path, or the JVM cannot be started
     */
    public LabProcess start(JavaProgram program) {
        program.requireLoadable();
        List<String> cmd = new ArrayList<>(List.of(Netns.IP, "netns", "exec", namespace()));
        cmd.addAll(program.command(JavaCommand.current()));
        return lab.startProcess(this, "java " + program.mainClass(), cmd, program.environment());
    }

    /**
     * Runs {@code mainClass} in a new JVM inside this host, with this JVM's java and class
     * path: a process, so it sees the host's name table, and {@code Resolver.getaddrinfo}
     * there answers as this host's libc would. {@link #runJava(Duration, JavaProgram)} takes
     * another class path, JVM options and environment variables, and checks the class is there.
     */
    public ExecResult runJava(Duration timeout, String mainClass, String... args) {
        Objects.requireNonNull(mainClass, "mainClass");
        return exec(timeout, JavaCommand.current().command(mainClass, List.of(args)));
    }

    /**
     * Runs a Java program in a new JVM inside this host, with the class path, JVM options and
     * environment it names (defaults in {@link JavaProgram}); like {@link #exec} it waits for the
     * end, and a non-zero exit is a result.
     *
     * @throws LabException when the main class is not on the program's class path (with the
     *         usual cause, Surefire's {@code forkCount=0}), or the JVM cannot be started
     */
    public ExecResult runJava(Duration timeout, JavaProgram program) {
        Objects.requireNonNull(timeout, "timeout");
        program.requireLoadable();
        List<String> cmd = new ArrayList<>(List.of(Netns.IP, "netns", "exec", namespace()));
        cmd.addAll(program.command(JavaCommand.current()));
        return Commands.runWithEnvironment(cmd, timeout, program.environment());
    }

    /**
     * Starts a further {@link Agent} in this host, e.g. on another JDK or under {@code -D}
     * settings for its {@value Agent#JDK} side; the caller closes it (the lab kills what still
     * runs in the host when it closes).
     *
     * @param setting a name for {@code java}'s settings, in the agent's hello and in messages
     */
    public AgentProcess startAgent(JavaCommand java, String setting) {
        return AgentProcess.start(name(), namespace(), java, setting);
    }

    /**
     * Calls {@code body} on a new thread that joined this host's network namespace with
     * {@code setns(2)} (the thread ends afterwards). Sockets opened there belong to this host.
     * Name lookups there use this machine's own {@code /etc} files, not the host's name table
     * (that needs a process: {@link #exec}, {@link #runJava}, {@link #resolve}).
     *
     * @throws Exception whatever {@code body} threw, or a {@link LabException} when setns failed
     */
    public <T> T inNetwork(Callable<T> body) throws Exception {
        return NetnsThread.call(namespace(), body);
    }

    /** This host's SNMP counters now (read on a thread inside its namespace, no process started). */
    public KernelCounters counters() {
        try {
            return inNetwork(() -> KernelCounters.read(Path.of("/proc/thread-self/net/snmp"),
                    Path.of("/proc/thread-self/net/snmp6")));
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            throw new LabException("cannot read the counters of " + namespace() + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code getaddrinfo(name, service, hints)} as this host's libc answers it, with the host's
     * name table (run by the host's agent).
     *
     * @return the addresses in libc's order, {@code inet_ntop} text
     * @throws LabException with the EAI_* name when getaddrinfo failed
     */
    public List<String> resolve(String name, String service, Hints hints) {
        JsonNode r = agentResolve(name, service, hints);
        if (r.has("error")) throw new LabException("getaddrinfo on " + name() + ": " + r.path("detail").asText());
        List<String> out = new ArrayList<>();
        for (JsonNode a : r.path("addresses")) out.add(a.path("address").asText());
        return out;
    }

    JsonNode agentResolve(String name, String service, Hints hints) {
        ObjectNode req = AgentProcess.request("resolve");
        req.put("host", name);
        req.put("service", service);
        req.put("family", hints.family() == Platform.AF_INET ? "ipv4" : hints.family() == Platform.AF_INET6 ? "ipv6" : "unspec");
        req.put("socktype", hints.socktype() == Platform.SOCK_DGRAM ? "dgram" : "stream");
        ArrayNode flags = req.putArray("flags");
        for (AiFlag f : AiFlag.values()) if (f.isDefined() && hints.has(f)) flags.add(f.name());
        return agent().call(req, Duration.ofSeconds(30));
    }

    /**
     * {@code getaddrinfo(name, service, hints)} in this host (its agent), with every detail:
     * the results in order or the EAI_* error.
     */
    public Lookup lookup(String name, String service, Hints hints) {
        JsonNode r = agentResolve(name, service, hints);
        List<Lookup.Resolved> list = new ArrayList<>();
        for (JsonNode a : r.path("addresses")) {
            list.add(new Lookup.Resolved(a.path("family").asText(), a.path("address").asText(), a.path("port").asInt(),
                    a.path("v4mapped").asBoolean()));
        }
        return new Lookup(name, service, r.path("hints").asText(), list, r.has("error") ? r.path("error").asText() : null,
                r.has("errno") ? r.path("errno").asText() : null, r.has("detail") ? r.path("detail").asText() : null);
    }

    /**
     * One echo exchange from this host (its agent), through dualsock's {@code NativeSocket}:
     * TCP (connect, send a line, read the echo, read to the server's FIN), connected UDP
     * (connect, send, recv) or unconnected UDP (sendto, recvfrom). The payload is
     * {@code "dualsock-lab <token>\n"}, so the server's {@link Served} report can be matched.
     *
     * @param socketFamily the socket's family ({@code AF_INET} can take no IPv6 address)
     * @param timeout the time limit of the reply (SO_RCVTIMEO) and, at least 2 s, of connect
     */
    public ExchangeResult exchange(Family socketFamily, boolean tcp, boolean connected, String address, int port,
                                   Duration timeout, String token) {
        ObjectNode req = AgentProcess.request("exchange");
        req.put("family", socketFamily.id());
        req.put("transport", tcp ? "tcp" : "udp");
        req.put("connected", connected);
        req.put("address", address);
        req.put("port", port);
        req.put("timeoutMs", timeout.toMillis());
        req.put("token", token);
        JsonNode r = agent().call(req, timeout.plusSeconds(10));
        java.util.Map<String, Long> counters = new java.util.TreeMap<>();
        r.path("counters").properties().forEach(e -> counters.put(e.getKey(), e.getValue().asLong()));
        return new ExchangeResult(r.path("outcome").asText(), text(r, "step"), text(r, "detail"), text(r, "local"),
                text(r, "replyFrom"), counters);
    }

    /**
     * One TCP connect to a name from this host (its agent), by one client, then an echo
     * exchange: {@code happy} or {@code sequential} ({@link io.dualsock.Connector}), or
     * {@code socket} ({@code java.net.Socket} with {@code new InetSocketAddress(name, port)}).
     *
     * @param timeout the overall connect limit (and the reply's)
     * @param attemptDelayMs the Connection Attempt Delay for {@code happy}
     */
    public ConnectResult connect(String client, String name, int port, Duration timeout, long attemptDelayMs, String token) {
        return connect(agent(), client, name, port, timeout, attemptDelayMs, token);
    }

    /** {@link #connect(String, String, int, Duration, long, String)} through another agent of a host ({@link #startAgent}). */
    public static ConnectResult connect(AgentProcess agent, String client, String name, int port, Duration timeout,
                                        long attemptDelayMs, String token) {
        return connect(agent, client, name, port, timeout, attemptDelayMs, token, null);
    }

    /**
     * {@link #connect(String, String, int, Duration, long, String)} with the Connector's NAT64
     * setting (RFC 8305 §7 on an IPv6-only host).
     *
     * @param nat64 a prefix such as {@code 2001:db8:6464::/96}, {@code "none"} (no synthesis), or
     *     null: the default, RFC 7050 discovery
     */
    public ConnectResult connect(String client, String name, int port, Duration timeout, long attemptDelayMs, String token,
                                 String nat64) {
        return connect(agent(), client, name, port, timeout, attemptDelayMs, token, nat64);
    }

    /** {@link #connect(String, String, int, Duration, long, String, String)} through another agent of a host. */
    public static ConnectResult connect(AgentProcess agent, String client, String name, int port, Duration timeout,
                                        long attemptDelayMs, String token, String nat64) {
        ObjectNode req = AgentProcess.request("connect");
        if (nat64 != null) req.put("nat64", nat64);
        req.put("client", client);
        req.put("name", name);
        req.put("port", port);
        req.put("timeoutMs", timeout.toMillis());
        req.put("attemptDelayMs", attemptDelayMs);
        req.put("token", token);
        JsonNode r = agent.call(req, timeout.multipliedBy(2).plusSeconds(10));
        return new ConnectResult(client, r.path("outcome").asText(), text(r, "family"), text(r, "peer"),
                r.path("elapsedMs").asDouble(), r.path("attempts").asInt(), r.get("trace"), text(r, "detail"));
    }

    /** Waits for this host's servers to report the exchange whose payload carries the token. */
    public Optional<Served> awaitServed(String token, Duration timeout) {
        String payload = "dualsock-lab " + token;
        JsonNode e = agent().awaitEvent(n -> "served".equals(n.path("event").asText())
                && payload.equals(n.path("payload").asText()), timeout);
        if (e == null) return Optional.empty();
        return Optional.of(new Served(e.path("server").asText(), e.path("transport").asText(), text(e, "peer"),
                text(e, "local"), e.path("payload").asText(), text(e, "end")));
    }

    /** Forgets server reports nobody waited for (from attempts given up on). */
    public void discardServed() {
        if (hasAgent()) agent().drainEvents();
    }

    /** This host's counters read by its agent (a process already in the namespace: no thread switch). */
    public KernelCounters agentCounters() {
        JsonNode r = agent().call(AgentProcess.request("counters"), Duration.ofSeconds(10));
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        r.path("counters").properties().forEach(e -> m.put(e.getKey(), e.getValue().asLong()));
        return new KernelCounters(m);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Starts the agent's process without waiting for it (the JVM starts while the lab is wired). */
    synchronized void launchAgent() {
        if (agent == null) agent = AgentProcess.start(name(), namespace(), JavaCommand.current(), null);
    }

    /** The host's agent, started on first use; the first call waits until it answers. */
    synchronized AgentProcess agent() {
        launchAgent();
        if (!greeted) {
            JsonNode hello = agent.call(AgentProcess.request("hello"), Duration.ofSeconds(60));
            lab.state().recordProcess(agent.handle(), "agent " + name() + " (pid " + hello.path("pid").asLong() + ")");
            greeted = true;
        }
        return agent;
    }

    synchronized boolean hasAgent() {
        return agent != null;
    }

    synchronized void stopAgent() {
        if (agent != null) agent.close();
    }

    synchronized void detachAgent() {
        if (agent != null && agent.isAlive()) agent.detach();
    }

    @Override
    public String toString() {
        return name() + " (" + namespace() + ", " + stack().label()
                + (spec.ipv4() != null ? ", " + spec.ipv4() : "") + (spec.ipv6() != null ? ", " + spec.ipv6() : "") + ")";
    }
}
