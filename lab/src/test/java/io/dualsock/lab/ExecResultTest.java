package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class ExecResultTest {
    /** A class path as Surefire gives an agent: 40 jars, about 3 KB. */
    private static final String CLASS_PATH = String.join(File.pathSeparator,
            Collections.nCopies(40, "/root/.m2/repository/com/example/some-library/1.2.3/some-library-1.2.3.jar"));

    private static List<String> agentCommand(String option) {
        return List.of("ip", "netns", "exec", "ds-a", "java", "-Xmx96m", option, CLASS_PATH, "io.dualsock.lab.Agent", "a");
    }

    @Test
    void theClassPathBecomesItsNumberOfEntries() {
        for (String option : List.of("-cp", "-classpath", "--class-path")) {
            assertEquals("ip netns exec ds-a java -Xmx96m " + option + " <class path, 40 entries> io.dualsock.lab.Agent a",
                    new ExecResult(agentCommand(option), 0, "", "").shortCommand());
        }
        assertEquals("java -p <module path, 1 entry> -m m/x",
                new ExecResult(List.of("java", "-p", "/a.jar", "-m", "m/x"), 0, "", "").shortCommand());
    }

    @Test
    void toStringKeepsTheExitStatusAndTheEndOfStderrButNotTheClassPath() {
        String stderr = "x".repeat(5000) + "\nError: Could not find or load main class io.dualsock.lab.Agent\n";
        String s = new ExecResult(agentCommand("-cp"), 1, "hello\n", stderr).toString();
        assertTrue(s.length() < 1000, s);
        assertFalse(s.contains("some-library"), s);
        assertTrue(s.startsWith("ExecResult[exit 1: ip netns exec ds-a java -Xmx96m -cp <class path, 40 entries> "), s);
        assertTrue(s.contains("stderr (" + stderr.length() + " characters), its end: …"), s);
        assertTrue(s.contains("Could not find or load main class io.dualsock.lab.Agent; stdout: hello]"), s);
    }

    @Test
    void shortOutputIsShownWholeAndEmptyOutputSaysSo() {
        assertEquals("ExecResult[exit 0: getent ahosts b.ds.test; stderr empty; stdout: 2001:db8::2 STREAM b.ds.test]",
                new ExecResult(List.of("getent", "ahosts", "b.ds.test"), 0, "2001:db8::2 STREAM b.ds.test\n", "").toString());
    }

    @Test
    void anOverlongArgumentKeepsItsStartAndLength() {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "echo " + "y".repeat(995)));
        String s = new ExecResult(command, 0, "", "").shortCommand();
        assertEquals("sh -c echo " + "y".repeat(115) + "…<1000 characters>", s);
    }

    @Test
    void orThrowNamesTheShortCommandAndTheWholeStderr() {
        LabException e = assertThrows(LabException.class,
                () -> new ExecResult(agentCommand("-cp"), 2, "", "boom\n").orThrow());
        assertEquals("command failed (exit 2): ip netns exec ds-a java -Xmx96m -cp <class path, 40 entries> "
                + "io.dualsock.lab.Agent a\n  boom", e.getMessage());
    }
}
