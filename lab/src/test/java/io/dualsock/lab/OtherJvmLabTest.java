package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lab of another JVM runs while this class's lab is up: both work, neither touches the
 * other's names, and when the other JVM is killed with {@code kill -9} the sweep removes its lab
 * and leaves this (live) one alone.
 */
class OtherJvmLabTest {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(ParallelLabsLabTest::twoHosts);

    /**
     * The other JVM: starts a lab like this class's, exchanges once, starts a process of its own
     * in host b, says "ready" (with that process's pid last), and closes its lab when stdin ends.
     */
    public static void main(String[] args) throws Exception {
        try (Lab lab = ParallelLabsLabTest.twoHosts().start()) {
            ExchangeResult r = lab.host("a").exchange(Family.IPV6, true, true, "2001:db8::101", 7007, Duration.ofSeconds(5), "child");
            LabProcess sleeper = lab.host("b").start("sleep", "600"); // a process of the user's, for the kill -9 test
            System.out.println("ready " + r.outcome() + " " + String.join(",", lab.namespaces()) + " " + sleeper.pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our stdin
            }
        }
    }

    /** Starts the other JVM and returns it once its lab is up (its first line). */
    private static Process child(String[] firstLine) throws IOException {
        Process p = new ProcessBuilder(JavaCommand.current().command(OtherJvmLabTest.class.getName(), List.of()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        assertTrue(line != null && line.startsWith("ready "), "the other JVM's lab did not start: " + line);
        firstLine[0] = line;
        return p;
    }

    private static void exchange(Lab lab, String token) {
        ExchangeResult r = lab.host("a").exchange(Family.IPV6, true, true, "2001:db8::101", 7007, Duration.ofSeconds(5), token);
        assertEquals("ok", r.outcome(), r.detail());
        assertTrue(lab.host("b").awaitServed(token, Duration.ofSeconds(10)).isPresent(), token);
    }

    @Test
    void labsOfTwoJvmsRunAtOnceAndEndCleanly(Lab lab) throws Exception {
        String[] line = new String[1];
        Process p = child(line);
        List<String> theirs = Leftovers.namespacesOf(lab.topology(), p.pid(), 1).subList(0, 3); // a, b, bridge
        try {
            assertTrue(line[0].startsWith("ready ok "), line[0]);
            for (String ns : theirs) assertTrue(line[0].contains(ns), line[0] + " does not name " + ns);
            Leftovers.assertAll(theirs);
            exchange(lab, "parent-1");
        } finally {
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the other JVM did not end");
        }
        assertEquals(0, p.exitValue());
        Leftovers.assertNone(theirs);
        Leftovers.assertAll(lab.namespaces());
        exchange(lab, "parent-2");
    }

    @Test
    void theSweepRemovesAKilledJvmsLabAndNotALiveOne(Lab lab) throws Exception {
        String[] line = new String[1];
        Process p = child(line);
        List<String> theirs = Leftovers.namespacesOf(lab.topology(), p.pid(), 1).subList(0, 3);
        String[] words = line[0].split(" ");
        long sleeper = Long.parseLong(words[words.length - 1]);
        p.destroyForcibly(); // SIGKILL: its lab stays behind
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        Leftovers.assertAll(theirs);
        assertTrue(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false), "its process died with it");
        assertTrue(Files.exists(LabAccess.stateFile(p.pid(), 1)), "the killed lab's record is gone");
        assertTrue(Lab.cleanupLeftovers(System.err), "the sweep found nothing");
        Leftovers.assertNone(theirs);
        assertFalse(Files.exists(LabAccess.stateFile(p.pid(), 1)));
        assertFalse(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false), "its process was left running");
        // this JVM's lab, alive, was not swept
        Leftovers.assertAll(lab.namespaces());
        exchange(lab, "after-sweep");
    }
}
