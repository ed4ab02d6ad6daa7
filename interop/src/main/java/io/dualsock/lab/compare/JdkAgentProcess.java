package io.dualsock.lab.compare;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.lab.LabException;
import io.dualsock.lab.LabHost;

/** The matrix's end of one {@link JdkAgent}: started in a lab host, requests by id, queued events. */
final class JdkAgentProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String host;
    final JdkSetting setting;
    private final Process process;
    private final OutputStream stdin;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private volatile String gone;

    private JdkAgentProcess(String host, JdkSetting setting, Process p) {
        this.host = host;
        this.setting = setting;
        this.process = p;
        this.stdin = p.getOutputStream();
        Thread o = new Thread(this::readStdout, "ds-jdk-agent-out-" + host);
        o.setDaemon(true);
        o.start();
        Thread e = new Thread(this::readStderr, "ds-jdk-agent-err-" + host);
        e.setDaemon(true);
        e.start();
    }

    /** {@code ip netns exec <host's namespace> <jdk>/bin/java <setting> ... JdkAgent host setting}. */
    static JdkAgentProcess start(LabHost h, Jdk jdk, JdkSetting setting) {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        if (jdk.feature() >= 17) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k", "-XX:-UsePerfData"));
        for (String p : List.of("dualsock.library.path", "dualsock.tmpdir", "java.io.tmpdir")) {
            String v = System.getProperty(p);
            if (v != null) cmd.add("-D" + p + "=" + v);
        }
        cmd.addAll(setting.jvmArgs());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JdkAgent.class.getName());
        cmd.add(h.name());
        cmd.add(setting.label());
        try {
            return new JdkAgentProcess(h.name(), setting, h.start(cmd));
        } catch (IOException e) {
            throw new LabException("cannot start a Java agent in host " + h.name() + ": " + e.getMessage(), e);
        }
    }

    private void readStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
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
        } catch (IOException ignored) {
            // the process is gone
        }
        gone = "the Java agent (" + setting.label() + ") of host " + host + " ended; its stderr: " + stderrText();
        for (CompletableFuture<JsonNode> f : pending.values()) f.completeExceptionally(new LabException(gone));
        synchronized (events) {
            events.notifyAll();
        }
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderr) {
                    stderr.addLast(line);
                    while (stderr.size() > 40) stderr.removeFirst();
                }
            }
        } catch (IOException ignored) {
            // gone
        }
    }

    private String stderrText() {
        synchronized (stderr) {
            return String.join("\n  ", stderr);
        }
    }

    static ObjectNode request(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    JsonNode call(ObjectNode req, Duration timeout) {
        if (gone != null) throw new LabException(gone);
        long id = ids.incrementAndGet();
        req.put("id", id);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            synchronized (stdin) {
                stdin.write((req.toString() + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            JsonNode r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!r.path("ok").asBoolean()) {
                throw new LabException("Java agent of " + host + ": " + req.path("op").asText() + " failed: " + r.path("error").asText());
            }
            return r;
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            pending.remove(id);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new LabException("Java agent of " + host + " (" + setting.label() + "): " + req.path("op").asText() + ": " + e
                    + (gone != null ? " (" + gone + ")" : "; stderr: " + stderrText()), e);
        }
    }

    /** Waits for (and removes) the first matching event; null after the timeout. */
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
                if (left <= 0 || gone != null) return null;
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    void drainEvents() {
        synchronized (events) {
            events.clear();
        }
    }

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
