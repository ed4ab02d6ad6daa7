package io.dualsock.cli;

import io.dualsock.testsupport.Prerequisite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.dualsock.lab.Prerequisites;

/**
 * The main job without privileges: {@code dualsock matrix} run as the unprivileged user
 * {@code nobody} (through {@code setpriv}, really without root and capabilities) must say what
 * is missing and run the loopback demo instead. Needs root to drop to nobody: skipped with the
 * reason elsewhere, failing in CI.
 */
class MatrixFallbackIT {

    private static Path setpriv() {
        for (String d : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(d, "setpriv");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private record Run(int code, String out, String err) {}

    private static Run asNobody(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("ds.jar", "target/dualsock.jar")).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(setpriv().toString(), "--reuid=65534", "--regid=65534",
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=/tmp", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("ds-fallback", ".out");
        Path err = Files.createTempFile("ds-fallback", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("no exit within 120 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void assumeCanDropPrivileges() {
        boolean root = Prerequisites.effectiveUid() == 0;
        boolean ok = root && setpriv() != null;
        Prerequisite.require(ok, "this test runs the jar as the user nobody: it needs root and setpriv"
                + " from util-linux (root=" + root + ", setpriv=" + setpriv() + ")");
    }

    @Test
    void withoutPrivilegesMatrixSaysWhatIsMissingAndRunsTheDemo() throws Exception {
        assumeCanDropPrivileges();
        java.util.Set<String> before = labNamespaces();
        Run r = asNobody("matrix");
        assertEquals(0, r.code(), () -> "stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        assertTrue(r.err().startsWith("dualsock matrix: NOT_PRIVILEGED: the lab cannot run here: root: "), r.err());
        assertTrue(r.err().contains("running `dualsock demo` instead"), r.err());
        // the demo ran for real: a dual-stack server reported a mapped IPv4 peer
        assertTrue(r.out().contains("::ffff:127.0.0.1"), r.out());
        assertFalse(r.out().isBlank());
        // nothing of a lab was created by the unprivileged run (a lab of another test run on this
        // machine may come and go meanwhile: only namespaces that appeared and stayed count)
        java.util.Set<String> after = labNamespaces();
        after.removeAll(before);
        after.retainAll(labNamespaces());
        assertTrue(after.isEmpty(), "namespaces appeared: " + after);
    }

    private static java.util.Set<String> labNamespaces() throws Exception {
        Process ls = new ProcessBuilder("ip", "netns", "list").start();
        String ns = new String(ls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ls.waitFor();
        java.util.Set<String> s = new java.util.TreeSet<>();
        ns.lines().map(l -> l.split(" ")[0]).filter(n -> n.startsWith("ds-")).forEach(s::add);
        return s;
    }

    @Test
    void noDemoExitsThree() throws Exception {
        assumeCanDropPrivileges();
        Run r = asNobody("matrix", "--no-demo");
        assertEquals(ExitCodes.NOT_PRIVILEGED, r.code(), r.err());
        assertTrue(r.out().isEmpty(), r.out());
        assertTrue(r.err().startsWith("dualsock matrix: NOT_PRIVILEGED: the lab cannot run here: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
