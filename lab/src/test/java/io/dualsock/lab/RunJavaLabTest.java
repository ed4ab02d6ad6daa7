package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LabHost#runJava(Duration, JavaProgram)}: a real child JVM in a lab host gets the options and environment. */
class RunJavaLabTest {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(() -> Lab.builder().host("rj", Stack.IPV6_ONLY));

    @Test
    void theChildRunsInTheHostWithTheGivenOptionsAndEnvironment(Lab lab) {
        ExecResult r = lab.host("rj").runJava(Duration.ofSeconds(60), JavaProgram.of(JavaProgramTest.class.getName(), "in-host")
                .jvmOptions("-Dds.test.key=v", "-Xmx200m").environment("DS_JAVA_PROGRAM_TEST", "env-ok"));
        assertEquals(0, r.exitCode(), r::toString);
        String[] out = r.stdout().trim().split(" ");
        assertEquals("env-ok", out[0], r::toString);
        assertEquals("v", out[1], r::toString);
        assertTrue(Integer.parseInt(out[2]) > 150, r::toString);
        assertEquals("in-host", out[3], r::toString);
    }

    @Test
    void aMissingClassIsAClearErrorBeforeAnyJvmStarts(Lab lab) {
        LabException e = assertThrows(LabException.class, () -> lab.host("rj").runJava(Duration.ofSeconds(60),
                JavaProgram.of(JavaProgramTest.class.getName()).classPath("/nonexistent/surefirebooter1.jar")));
        assertTrue(e.getMessage().contains("forkCount=0"), e::getMessage);
    }
}
