package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The command {@link JavaProgram} builds, its class check, and one real child JVM (no lab: the root namespace). */
class JavaProgramTest {
    /** The child: prints an environment variable, a system property and its heap limit. */
    public static void main(String[] args) {
        System.out.println(System.getenv("DS_JAVA_PROGRAM_TEST") + " " + System.getProperty("ds.test.key") + " "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " " + String.join(",", args));
    }

    @Test
    void defaultsAreThisClassPathAndNothingElse() {
        JavaProgram p = JavaProgram.of("x.Main", "a", "b");
        assertEquals(System.getProperty("java.class.path"), p.classPath());
        assertEquals(List.of(), p.jvmOptions());
        assertEquals(Map.of(), p.environment());
        assertEquals(JavaCommand.current().command("x.Main", List.of("a", "b")), p.command(JavaCommand.current()));
    }

    @Test
    void optionsComeAfterTheDefaultsAndTheClassPathIsTheGivenOne() {
        List<String> cmd = JavaProgram.of("x.Main", "arg").classPath("/opt/app.jar").jvmOptions("-Xmx512m")
                .jvmOptions("-Dk=v").command(JavaCommand.current());
        assertTrue(cmd.indexOf("-Xmx512m") > cmd.indexOf("-Xmx96m"), cmd::toString);
        assertTrue(cmd.indexOf("-Dk=v") > cmd.indexOf("-Xmx512m"), cmd::toString);
        assertEquals(List.of("-cp", "/opt/app.jar", "x.Main", "arg"), cmd.subList(cmd.size() - 4, cmd.size()));
    }

    @Test
    void aClassOnTheClassPathIsLoadable() {
        JavaProgram.of(JavaProgramTest.class.getName()).requireLoadable();
    }

    @Test
    void aClassNotOnTheClassPathNamesTheClassAndForkCountZero() {
        String cp = "/nonexistent/surefirebooter1.jar";
        LabException e = assertThrows(LabException.class,
                () -> JavaProgram.of(JavaProgramTest.class.getName()).classPath(cp).requireLoadable());
        assertTrue(e.getMessage().contains(JavaProgramTest.class.getName()), e::getMessage);
        assertTrue(e.getMessage().contains("1 entry: " + cp), e::getMessage);
        assertTrue(e.getMessage().contains("forkCount=0"), e::getMessage);
        assertThrows(LabException.class, () -> JavaProgram.of("no.such.Main").requireLoadable());
    }

    @Test
    void environmentIsAddedAndTheListsAreCopied() {
        JavaProgram p = JavaProgram.of("x.Main").environment("A", "1").environment("B", "2").environment("A", "3");
        assertEquals(Map.of("A", "3", "B", "2"), p.environment());
        assertThrows(UnsupportedOperationException.class, () -> p.args().add("x"));
        assertThrows(NullPointerException.class, () -> p.classPath(null));
    }

    @Test
    void aChildJvmGetsTheClassPathOptionsAndEnvironment() {
        String cp = System.getProperty("java.class.path") + File.pathSeparator + "/nonexistent";
        JavaProgram p = JavaProgram.of(JavaProgramTest.class.getName(), "x", "y").classPath(cp)
                .jvmOptions("-Dds.test.key=v", "-Xmx200m").environment("DS_JAVA_PROGRAM_TEST", "env-ok");
        p.requireLoadable();
        ExecResult r = Commands.runWithEnvironment(p.command(JavaCommand.current()), Duration.ofSeconds(60), p.environment());
        assertEquals(0, r.exitCode(), r::toString);
        String[] out = r.stdout().trim().split(" ");
        assertEquals("env-ok", out[0], r::toString);
        assertEquals("v", out[1], r::toString);
        assertTrue(Integer.parseInt(out[2]) > 150, "-Xmx200m after -Xmx96m wins: " + r);
        assertEquals("x,y", out[3], r::toString);
    }
}
