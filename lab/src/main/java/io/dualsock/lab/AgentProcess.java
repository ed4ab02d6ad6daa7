package io.dualsock.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The orchestrator's end of one {@link Agent}: starts its JVM (in a host's network namespace
 * with {@code ip netns exec}, or here), writes requests with a fresh {@code id}, matches the
 * answers by that id, queues the agent's events, and keeps the last lines of its stderr for
 * error messages. Every agent of the lab and of the matrix's Java rows is one of these.
 *
 * <p>Requests (all answered with {@code ok} and the fields below, or {@code error}); {@code side}
 * is {@value Agent#NATIVE} (the default) or {@value Agent#JDK}:
 * <ul>
 *   <li>{@code hello} → host, setting, pid, netns ({@code net:[inode]}), java, runtime,
 *       preferIPv4Stack, preferIPv6Addresses; jdk: family (of the JDK's sockets here);</li>
 *   <li>{@code counters} → counters (name → value, see {@link KernelCounters});</li>
 *   <li>{@code serve} {side, server, transport (tcp|udp), port; native: family, v6only} →
 *       outcome (ok, errno name; jdk: or the exception's class), local, detail; native: step,
 *       v6only (as read back); jdk: kernelLocal, family (SO_DOMAIN), v6only ("0"/"1");</li>
 *   <li>{@code resolve} {side; native: host, service, family, socktype, flags[]; jdk: name} →
 *       addresses[] (native: {family, address, port, v4mapped}, getaddrinfo's order; jdk:
 *       {type, address}, getAllByName's order), or error (EAI name, UnknownHostException) and
 *       detail; native: hints;</li>
 *   <li>{@code exchange} {side, transport (tcp|udp), connected (udp), port, timeoutMs, token;
 *       native: family, address; jdk: name} → outcome (ok, errno name, BADREPLY; jdk: TIMEOUT or
 *       the exception's class), step, detail, local, replyFrom, counters (the client namespace's
 *       changes); jdk: addresses, used, kernelLocal, family;</li>
 *   <li>{@code detach} → the agent outlives its stdin (for {@code --keep}).</li>
 * </ul>
 * Events: {@code served} {server, transport, peer (as the kernel reported it), local, payload,
 * end; jdk: jdkPeer (as the JDK showed it)}; {@code server-failed} {server, error}.
 */
public final class AgentProcess implements AutoCloseable {
    private static final int STDERR_LINES = 60;

    private final String who;
    private final Process process;
    private final OutputStream stdin;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private volatile String exitReason;

    private AgentProcess(String host, String setting, Process p) {
        this.who = "agent" + (setting != null ? " (" + setting + ")" : "") + " of host " + host;
        this.process = p;
        this.stdin = p.getOutputStream();
        Thread o = new Thread(this::readStdout, "ds-agent-out-" + host);
        o.setDaemon(true);
        o.start();
        Thread e = new Thread(this::readStderr, "ds-agent-err-" + host);
        e.setDaemon(true);
        e.start();
    }

    /**
     * Starts an agent: {@code [ip netns exec namespace] <java> ... io.dualsock.lab.Agent host [setting]}.
     *
     * @param host the host's name, for the agent's {@code hello} and for messages
     * @param namespace the network namespace to run in, or null for this process's own
     * @param java the JVM, with the {@code -D} settings the agent's JDK side is to run under
     * @param setting a name for those settings (e.g. {@code preferIPv4Stack=true}), or null
     * @throws LabException when the process cannot be started
     */
    public static AgentProcess start(String host, String namespace, JavaCommand java, String setting) {
        return start(host, namespace, java.command(Agent.class.getName(), setting == null ? List.of(host) : List.of(host, setting)),
                setting);
    }

    /**
     * Starts another program that speaks the agent protocol (one JSON request per line on stdin,
     * answers {@code {"id":n,"ok":...}} and events on stdout), e.g. the cli's peer-client agent.
     *
     * @param command the program and its arguments, run as {@code [ip netns exec namespace] command...}
     */
    public static AgentProcess start(String host, String namespace, List<String> command, String setting) {
        List<String> cmd = new ArrayList<>();
        if (namespace != null) {
            Netns.check(namespace);
            cmd.addAll(List.of(Netns.IP, "netns", "exec", namespace));
        }
        cmd.addAll(command);
        try {
            return new AgentProcess(host, setting, new ProcessBuilder(cmd).start());
        } catch (IOException e) {
            throw new LabException("cannot start the " + (setting != null ? "agent (" + setting + ") " : "agent ") + "of host "
                    + host + ": " + e.getMessage(), e);
        }
    }

    /** A request {@code {"op": op}} for the {@value Agent#NATIVE} side. */
    public static ObjectNode request(String op) {
        ObjectNode n = Agent.JSON.createObjectNode();
        n.put("op", op);
        return n;
    }

    /** A request {@code {"op": op, "side": side}}. */
    public static ObjectNode request(String side, String op) {
        return request(op).put("side", side);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    // ------------------------------------------------------------------ the lines

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n;
                try {
                    n = Agent.JSON.readTree(line);
                } catch (IOException e) {
                    addStderr("(unparsable stdout) " + line);
                    continue;
                }
                if (n.has("event")) {
                    synchronized (events) {
                        events.add(n);
                        events.notifyAll();
                    }
                } else {
                    CompletableFuture<JsonNode> f = pending.remove(n.path("id").asLong(-1));
                    if (f != null) f.complete(n);
                }
            }
        } catch (IOException e) {
            // the process is gone; handled below
        }
        exitReason = exitReason();
        for (CompletableFuture<JsonNode> f : pending.values()) f.completeExceptionally(new LabException(exitReason));
        pending.clear();
        synchronized (events) {
            events.notifyAll();
        }
    }

    /** Runs on the stdout thread once stdout ends: gives the agent a moment so that its exit value is known. */
    private String exitReason() {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "the " + who + " ended" + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")") + stderrText();
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) addStderr(line);
        } catch (IOException e) {
            // gone
        }
    }

    private void addStderr(String line) {
        synchronized (stderrTail) {
            stderrTail.addLast(line);
            while (stderrTail.size() > STDERR_LINES) stderrTail.removeFirst();
        }
    }

    /** {@code "; its stderr:\n  ..."} with the kept lines, or nothing. */
    private String stderrText() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "; its stderr:\n  " + String.join("\n  ", stderrTail);
        }
    }

    // ------------------------------------------------------------------ requests and events

    /**
     * Sends a request with a fresh id and waits for its answer.
     *
     * @throws LabException when the agent is gone, does not answer in time, or answers {@code ok:false}
     */
    public JsonNode call(ObjectNode request, Duration timeout) {
        String op = request.path("op").asText();
        if (exitReason != null) throw new LabException(exitReason);
        long id = ids.incrementAndGet();
        request.put("id", id);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        JsonNode r;
        try {
            synchronized (stdin) {
                stdin.write((request.toString() + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            String gone = exitReason;
            throw new LabException("cannot write to the " + who + ": " + e.getMessage()
                    + (gone != null ? " (" + gone + ")" : stderrText()), e);
        } catch (TimeoutException e) {
            throw new LabException("the " + who + " did not answer " + op + " within " + timeout.toMillis() + " ms"
                    + stderrText(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LabException le ? le : new LabException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the " + who, e);
        } finally {
            pending.remove(id);
        }
        if (!r.path("ok").asBoolean()) throw new LabException(who + ": " + op + " failed: " + r.path("error").asText());
        return r;
    }

    /** Waits for (and removes) the first event that matches; null after the timeout or once the agent is gone. */
    public JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (Iterator<JsonNode> it = events.iterator(); it.hasNext(); ) {
                    JsonNode e = it.next();
                    if (match.test(e)) {
                        it.remove();
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || exitReason != null) return null;
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    /** Removes and returns every queued event. */
    public List<JsonNode> drainEvents() {
        synchronized (events) {
            List<JsonNode> all = new ArrayList<>(events);
            events.clear();
            return all;
        }
    }

    /** Whether the agent still runs and talks. */
    public boolean isAlive() {
        return process.isAlive() && exitReason == null;
    }

    /** Tells the agent to outlive this process, then stops talking to it. */
    void detach() {
        call(request("detach"), Duration.ofSeconds(5));
        closeStdin();
    }

    private void closeStdin() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone, or it is detached either way
        }
    }

    /** Closes stdin (the agent exits), waits a little, then kills it. */
    @Override
    public void close() {
        closeStdin();
        Commands.awaitOrKill(process, 3);
    }

    @Override
    public String toString() {
        return who;
    }
}
