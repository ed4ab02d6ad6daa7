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

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.IgnoreError;

/** What the fault tests share: descriptor counts, raw libc for injecting faults, figures for the report. */
final class FaultSupport {
    private FaultSupport() {}


    /** libc calls used to inject faults (not to do the work under test, which goes through dualsock). */
    public interface Sys {
        @IgnoreError int getpid();

        @IgnoreError int gettid();

        /** tgkill(2): a signal to one thread. */
        @IgnoreError int tgkill(int tgid, int tid, int sig);

        /** recv(2) without the shim, errno kept: the control for the EINTR tests. */
        long recv(int fd, long buf, long len, int flags);
    }

    static final Sys SYS = LibraryLoader.create(Sys.class).failImmediately().load("c");

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

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[1].equals("0");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return false;
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
