package io.dualsock.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The machine lock of the labs, {@code /run/dualsock-lab/lock} (split from {@link LabState}): a
 * file lock through {@link FileChannel#tryLock()}, which the kernel releases when the holder
 * dies, held while a lab sweeps and picks its id and while {@code /etc/netns} itself is created
 * or removed.
 */
final class MachineLock {
    private static final Path LOCK = LabState.LOCK;
    /** A FileLock belongs to the whole JVM: threads take this monitor before the file lock. */
    private static final Object MACHINE = new Object();

    private MachineLock() {}

    /**
     * Runs {@code body} holding {@code /run/dualsock-lab/lock} (and this JVM's monitor for it); re-entrant
     * for the thread that holds it.
     */
    static <T> T run(Duration wait, PrintStream log, Supplier<T> body) {
        synchronized (MACHINE) {
            if (holder == Thread.currentThread()) return body.get();
            try {
                Files.createDirectories(LabState.DIR, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new LabException("cannot use " + LabState.DIR + ": " + e.getMessage(), e);
            }
            try (FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock l = ch.tryLock();
                if (l == null) {
                    if (log != null) log.println("another dualsock lab is sweeping leftovers; waiting up to " + wait.toSeconds() + " s");
                    Instant deadline = Instant.now().plus(wait);
                    while (l == null && Instant.now().isBefore(deadline)) {
                        Thread.sleep(50);
                        l = ch.tryLock();
                    }
                    if (l == null) throw new LabException("another process holds " + LOCK + " for more than " + wait.toSeconds() + " s");
                }
                holder = Thread.currentThread();
                try {
                    return body.get();
                } finally {
                    holder = null;
                }
            } catch (IOException e) {
                throw new LabException("cannot use " + LOCK + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for " + LOCK, e);
            }
        }
    }

    /** The thread of this JVM that holds the machine lock, or null (guarded by MACHINE). */
    private static Thread holder;
}
