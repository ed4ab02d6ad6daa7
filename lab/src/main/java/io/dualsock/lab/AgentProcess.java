package io.dualsock.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The orchestrator's end of one {@link Agent}: starts it with {@code ip netns exec}, sends
 * requests, matches answers by id, and queues the agent's events.
 *
 * <p>Requests (all answered with {@code ok} and the fields below, or {@code error}):
 * <ul>
 *   <li>{@code hello} → host, pid, netns ({@code net:[inode]}), java;</li>
 *   <li>{@code counters} → counters (name → value, see {@link KernelCounters});</li>
 *   <li>{@code serve} {server, family, transport, port, v6only} → outcome (ok or errno name),
 *       local, v6only (as read back);</li>
 *   <li>{@code resolve} {host, service, family, socktype, flags[]} → hints, addresses[] of
 *       {family, address, port, v4mapped}, or error (EAI name) and detail;</li>
 *   <li>{@code exchange} {family, transport, connected, address, port, timeoutMs, token} →
 *       outcome (ok, errno name, BADREPLY), step, local, replyFrom, detail, counters (the
 *       client namespace's changes);</li>
 *   <li>{@code detach} → the agent outlives its stdin (for {@code --keep}).</li>
 * </ul>
 * Events: {@code served} {server, transport, peer, local, payload, end}.
 */
final class AgentProcess implements AutoCloseable {
    private static final int STDERR_LINES = 60;

    final String host;
    final String namespace;
    private final JsonLineProcess line;
    private long pid;

    private AgentProcess(String host, String namespace, Process p) {
        this.host = host;
        this.namespace = namespace;
        this.line = new JsonLineProcess(p, "ds-agent-", host, STDERR_LINES, true, this::exitReason);
    }

    /** The java command line that starts an agent (or any main class) with this JVM's classpath. */
    static List<String> javaCommand(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting JVMs: the agents do little work and there are several per core.
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m", "-Xss512k", "-XX:-UsePerfData"));
        cmd.addAll(JsonLineProcess.propertyArgs());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    static AgentProcess start(String host, String namespace) {
        Netns.check(namespace);
        List<String> cmd = new ArrayList<>(List.of(Netns.IP, "netns", "exec", namespace));
        cmd.addAll(javaCommand(Agent.class.getName(), List.of(host)));
        try {
            Process p = new ProcessBuilder(cmd).start();
            AgentProcess a = new AgentProcess(host, namespace, p);
            a.pid = p.pid();
            return a;
        } catch (IOException e) {
            throw new LabException("cannot start the agent of host " + host + ": " + e.getMessage(), e);
        }
    }

    ProcessHandle handle() {
        return line.process().toHandle();
    }

    long pid() {
        return pid;
    }

    /** Runs on the stdout thread once stdout ends: gives the agent a moment so that its exit value is known. */
    private String exitReason(JsonLineProcess l) {
        Process process = l.process();
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "the agent of host " + host + " ended" + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")")
                + stderrText();
    }

    String stderrText() {
        return line.hasStderr() ? "; its stderr:\n  " + line.stderrLines() : "";
    }

    /** Sends a request and waits for its answer; an {@code ok:false} answer becomes a {@link LabException}. */
    JsonNode call(ObjectNode request, Duration timeout) {
        JsonNode r = callRaw(request, timeout);
        if (!r.path("ok").asBoolean()) {
            throw new LabException("agent of host " + host + ": " + request.path("op").asText() + " failed: " + r.path("error").asText());
        }
        return r;
    }

    JsonNode callRaw(ObjectNode request, Duration timeout) {
        try {
            return line.exchange(request, timeout);
        } catch (IOException e) {
            String exitReason = line.exitReason();
            throw new LabException("cannot write to the agent of host " + host + ": " + e.getMessage()
                    + (exitReason != null ? " (" + exitReason + ")" : stderrText()), e);
        } catch (TimeoutException e) {
            throw new LabException("the agent of host " + host + " did not answer " + request.path("op").asText()
                    + " within " + timeout.toMillis() + " ms" + stderrText(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LabException le ? le : new LabException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the agent of host " + host, e);
        }
    }

    static ObjectNode request(String op) {
        return JsonLineProcess.request(op);
    }

    /** Waits for (and removes) the first event that matches; null after the timeout. */
    JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) {
        return line.awaitEvent(match, timeout);
    }

    /** Removes and returns every queued event. */
    List<JsonNode> drainEvents() {
        return line.drainEvents();
    }

    boolean isAlive() {
        return line.process().isAlive() && line.exitReason() == null;
    }

    /** Tells the agent to outlive this process, then stops talking to it. */
    void detach() {
        call(request("detach"), Duration.ofSeconds(5));
        line.closeStdin();
    }

    /** Closes stdin (the agent exits), waits a little, then kills it. */
    @Override
    public void close() {
        line.close();
    }
}
