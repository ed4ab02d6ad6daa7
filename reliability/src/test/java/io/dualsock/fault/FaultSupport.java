package io.dualsock.fault;

import io.dualsock.testsupport.Prerequisite;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import io.dualsock.bindings.LibC;
import io.dualsock.bindings.Native;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** What the fault tests share: descriptor counts, raw libc for injecting faults, figures for the report. */
final class FaultSupport {
    private FaultSupport() {}

    /** libc calls used to inject faults (not to do the work under test, which goes through dualsock). */
    static final LibC LIBC = Native.libc();

    /** getpid from jnr-posix, for tgkill. */
    static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    /** Open descriptors of this process (the directory listing's own descriptor included, every time). */
    static long openDescriptors() {
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resident set size in KiB (VmRSS). */
    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return -1;
    }

    /** Skips outside CI, fails in CI, when a prerequisite is missing. */
    static void require(boolean ok, String why) {
        Prerequisite.require(ok, why);
    }

    /**
     * Records one figure for docs/reliability.md: a "key=value" line in
     * target/reliability/&lt;test&gt;.properties (read by bin/reliability-report).
     */
    static synchronized void record(String test, String key, Object value) {
        Path dir = Paths.get(System.getProperty("ds.reliability.out", "target/reliability"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(test + ".properties"), key + "=" + value + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a fresh record file for a test class. */
    static synchronized void resetRecord(String test) {
        Path dir = Paths.get(System.getProperty("ds.reliability.out", "target/reliability"));
        try {
            Files.deleteIfExists(dir.resolve(test + ".properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
