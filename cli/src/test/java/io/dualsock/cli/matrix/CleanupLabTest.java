package io.dualsock.cli.matrix;

import io.dualsock.lab.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dualsock.cli.Main;

/**
 * A lab killed in the middle of a run: with kill -9 the next start (here
 * {@link Lab#cleanupLeftovers}) removes everything; with Ctrl-C (SIGINT) the lab removes
 * itself. The lab runs in a child JVM ({@code dualsock matrix --resolver dns}), which is the
 * process these tests kill, by its pid.
 */
class CleanupLabTest {
    /** The child's lab: the first of its JVM. */
    static List<String> namespacesOf(Process child) {
        return Leftovers.namespacesOf(Topology.figure125(), child.pid(), 1);
    }

    @BeforeEach
    void labCanRun() {
        LabExtension.assumeLabCanRun(NameSource.DNS);
        Lab.cleanupLeftovers(System.err);
    }

    /** Starts `dualsock matrix` in a child JVM and returns once it has measured its first cells. */
    static Process startMatrixAndWaitUntilItMeasures() throws Exception {
        // A child inherits an ignored SIGINT (a test run started in the background ignores it),
        // and a JVM leaves an ignored SIGINT ignored: env resets it to the default, then runs java.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT"));
        cmd.addAll(JavaCommand.current().command(Main.class.getName(),
                List.of("matrix", "--resolver", "dns", "--udp-timeout", "2000")));
        Process p = new ProcessBuilder(cmd).start();
        CountDownLatch measuring = new CountDownLatch(1);
        List<String> seen = new ArrayList<>();
        Thread err = new Thread(() -> drain(p, measuring, seen));
        err.setDaemon(true);
        err.start();
        Thread out = new Thread(() -> {
            try {
                p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // child gone
            }
        });
        out.setDaemon(true);
        out.start();
        if (!measuring.await(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the child lab did not start measuring: " + seen);
        }
        return p;
    }

    private static void drain(Process p, CountDownLatch measuring, List<String> seen) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (seen) {
                    seen.add(line);
                }
                // The first table is done and the UDP tables (with their 2 s time-outs) run: mid-run.
                if (line.startsWith("matrix: tcp / book")) measuring.countDown();
            }
        } catch (IOException ignored) {
            // child gone
        }
    }

    /** A signal mask line of /proc/<pid>/status (SigCgt: caught, SigIgn: ignored), as a bit set. */
    static long signalMask(long pid, String line) throws IOException {
        for (String l : Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(line)) return Long.parseUnsignedLong(l.substring(line.length()).trim(), 16);
        }
        throw new AssertionError("no " + line + " in /proc/" + pid + "/status");
    }

    static List<Long> recordedPids(Process child, String what) throws IOException {
        JsonNode state = new ObjectMapper().readTree(Files.readString(LabAccess.stateFile(child.pid(), 1)));
        List<Long> pids = new ArrayList<>();
        for (JsonNode p : state.path("processes")) if (p.path("what").asText().startsWith(what)) pids.add(p.path("pid").asLong());
        return pids;
    }

    static void mark(String what) {
        System.err.println("cleanup test: " + what + " at " + java.time.Instant.now());
    }

    @Test
    void killMinus9LeavesALabThatTheNextStartRemoves() throws Exception {
        mark("start");
        Process p = startMatrixAndWaitUntilItMeasures();
        mark("measuring");
        List<Long> dnsmasq = recordedPids(p, "dnsmasq");
        List<Long> agents = recordedPids(p, "agent");
        assertEquals(1, dnsmasq.size());
        assertEquals(7, agents.size());
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        Leftovers.assertAll(namespacesOf(p));
        assertTrue(Files.exists(LabAccess.stateFile(p.pid(), 1)), "the record survives the kill");
        assertTrue(ProcessHandle.of(dnsmasq.get(0)).map(ProcessHandle::isAlive).orElse(false), "dnsmasq outlives its parent");
        // Agents end by themselves when their stdin closes with the dead orchestrator.
        for (long pid : agents) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isPresent()) h.get().onExit().get(10, TimeUnit.SECONDS);
        }

        mark("agents gone");
        assertTrue(Lab.cleanupLeftovers(System.err));
        mark("cleaned");
        Leftovers.assertNone(namespacesOf(p));
        assertFalse(ProcessHandle.of(dnsmasq.get(0)).map(ProcessHandle::isAlive).orElse(false), "dnsmasq was not removed");
        assertFalse(Lab.cleanupLeftovers(System.err), "nothing is left the second time");
    }

    @Test
    void ctrlCRemovesTheLabAtOnce() throws Exception {
        Process p = startMatrixAndWaitUntilItMeasures();
        List<Long> dnsmasq = recordedPids(p, "dnsmasq");
        // The child catches SIGINT (its JVM installed the handler that runs shutdown hooks), so the
        // signal below tests the lab's cleanup, not a default action that kills it outright.
        long sigint = 1L << (jnr.constants.platform.Signal.SIGINT.intValue() - 1);
        assertEquals(sigint, signalMask(p.pid(), "SigCgt:") & sigint, "the child does not catch SIGINT");
        assertEquals(0, signalMask(p.pid(), "SigIgn:") & sigint, "the child ignores SIGINT");
        // SIGINT is what Ctrl-C sends; kill(1) is given the child's pid, nothing else.
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child did not end after SIGINT");
        Leftovers.assertNone(namespacesOf(p));
        assertFalse(ProcessHandle.of(dnsmasq.get(0)).map(ProcessHandle::isAlive).orElse(false), "dnsmasq was not removed");
    }
}
