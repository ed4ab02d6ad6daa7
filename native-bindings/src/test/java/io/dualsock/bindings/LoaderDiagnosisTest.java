package io.dualsock.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dualsock.bindings.LoaderHardeningTest.Probe;

/**
 * Failures that are not about dualsock's extraction directory: each is recognised, names the
 * flag that fixes it, touches no directory, and is rethrown as it was on the next call. Each
 * case runs in a fresh child JVM (the loader keeps its outcome for the life of a JVM).
 */
class LoaderDiagnosisTest {

    @Test
    void unsafeDeniedNamesTheJffiFlagAndCreatesNoDirectory(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("t"));
        Probe p = LoaderHardeningTest.probe(java24OrLater(), 25, LoaderHardeningTest.classpath(),
                List.of("--sun-misc-unsafe-memory-access=deny", "-Ddualsock.binding=jnr", "-Ddualsock.tmpdir=" + dir), List.of(), tmp, List.of());
        String err = p.one("ERROR");
        assertNotNull(err, p.raw());
        assertTrue(err.contains("putLong") && err.contains("-Djffi.unsafe.disabled=true"), err);
        assertEquals("1", p.one("CAUSES"), "the real cause is kept: " + p.raw());
        assertEquals("LibraryLoadException (the same)", p.one("AGAIN"), p.raw());
        assertEmpty(dir);
        assertFalse(Files.exists(tmp.resolve(".cache")), "~/.cache/dualsock made for a failure that is not about it");
    }

    @Test
    void unsafeDeniedWithJffiUnsafeDisabledLoadsWithoutAWarning(@TempDir Path tmp) throws Exception {
        Probe p = LoaderHardeningTest.probe(java24OrLater(), 25, LoaderHardeningTest.classpath(),
                List.of("--sun-misc-unsafe-memory-access=deny", "-Djffi.unsafe.disabled=true", "-Ddualsock.binding=jnr"),
                List.of("address"), tmp, List.of());
        assertEquals("" + NativeLoader.ABI_VERSION, p.one("ABI"), p.raw());
        assertNotNull(p.one("ADDRESS"), "Native.address on a direct buffer: " + p.raw());
        assertFalse(p.raw().contains("WARNING"), p.raw());
    }

    /** The FFM binding (the default on Java 22+) needs neither jffi nor Unsafe: denied, it loads silently. */
    @Test
    void unsafeDeniedUnderFfmLoadsWithoutAnyFlag(@TempDir Path tmp) throws Exception {
        Probe p = LoaderHardeningTest.probe(java24OrLater(), 25, LoaderHardeningTest.classpath(),
                List.of("--sun-misc-unsafe-memory-access=deny"), List.of("address"), tmp, List.of());
        assertEquals("" + NativeLoader.ABI_VERSION, p.one("ABI"), p.raw());
        assertNotNull(p.one("ADDRESS"), "Native.address on a direct buffer: " + p.raw());
        assertFalse(p.raw().contains("WARNING"), p.raw());
    }

    @Test
    void jffiStubOnNoexecNamesJffiExtractDir(@TempDir Path tmp) throws Exception {
        LoaderHardeningTest.requireRootAndMountNamespace();
        Path noexec = Files.createDirectory(tmp.resolve("noexec"));
        Path ours = Files.createDirectory(tmp.resolve("ours"));
        Probe p = LoaderHardeningTest.probe(LoaderHardeningTest.classpath(),
                List.of("-Djava.io.tmpdir=" + noexec, "-Djffi.extract.dir=" + noexec, "-Ddualsock.tmpdir=" + ours,
                        "-Ddualsock.binding=jnr"),
                List.of(), tmp, LoaderHardeningTest.noexecMount(noexec));
        String err = p.one("ERROR");
        assertNotNull(err, p.raw());
        assertTrue(err.contains("-Djffi.extract.dir"), err);
        assertFalse(err.contains("-Ddualsock.tmpdir"), "the dualsock directory is not the problem: " + err);
        assertEmpty(ours);
    }

    @Test
    void muslAndUnknownPlatformsAreSaidInOneLine() {
        List<String> both = List.of("linux-x86_64", "linux-aarch64");
        String musl = LoadFailures.unsupportedPlatform("linux-x86_64", both,
                "7f1c2a000000-7f1c2a014000 r--p 00000000 08:01 123 /lib/ld-musl-x86_64.so.1\n");
        assertNotNull(musl);
        assertTrue(musl.contains("musl") && musl.contains("-Ddualsock.library.path") && !musl.contains("\n"), musl);
        String riscv = LoadFailures.unsupportedPlatform("linux-riscv64", both, "");
        assertNotNull(riscv);
        assertTrue(riscv.contains("linux-riscv64") && riscv.contains(both.toString()) && !riscv.contains("\n"), riscv);
        assertNull(LoadFailures.unsupportedPlatform("linux-x86_64", both, LoadFailures.processMaps()),
                "this machine (glibc, a bundled platform) is supported");
    }

    @Test
    void theJarCarriesBothLinuxArchitectures() throws Exception {
        assertTrue(NativeLoader.bundledPlatforms().contains(NativeLoader.platform()), NativeLoader.bundledPlatforms().toString());
        boolean crossCompiler = new ProcessBuilder("sh", "-c", "command -v aarch64-linux-gnu-gcc").start().waitFor() == 0;
        if (!crossCompiler) {
            io.dualsock.testsupport.Prerequisite.missing("no aarch64-linux-gnu-gcc: the build bundled only "
                    + NativeLoader.bundledPlatforms() + " (apt-get install gcc-aarch64-linux-gnu)");
        }
        assertEquals(NativeLoader.BUILD_PLATFORMS, NativeLoader.bundledPlatforms());
    }

    /** This JVM when it is Java 24+ (--sun-misc-unsafe-memory-access, JEP 498), else the Java 25 that bin/test uses. */
    private static Path java24OrLater() {
        if (Runtime.version().feature() >= 24) return Path.of(System.getProperty("java.home"));
        Path j25 = Path.of(System.getenv().getOrDefault("DS_JAVA25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (!Files.isExecutable(j25.resolve("bin/java"))) {
            io.dualsock.testsupport.Prerequisite.missing("no Java 24+ here and none at " + j25 + " (set DS_JAVA25)");
        }
        return j25;
    }

    private static void assertEmpty(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), dir + " was used");
        }
    }
}
