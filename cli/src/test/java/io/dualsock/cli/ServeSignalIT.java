package io.dualsock.cli;

import io.dualsock.cli.output.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code dualsock serve} in its own process, stopped by SIGTERM and SIGINT: the sockets are
 * closed, a last "stopped" event is printed and the exit status is 0. Signals go only to the
 * process this test started, by its pid.
 */
class ServeSignalIT {
    private static Path jar;

    @BeforeAll
    static void paths() {
        jar = Path.of(System.getProperty("ds.jar", "target/dualsock.jar"));
        assertTrue(Files.isRegularFile(jar), "failsafe runs after package, so " + jar + " must exist");
    }

    private static Process serve(List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "serve"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String stopWith(Process p, Runnable signal) throws Exception {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertTrue(first != null && first.contains("\"event\":\"listening\""), "first line: " + first);
            signal.run();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve did not stop on the signal");
            String last = null;
            for (String l; (l = out.readLine()) != null; ) last = l;
            assertEquals(0, p.exitValue(), "clean stop is exit 0; last line " + last);
            return last;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermClosesAndExitsZero() throws Exception {
        Process p = serve(List.of(), "--family", "inet6", "--json", "0");
        // kill(1), not Process.destroy(): destroy also closes our end of the child's stdout.
        String last = stopWith(p, () -> signal("TERM", p));
        JsonNode ev = Json.parse(last);
        assertEquals("stopped", ev.get("event").asText());
        assertEquals("SIGTERM", ev.get("reason").asText());
        assertEquals(0, ev.get("peers").asInt());
    }

    @Test
    void sigintClosesAndExitsZero() throws Exception {
        // A process started from a non-interactive shell's background job inherits SIGINT ignored;
        // env --default-signal gives the JVM the default disposition, as a terminal would.
        assumeTrue(run("env", "--default-signal=INT", "true") == 0, "env --default-signal is not available");
        Process p = serve(List.of("env", "--default-signal=INT"), "--family", "inet", "--proto", "udp", "--json", "0");
        String last = stopWith(p, () -> signal("INT", p));
        JsonNode ev = Json.parse(last);
        assertEquals("SIGINT", ev.get("reason").asText());
        assertEquals(0, ev.get("datagrams").asInt());
    }

    private static void signal(String name, Process p) {
        try {
            assertEquals(0, run("kill", "-" + name, Long.toString(p.pid())));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
