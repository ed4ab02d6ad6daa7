package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LabHost#start}: your own long-running processes in a host, their output, and their end. */
class LabProcessLabTest {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(() -> Lab.builder().host("lp", Stack.DUAL));

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    @Test
    void runsInTheHostPrintsAndStopsWithSigterm(Lab lab) {
        LabHost h = lab.host("lp");
        LabProcess p = h.start(List.of("sh", "-c", "echo ready $DS_LP; echo to-stderr >&2; exec sleep 600"), Map.of("DS_LP", "env"));
        assertEquals("ready env", p.awaitOutput(Pattern.compile("^ready"), Duration.ofSeconds(20)));
        assertEquals("to-stderr", p.awaitOutput(Pattern.compile("stderr"), Duration.ofSeconds(20)));
        assertTrue(p.isAlive());
        ExecResult where = LabAccess.ip("netns", "identify", Long.toString(p.pid())).orThrow();
        assertEquals(h.namespace(), where.stdout().strip(), "the process is not in the host's namespace");
        assertTrue(LabAccess.records().contains("\"pid\" : " + p.pid()), "the process is not in the lab's record");
        assertEquals(143, p.stop(), "SIGTERM ended it");
        assertTrue(gone(p.pid()), "stopped but not reaped");
        assertEquals(143, p.stop(), "stop is idempotent");
        assertEquals("ready env\n", p.stdout());
        assertEquals("to-stderr\n", p.stderr());
    }

    @Test
    void aProgramThatIgnoresSigtermIsKilledAfterTheGracePeriod(Lab lab) {
        LabProcess p = lab.host("lp").start("sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done")
                .grace(Duration.ofMillis(300));
        p.awaitOutput(Pattern.compile("ready"), Duration.ofSeconds(20));
        assertEquals(137, p.stop(), "SIGKILL ended it");
        assertTrue(gone(p.pid()));
    }

    @Test
    void aJavaProgramRunsToItsEnd(Lab lab) {
        LabProcess p = lab.host("lp").start(JavaProgram.of(JavaProgramTest.class.getName(), "started")
                .jvmOptions("-Dds.test.key=k").environment("DS_JAVA_PROGRAM_TEST", "e"));
        assertEquals(0, p.waitFor(Duration.ofSeconds(60)), p::stderr);
        assertTrue(p.stdout().startsWith("e k "), p.stdout());
        assertTrue(p.stdout().strip().endsWith(" started"), p.stdout());
    }

    @Test
    void waitingForOutputThatNeverComesNamesTheProgramAndItsLastLines(Lab lab) {
        LabProcess p = lab.host("lp").start("sh", "-c", "echo only-this; exit 3");
        LabException e = assertThrows(LabException.class, () -> p.awaitOutput(Pattern.compile("never"), Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("ended (exit 3)") && e.getMessage().contains("only-this"), e.getMessage());
        LabProcess q = lab.host("lp").start("sleep", "600");
        LabException t = assertThrows(LabException.class, () -> q.awaitOutput(Pattern.compile("x"), Duration.ofMillis(200)));
        assertTrue(t.getMessage().contains("did not print"), t.getMessage());
        assertThrows(LabException.class, () -> q.waitFor(Duration.ofMillis(100)));
        q.stop();
        assertThrows(LabException.class, () -> lab.host("lp").start(JavaProgram.of("no.such.Main")));
    }

    @Test
    void aProcessLeftRunningIsStoppedWhenTheLabCloses() {
        LabExtension.assumeLabCanRun(NameSource.FILES);
        long pid;
        List<String> namespaces;
        try (Lab own = Lab.builder().host("lq", Stack.IPV4_ONLY).start()) {
            LabProcess p = own.host("lq").start("sleep", "600");
            pid = p.pid();
            namespaces = own.namespaces();
            assertTrue(p.isAlive());
        }
        assertTrue(gone(pid), "the lab left a process of the user's running");
        Leftovers.assertNone(namespaces);
    }
}
