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

import org.junit.jupiter.api.Assumptions;
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
        requireJava24();
        Path dir = Files.createDirectory(tmp.resolve("t"));
        Probe p = LoaderHardeningTest.probe(LoaderHardeningTest.classpath(),
                List.of("--sun-misc-unsafe-memory-access=deny", "-Ddualsock.tmpdir=" + dir), List.of(), tmp);
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
        requireJava24();
        Probe p = LoaderHardeningTest.probe(LoaderHardeningTest.classpath(),
                List.of("--sun-misc-unsafe-memory-access=deny", "-Djffi.unsafe.disabled=true"), List.of("address"), tmp);
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
                List.of("-Djava.io.tmpdir=" + noexec, "-Djffi.extract.dir=" + noexec, "-Ddualsock.tmpdir=" + ours),
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
    void theJarListsThePlatformsItCarries() {
        assertTrue(NativeLoader.bundledPlatforms().contains(NativeLoader.platform()), NativeLoader.bundledPlatforms().toString());
    }

    private static void requireJava24() {
        Assumptions.assumeTrue(Runtime.version().feature() >= 24,
                "--sun-misc-unsafe-memory-access exists from Java 24 on (JEP 498); the Java 25 run of bin/test checks it");
    }

    private static void assertEmpty(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), dir + " was used");
        }
    }
}
