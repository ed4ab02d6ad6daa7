package io.dualsock.cli.compare;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.lab.JsonLineProcess;
import io.dualsock.lab.LabException;
import io.dualsock.lab.LabHost;

/** The matrix's end of one {@link JdkAgent}: started in a lab host, requests by id, queued events. */
final class JdkAgentProcess implements AutoCloseable {
    private static final int STDERR_LINES = 40;

    final String host;
    final JdkSetting setting;
    private final JsonLineProcess line;

    private JdkAgentProcess(String host, JdkSetting setting, Process p) {
        this.host = host;
        this.setting = setting;
        // Unlike the lab's agent, it neither waits for the exit value nor keeps stray stdout lines.
        this.line = new JsonLineProcess(p, "ds-jdk-agent-", host, STDERR_LINES, false,
                l -> "the Java agent (" + setting.label() + ") of host " + host + " ended; its stderr: " + l.stderrLines());
    }

    /** {@code ip netns exec <host's namespace> <jdk>/bin/java <setting> ... JdkAgent host setting}. */
    static JdkAgentProcess start(LabHost h, Jdk jdk, JdkSetting setting) {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        if (jdk.feature() >= 17) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k", "-XX:-UsePerfData"));
        cmd.addAll(JsonLineProcess.propertyArgs());
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

    static ObjectNode request(String op) {
        return JsonLineProcess.request(op);
    }

    JsonNode call(ObjectNode req, Duration timeout) {
        JsonNode r;
        try {
            r = line.exchange(req, timeout);
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            String gone = line.exitReason();
            throw new LabException("Java agent of " + host + " (" + setting.label() + "): " + req.path("op").asText() + ": " + e
                    + (gone != null ? " (" + gone + ")" : "; stderr: " + line.stderrLines()), e);
        }
        if (!r.path("ok").asBoolean()) {
            throw new LabException("Java agent of " + host + ": " + req.path("op").asText() + " failed: " + r.path("error").asText());
        }
        return r;
    }

    /** Waits for (and removes) the first matching event; null after the timeout. */
    JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) {
        return line.awaitEvent(match, timeout);
    }

    void drainEvents() {
        line.drainEvents();
    }

    @Override
    public void close() {
        line.close();
    }
}
