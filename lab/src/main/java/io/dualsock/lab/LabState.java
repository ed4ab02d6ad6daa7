package io.dualsock.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The lab's lock and its record of everything it made, so that whatever kills a lab (an
 * exception, Ctrl-C, {@code kill -9}) the next lab to start, or {@link #cleanupLeftovers},
 * removes it.
 *
 * <p>One lab runs on a machine at a time: {@code /run/dualsock-lab/lock} is held with
 * {@code flock(2)} (through {@link FileChannel#lock()}), which the kernel releases when the
 * holder dies however it dies. {@code /run/dualsock-lab/state.json} lists namespaces,
 * {@code /etc/netns} entries and processes; every item is recorded <em>before</em> it is
 * created, so a kill between the two leaves at most a record of something that does not exist,
 * which cleanup skips. Both live under {@code /run}, a tmpfs, like {@code /run/netns} itself:
 * after a reboot neither the namespaces nor the record survive.
 */
final class LabState implements AutoCloseable {
    static final Path DIR = Path.of("/run/dualsock-lab");
    static final Path LOCK = DIR.resolve("lock");
    static final Path STATE = DIR.resolve("state.json");
    static final String FILES_NAME = "files";
    static final Path FILES = DIR.resolve(FILES_NAME);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Object IN_PROCESS = new Object();
    private static boolean heldInProcess;

    private final FileChannel channel;
    private final FileLock lock;
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final Set<String> etcEntries = new LinkedHashSet<>();
    private final List<ProcRecord> processes = new ArrayList<>();
    private boolean createdEtcNetns;
    private boolean closed;

    record ProcRecord(long pid, String start, String what) {}

    private LabState(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock (waiting up to {@code wait} for another process's lab to finish), then
     * removes what a dead lab left behind.
     *
     * @throws LabException when this JVM already runs a lab, or the lock stays taken
     */
    static LabState acquire(Duration wait, PrintStream log) {
        synchronized (IN_PROCESS) {
            if (heldInProcess) {
                throw new LabException("a lab is already running in this JVM: close it before starting another");
            }
            heldInProcess = true;
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(DIR, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                String holder = Files.exists(STATE) ? " (owner " + readOwner() + ")" : "";
                if (log != null) log.println("another dualsock lab is running" + holder + "; waiting up to " + wait.toSeconds() + " s");
                Instant deadline = Instant.now().plus(wait);
                while (l == null && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                    l = ch.tryLock();
                }
                if (l == null) {
                    throw new LabException("another dualsock lab holds " + LOCK + holder + "; wait for it to finish or end it");
                }
            }
            LabState s = new LabState(ch, l);
            s.cleanupLeftoversLocked(log);
            return s;
        } catch (IOException e) {
            release(ch);
            throw new LabException("cannot use " + DIR + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            release(ch);
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the lab lock", e);
        } catch (RuntimeException e) {
            release(ch);
            throw e;
        }
    }

    private static void release(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing releases the lock anyway
            }
        }
        synchronized (IN_PROCESS) {
            heldInProcess = false;
        }
    }

    /**
     * Removes what a previous lab recorded and did not remove (it was killed, or kept with
     * {@code --keep}). Waits for a running lab to finish first.
     *
     * @return true when there was something to remove
     */
    static boolean cleanupLeftovers(PrintStream log) {
        boolean had = Files.exists(STATE);
        acquire(Duration.ofSeconds(60), log).close();
        return had;
    }

    private static String readOwner() {
        try {
            JsonNode n = JSON.readTree(STATE.toFile());
            return "pid " + n.path("pid").asLong();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    void recordNamespace(String ns) {
        Netns.check(ns);
        namespaces.add(ns);
        save();
    }

    void recordEtcEntry(String ns) {
        Netns.check(ns);
        if (!Files.isDirectory(Netns.ETC_NETNS)) createdEtcNetns = true;
        etcEntries.add(ns);
        save();
    }

    void recordProcess(ProcessHandle p, String what) {
        processes.add(new ProcRecord(p.pid(), p.info().startInstant().map(Instant::toString).orElse(""), what));
        save();
    }

    List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** The lab's own files (TAYGA's configuration), {@value #FILES_NAME} under {@link #DIR}; removed with everything else. */
    Path filesDir() {
        try {
            return Files.createDirectories(FILES);
        } catch (IOException e) {
            throw new LabException("cannot create " + FILES + ": " + e.getMessage(), e);
        }
    }

    /** Writes the record atomically (a crash leaves the old or the new file, never half of one). */
    synchronized void save() {
        if (closed) return;
        ObjectNode o = JSON.createObjectNode();
        o.put("pid", ProcessHandle.current().pid());
        o.put("start", ProcessHandle.current().info().startInstant().map(Instant::toString).orElse(""));
        ArrayNode ns = o.putArray("namespaces");
        namespaces.forEach(ns::add);
        ArrayNode etc = o.putArray("etcNetns");
        etcEntries.forEach(etc::add);
        o.put("createdEtcNetns", createdEtcNetns);
        ArrayNode pa = o.putArray("processes");
        for (ProcRecord p : processes) {
            pa.addObject().put("pid", p.pid).put("start", p.start).put("what", p.what);
        }
        try {
            Path tmp = DIR.resolve("state.json.tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
            try {
                Files.move(tmp, STATE, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, STATE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new LabException("cannot write " + STATE + ": " + e.getMessage(), e);
        }
    }

    void cleanupLeftoversLocked(PrintStream log) {
        if (!Files.exists(STATE)) return;
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(STATE, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new LabException("cannot read " + STATE + " (" + e.getMessage() + "); remove the lab's namespaces by hand"
                    + " (ip netns list) and then that file", e);
        }
        if (log != null) log.println("removing what an earlier lab left (pid " + n.path("pid").asLong() + ")");
        for (JsonNode p : n.path("processes")) {
            processes.add(new ProcRecord(p.path("pid").asLong(), p.path("start").asText(""), p.path("what").asText("")));
        }
        // The record is only trusted for names that are the lab's own: a damaged or planted file
        // naming "../x" or another namespace must not make cleanup delete or kill outside the lab.
        List<String> refused = new ArrayList<>();
        for (JsonNode x : n.path("namespaces")) {
            if (isLabName(x.asText())) namespaces.add(x.asText());
            else refused.add("namespace " + x + " in " + STATE + " is not a lab name: left alone");
        }
        for (JsonNode x : n.path("etcNetns")) {
            if (isLabName(x.asText())) etcEntries.add(x.asText());
            else refused.add("/etc/netns entry " + x + " in " + STATE + " is not a lab name: left alone");
        }
        createdEtcNetns = n.path("createdEtcNetns").asBoolean(false);
        List<String> problems = new ArrayList<>(removeAll(log));
        if (!refused.isEmpty()) {
            if (log != null) refused.forEach(r -> log.println("cleanup: " + r));
            problems.addAll(refused);
            try {
                Files.deleteIfExists(STATE); // everything it named that was ours is gone
            } catch (IOException e) {
                problems.add(STATE + ": " + e);
            }
        }
        if (!problems.isEmpty()) {
            throw new LabException("could not remove everything an earlier lab left:\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * Removes every recorded item: kills recorded processes (only when pid and start time still
     * match), kills the processes inside recorded namespaces (they can only be the lab's),
     * deletes the namespaces and the {@code /etc/netns} entries. Keeps going after a failure.
     *
     * @return what could not be removed, empty when everything went
     */
    synchronized List<String> removeAll(PrintStream log) {
        List<String> problems = new ArrayList<>();
        for (ProcRecord p : processes) {
            Optional<ProcessHandle> h = ProcessHandle.of(p.pid);
            if (h.isPresent() && h.get().info().startInstant().map(Instant::toString).orElse("").equals(p.start)) {
                kill(h.get());
            }
        }
        processes.clear();
        for (String ns : namespaces) deleteNamespace(ns, problems);
        namespaces.removeIf(ns -> !Netns.exists(ns));
        for (String ns : etcEntries) deleteEtcEntry(ns, problems);
        etcEntries.removeIf(ns -> !Files.exists(Netns.ETC_NETNS.resolve(ns)));
        try {
            deleteTree(FILES);
        } catch (IOException e) {
            problems.add(FILES + ": " + e);
        }
        if (createdEtcNetns && etcEntries.isEmpty()) {
            try {
                Files.deleteIfExists(Netns.ETC_NETNS);
                createdEtcNetns = false;
            } catch (DirectoryNotEmptyException e) {
                createdEtcNetns = false; // someone else uses it now: leave it
            } catch (IOException e) {
                problems.add(Netns.ETC_NETNS + ": " + e);
            }
        }
        if (problems.isEmpty()) {
            try {
                Files.deleteIfExists(STATE);
            } catch (IOException e) {
                problems.add(STATE + ": " + e);
            }
        } else {
            save();
        }
        if (log != null && !problems.isEmpty()) problems.forEach(p -> log.println("cleanup: " + p));
        return problems;
    }

    /**
     * Removes one recorded namespace now (a {@link ThrowawayHost} closing): the processes in it,
     * the namespace and its {@code /etc/netns} entry; what is gone leaves the record.
     *
     * @return what could not be removed, empty when everything went
     */
    synchronized List<String> remove(String ns) {
        List<String> problems = new ArrayList<>();
        if (namespaces.contains(ns)) deleteNamespace(ns, problems);
        if (etcEntries.contains(ns)) deleteEtcEntry(ns, problems);
        if (!Netns.exists(ns)) namespaces.remove(ns);
        if (!Files.exists(Netns.ETC_NETNS.resolve(ns))) etcEntries.remove(ns);
        save();
        return problems;
    }

    /** Kills the processes inside the namespace (they can only be the lab's) and deletes it. */
    private static void deleteNamespace(String ns, List<String> problems) {
        try {
            for (long pid : Netns.pids(ns)) {
                ProcessHandle.of(pid).ifPresent(LabState::kill);
            }
            Netns.delete(ns);
        } catch (RuntimeException e) {
            problems.add("namespace " + ns + ": " + e.getMessage());
        }
    }

    private static void deleteEtcEntry(String ns, List<String> problems) {
        try {
            deleteTree(Netns.ETC_NETNS.resolve(ns));
        } catch (IOException e) {
            problems.add(Netns.ETC_NETNS.resolve(ns) + ": " + e);
        }
    }

    /** SIGKILL and a short wait: lab processes hold nothing that needs an orderly end. */
    static void kill(ProcessHandle h) {
        if (h.pid() == ProcessHandle.current().pid()) return;
        h.destroyForcibly();
        try {
            h.onExit().get(3, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // a zombie whose parent has not reaped it yet is gone as far as the lab is concerned
        }
    }

    static boolean isLabName(String name) {
        try {
            Netns.check(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(x);
                } catch (NoSuchFileException ignored) {
                    // gone already
                }
            }
        }
    }

    /** Removes everything (see {@link #removeAll}) and releases the lock. */
    List<String> closeAndRemove(PrintStream log) {
        List<String> problems = removeAll(log);
        closeLock();
        return problems;
    }

    /** Releases the lock and leaves the record: the next lab or {@code --cleanup} removes it (for {@code --keep}). */
    void keepAndRelease() {
        save();
        closeLock();
    }

    private synchronized void closeLock() {
        if (closed) return;
        closed = true;
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        release(channel);
    }

    @Override
    public void close() {
        closeLock();
    }
}
