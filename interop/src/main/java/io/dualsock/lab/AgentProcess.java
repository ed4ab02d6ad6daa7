package io.dualsock.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_LINES = 60;

    final String host;
    final String namespace;
    private final Process process;
    private final OutputStream stdin;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private volatile String exitReason;
    private long pid;

    private AgentProcess(String host, String namespace, Process p) {
        this.host = host;
        this.namespace = namespace;
        this.process = p;
        this.stdin = p.getOutputStream();
        Thread r = new Thread(this::readStdout, "ds-agent-out-" + host);
        r.setDaemon(true);
        r.start();
        Thread e = new Thread(this::readStderr, "ds-agent-err-" + host);
        e.setDaemon(true);
        e.start();
    }

    /** The java command line that starts an agent (or any main class) with this JVM's classpath. */
    static List<String> javaCommand(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting JVMs: the agents do little work and there are several per core.
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx96m", "-Xss512k", "-XX:-UsePerfData"));
        for (String p : List.of("dualsock.library.path", "dualsock.tmpdir", "java.io.tmpdir")) {
            String v = System.getProperty(p);
            if (v != null) cmd.add("-D" + p + "=" + v);
        }
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
        return process.toHandle();
    }

    long pid() {
        return pid;
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
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
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exitReason = "the agent of host " + host + " ended" + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")")
                + stderrText();
        for (CompletableFuture<JsonNode> f : pending.values()) f.completeExceptionally(new LabException(exitReason));
        pending.clear();
        synchronized (events) {
            events.notifyAll();
        }
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

    String stderrText() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "; its stderr:\n  " + String.join("\n  ", stderrTail);
        }
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
        if (exitReason != null) throw new LabException(exitReason);
        long id = ids.incrementAndGet();
        request.put("id", id);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            synchronized (stdin) {
                stdin.write((request.toString() + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            pending.remove(id);
            throw new LabException("cannot write to the agent of host " + host + ": " + e.getMessage()
                    + (exitReason != null ? " (" + exitReason + ")" : stderrText()), e);
        } catch (TimeoutException e) {
            pending.remove(id);
            throw new LabException("the agent of host " + host + " did not answer " + request.path("op").asText()
                    + " within " + timeout.toMillis() + " ms" + stderrText(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LabException le ? le : new LabException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            pending.remove(id);
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the agent of host " + host, e);
        }
    }

    static ObjectNode request(String op) {
        ObjectNode n = JSON.createObjectNode();
        n.put("op", op);
        return n;
    }

    /** Waits for (and removes) the first event that matches; null after the timeout. */
    JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) {
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
    List<JsonNode> drainEvents() {
        synchronized (events) {
            List<JsonNode> all = new ArrayList<>(events);
            events.clear();
            return all;
        }
    }

    boolean isAlive() {
        return process.isAlive() && exitReason == null;
    }

    /** Tells the agent to outlive this process, then stops talking to it. */
    void detach() {
        call(request("detach"), Duration.ofSeconds(5));
        try {
            stdin.close();
        } catch (IOException ignored) {
            // it is detached either way
        }
    }

    /** Closes stdin (the agent exits), waits a little, then kills it. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
