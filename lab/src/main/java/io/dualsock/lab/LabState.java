package io.dualsock.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One lab's record of everything it made, so that whatever kills a lab (an exception, Ctrl-C,
 * {@code kill -9}) the next lab to start, or {@link #cleanupLeftovers}, removes it.
 *
 * <p>Every lab has its own names ({@link LabNames}) and its own record
 * {@code /run/dualsock-lab/<id>.json}: namespaces, {@code /etc/netns} entries and processes,
 * and its owner, the JVM's pid and its start time ({@code /proc/<pid>/stat} field 22, in clock
 * ticks since boot, so that a reused pid is not taken for the owner). Every item is recorded
 * <em>before</em> it is created, so a kill between the two leaves at most a record of something
 * that does not exist, which cleanup skips. A lab starting sweeps the records whose owner is dead
 * (or that were kept with {@link Lab#keep}); a running lab's record is left alone, so labs of
 * several threads and JVMs run side by side. {@code /run/dualsock-lab/lock} is held (a file
 * lock through {@link FileChannel#tryLock()}, which the kernel releases when the holder dies)
 * only while a lab sweeps and picks its id, and while {@code /etc/netns} itself is created or
 * removed. Both live under {@code /run}, a tmpfs, like {@code /run/netns}: after
 * a reboot neither the namespaces nor the records survive.
 */
final class LabState implements AutoCloseable {
    static final Path DIR = Path.of("/run/dualsock-lab");
    static final Path LOCK = DIR.resolve("lock");
    /** The record of a lab from before labs had ids (one lab per machine), swept like a dead lab's. */
    static final Path LEGACY = DIR.resolve("state.json");
    /** Present while {@code /etc/netns} exists because a lab made it: the last lab to leave removes both. */
    static final Path MADE_ETC_NETNS = DIR.resolve("made-etc-netns");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A FileLock belongs to the whole JVM: threads take this monitor before the file lock. */
    private static final Object MACHINE = new Object();
    private static final AtomicInteger LABS = new AtomicInteger();

    private final LabNames names;
    private final Path file;
    private final long ownerPid;
    private final String ownerStart;
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final Set<String> etcEntries = new LinkedHashSet<>();
    private final List<ProcRecord> processes = new ArrayList<>();
    private boolean kept;
    private boolean closed;

    record ProcRecord(long pid, String start, String what) {}

    private LabState(LabNames names, Path file, long ownerPid, String ownerStart) {
        this.names = names;
        this.file = file;
        this.ownerPid = ownerPid;
        this.ownerStart = ownerStart;
    }

    /**
     * Sweeps what dead labs left, then gives a new lab its names and its (saved) record.
     *
     * @param wait how long to wait for another process that sweeps at the same time
     * @throws LabException when a dead lab's leftovers cannot be removed, or the lock stays taken
     */
    static LabState acquire(Duration wait, PrintStream log) {
        return withMachineLock(wait, log, () -> {
            sweep(log);
            long pid = ProcessHandle.current().pid();
            LabNames n;
            do {
                n = LabNames.of(pid, LABS.incrementAndGet());
            } while (Files.exists(recordFile(n)) || !Netns.listWithPrefix(n.prefix()).isEmpty());
            LabState s = new LabState(n, recordFile(n), pid, startTicks(pid));
            s.save();
            return s;
        });
    }

    /**
     * Removes what labs whose owner has died (or that were kept) left. A running lab, of this JVM
     * or another, is not touched.
     *
     * @return true when something was left
     */
    static boolean cleanupLeftovers(PrintStream log) {
        return withMachineLock(Duration.ofSeconds(60), log, () -> sweep(log));
    }

    /** The number the next lab of this JVM would try first (for tests). */
    static int nextLabNumber() {
        return LABS.get() + 1;
    }

    static Path recordFile(LabNames n) {
        return DIR.resolve(n.id() + ".json");
    }

    LabNames names() {
        return names;
    }

    Path file() {
        return file;
    }

    /**
     * Runs {@code body} holding {@code /run/dualsock-lab/lock} (and this JVM's monitor for it); re-entrant
     * for the thread that holds it.
     */
    static <T> T withMachineLock(Duration wait, PrintStream log, Supplier<T> body) {
        synchronized (MACHINE) {
            if (holder == Thread.currentThread()) return body.get();
            try {
                Files.createDirectories(DIR, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new LabException("cannot use " + DIR + ": " + e.getMessage(), e);
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

    /** Sweeps every record whose owner is dead; the caller holds the machine lock. */
    private static boolean sweep(PrintStream log) {
        List<Path> records;
        try (Stream<Path> s = Files.list(DIR)) {
            records = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new LabException("cannot list " + DIR + ": " + e.getMessage(), e);
        }
        boolean had = false;
        List<String> problems = new ArrayList<>();
        for (Path r : records) {
            JsonNode n;
            try {
                n = JSON.readTree(Files.readString(r, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException | RuntimeException e) {
                throw new LabException("cannot read " + r + " (" + e.getMessage() + "); remove the lab's namespaces by hand"
                        + " (ip netns list) and then that file", e);
            }
            boolean legacy = !n.hasNonNull("id");
            long pid = n.path("pid").asLong();
            // A legacy lab held the lock for its whole life: holding it, we know it has ended.
            if (!legacy && !n.path("kept").asBoolean(false) && ownerAlive(pid, n.path("startTicks").asText(""))) continue;
            had = true;
            if (log != null) log.println("removing what an earlier lab left (" + r.getFileName() + ", pid " + pid + ")");
            problems.addAll(fromRecord(r, n, legacy, log));
        }
        problems.addAll(removeEtcNetnsIfUnused());
        if (!problems.isEmpty()) {
            throw new LabException("could not remove everything an earlier lab left:\n  " + String.join("\n  ", problems));
        }
        return had;
    }

    /** Removes what one dead lab's record names; a refused name is reported and the record dropped. */
    private static List<String> fromRecord(Path r, JsonNode n, boolean legacy, PrintStream log) {
        LabNames names = legacy ? null : new LabNames(n.path("id").asText());
        LabState dead = new LabState(names, r, n.path("pid").asLong(), n.path("startTicks").asText(""));
        for (JsonNode p : n.path("processes")) {
            dead.processes.add(new ProcRecord(p.path("pid").asLong(), p.path("start").asText(""), p.path("what").asText("")));
        }
        // The record is only trusted for names that are its lab's own: a damaged or planted file
        // naming "../x" or another namespace must not make cleanup delete or kill outside the lab.
        List<String> refused = new ArrayList<>();
        for (JsonNode x : n.path("namespaces")) {
            if (dead.owns(x.asText())) dead.namespaces.add(x.asText());
            else refused.add("namespace " + x + " in " + r + " is not a name of that lab: left alone");
        }
        for (JsonNode x : n.path("etcNetns")) {
            if (dead.owns(x.asText())) dead.etcEntries.add(x.asText());
            else refused.add("/etc/netns entry " + x + " in " + r + " is not a name of that lab: left alone");
        }
        if (legacy && n.path("createdEtcNetns").asBoolean(false)) markMadeEtcNetns();
        List<String> problems = new ArrayList<>(dead.removeAll(log));
        if (!refused.isEmpty()) {
            if (log != null) refused.forEach(x -> log.println("cleanup: " + x));
            problems.addAll(refused);
            try {
                Files.deleteIfExists(r); // everything it named that was ours is gone
            } catch (IOException e) {
                problems.add(r + ": " + e);
            }
        }
        return problems;
    }

    private boolean owns(String ns) {
        return names == null ? isLabName(ns) : names.owns(ns);
    }

    /** Whether the process {@code pid} runs and started at {@code startTicks} ({@code /proc/<pid>/stat} field 22). */
    static boolean ownerAlive(long pid, String startTicks) {
        String now = startTicks(pid);
        return now != null && now.equals(startTicks);
    }

    /** Field 22 of {@code /proc/<pid>/stat}, the start time in clock ticks after boot; null when there is no such process. */
    static String startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // Field 2, the command name, is in parentheses and may hold spaces: count after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return f.length > 19 ? f[19] : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void recordNamespace(String ns) {
        requireOwn(ns);
        synchronized (this) {
            namespaces.add(ns);
        }
        save();
    }

    /** Records the host's {@code /etc/netns} entry and creates its directory ({@code /etc/netns} too, under the lock). */
    void recordEtcEntry(String ns) {
        requireOwn(ns);
        synchronized (this) {
            etcEntries.add(ns);
        }
        save();
        withMachineLock(Duration.ofSeconds(60), null, () -> {
            try {
                if (!Files.isDirectory(Netns.ETC_NETNS)) {
                    markMadeEtcNetns();
                    Files.createDirectories(Netns.ETC_NETNS);
                }
                Files.createDirectories(Netns.ETC_NETNS.resolve(ns));
            } catch (IOException e) {
                throw new LabException("cannot create " + Netns.ETC_NETNS.resolve(ns) + ": " + e.getMessage(), e);
            }
            return null;
        });
    }

    private void requireOwn(String ns) {
        Netns.check(ns);
        if (!owns(ns)) throw new IllegalArgumentException(ns + " is not a namespace of lab " + names.id());
    }

    private static void markMadeEtcNetns() {
        try {
            Files.writeString(MADE_ETC_NETNS, "");
        } catch (IOException e) {
            throw new LabException("cannot write " + MADE_ETC_NETNS + ": " + e.getMessage(), e);
        }
    }

    void recordProcess(ProcessHandle p, String what) {
        synchronized (this) {
            processes.add(new ProcRecord(p.pid(), p.info().startInstant().map(Instant::toString).orElse(""), what));
        }
        save();
    }

    synchronized List<String> namespaces() {
        return List.copyOf(namespaces);
    }

    /** Writes the record atomically (a crash leaves the old or the new file, never half of one). */
    synchronized void save() {
        if (closed) return;
        ObjectNode o = JSON.createObjectNode();
        o.put("id", names.id());
        o.put("pid", ownerPid);
        o.put("startTicks", ownerStart);
        o.put("kept", kept);
        ArrayNode ns = o.putArray("namespaces");
        namespaces.forEach(ns::add);
        ArrayNode etc = o.putArray("etcNetns");
        etcEntries.forEach(etc::add);
        ArrayNode pa = o.putArray("processes");
        for (ProcRecord p : processes) {
            pa.addObject().put("pid", p.pid).put("start", p.start).put("what", p.what);
        }
        try {
            Path tmp = DIR.resolve(names.id() + ".json.tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes every recorded item: kills recorded processes (only when pid and start time still
     * match), kills the processes inside recorded namespaces (they can only be the lab's),
     * deletes the namespaces and the {@code /etc/netns} entries, then the record. Keeps going
     * after a failure.
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
        if (problems.isEmpty()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                problems.add(file + ": " + e);
            }
        } else if (names != null) {
            save();
        }
        if (log != null && !problems.isEmpty()) problems.forEach(p -> log.println("cleanup: " + p));
        return problems;
    }

    /** Removes {@code /etc/netns} when a lab made it and no entry is left (under the machine lock). */
    private static List<String> removeEtcNetnsIfUnused() {
        return withMachineLock(Duration.ofSeconds(60), null, () -> {
            List<String> problems = new ArrayList<>();
            if (!Files.exists(MADE_ETC_NETNS)) return problems;
            try {
                Files.deleteIfExists(Netns.ETC_NETNS);
                Files.deleteIfExists(MADE_ETC_NETNS);
            } catch (DirectoryNotEmptyException e) {
                // another lab's entries, or someone else's: it stays until the last one leaves
            } catch (IOException e) {
                problems.add(Netns.ETC_NETNS + ": " + e);
            }
            return problems;
        });
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

    /** Removes everything (see {@link #removeAll}), and {@code /etc/netns} if it was the last user. */
    List<String> closeAndRemove(PrintStream log) {
        List<String> problems = new ArrayList<>(removeAll(log));
        try {
            problems.addAll(removeEtcNetnsIfUnused());
        } catch (LabException e) {
            // the lock is busy for long (an older lab holds it for its whole life): the next sweep removes /etc/netns
            if (log != null) log.println("cleanup: " + e.getMessage());
        }
        synchronized (this) {
            closed = true;
        }
        return problems;
    }

    /** Leaves the record, marked kept: the next lab start or {@code --cleanup} removes it (for {@code --keep}). */
    synchronized void keepAndRelease() {
        kept = true;
        save();
        closed = true;
    }

    /** {@link #closeAndRemove} without the report (what stays is swept once this JVM has ended). */
    @Override
    public void close() {
        closeAndRemove(null);
    }
}
