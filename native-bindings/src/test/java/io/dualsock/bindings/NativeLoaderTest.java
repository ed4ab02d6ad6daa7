package io.dualsock.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class NativeLoaderTest {

    @Test
    void loadsBundledCopyAndChecksAbi() {
        assertEquals(NativeLoader.ABI_VERSION, Native.shim().ds_abi_version());
        assertTrue(Native.librarySource().startsWith("bundled"), Native.librarySource());
        // the extracted file is deleted once loaded: nothing is left in the temp directory
        assertTrue(Files.notExists(Path.of(Native.libraryPath())), Native.libraryPath());
    }

    @Test
    void overridePropertyIsTheOnlyCandidateAndFailureListsIt(@TempDir Path dir) throws Throwable {
        Path bogus = dir.resolve("libdualsock.so");
        Files.writeString(bogus, "not an ELF file");
        withProperty(NativeLoader.PATH_PROPERTY, bogus.toString(), () -> {
            UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class, NativeLoader::load);
            assertTrue(e.getMessage().contains(bogus.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(NativeLoader.platform()), e.getMessage());
            System.setProperty(NativeLoader.PATH_PROPERTY, dir.resolve("missing.so").toString());
            e = assertThrows(UnsatisfiedLinkError.class, NativeLoader::load);
            assertTrue(e.getMessage().contains("missing.so"), e.getMessage());
        });
    }

    @Test
    void unusableTempDirectoryIsReportedAndTheNextOneUsed(@TempDir Path dir) throws Throwable {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        withProperty(NativeLoader.TMPDIR_PROPERTY, notADir.toString(), () -> {
            NativeLoader.Loaded l = NativeLoader.load();
            assertEquals(NativeLoader.ABI_VERSION, l.shim().ds_abi_version());
        });
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(notADir), s.toList());
        }
    }

    /** The values themselves are held against the compiler's in ConstantsAgainstCompilerTest. */
    @Test
    void constantsComeFromTheHeaders() {
        assertEquals(Constants.all().size(), Native.shim().ds_constant_count());
        assertTrue(Constants.find("NO_SUCH_CONSTANT").isEmpty());
        assertThrows(java.util.NoSuchElementException.class, () -> Constants.i("NO_SUCH_CONSTANT"));
    }

    @Test
    void errnoNamesAndMessages() {
        assertEquals("errno 99999", Errors.errnoName(99999));
        assertEquals("EAI_SYSTEM", Errors.eaiName(Platform.EAI_SYSTEM));
    }

    /** Runs body with the system property set to value, then restores what it was (or clears it). */
    private static void withProperty(String key, String value, Executable body) throws Throwable {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.execute();
        } finally {
            if (old == null) System.clearProperty(key);
            else System.setProperty(key, old);
        }
    }
}
