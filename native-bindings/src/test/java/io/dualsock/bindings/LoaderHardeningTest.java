package io.dualsock.bindings;

import io.dualsock.testsupport.Prerequisite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader's hardening, each point proved in a fresh child JVM ({@link LoaderProbe}), since
 * a library loads once per JVM:
 * <ul>
 *   <li>a tampered bundled library, a tampered recorded hash or a missing hash: refused, with a
 *       message that says so, and nothing loaded;</li>
 *   <li>the copy goes into a fresh private directory (0700, ours) under a content-hash name, is
 *       loaded from there, and both are gone afterwards (the mapping reads "(deleted)");</li>
 *   <li>a symlink planted at the library's name is not followed: the victim is untouched and
 *       the loader goes on to its next directory;</li>
 *   <li>a noexec temp directory (a tmpfs mounted noexec inside a private mount namespace of the
 *       child, {@code unshare -m}, as root): reported as such, the next directory used; all
 *       noexec: one clear error naming each directory.</li>
 * </ul>
 * The noexec tests need root (mount): skipped with the reason outside CI, failed in CI.
 */
class LoaderHardeningTest {
    private static final String RESOURCE_DIR = NativeLoader.RESOURCE_ROOT + NativeLoader.platform();

    /** Output of one probe run: KEY -> values, in order. */
    record Probe(int exit, Map<String, List<String>> facts, String raw) {
        String one(String key) {
            List<String> v = facts.get(key);
            return v == null ? null : v.get(0);
        }
    }

    @Test
    void tamperedLibraryIsRefused(@TempDir Path tmp) throws Exception {
        Path classes = copyOfClasses(tmp);
        Path lib = classes.resolve(RESOURCE_DIR).resolve("libdualsock.so");
        byte[] b = Files.readAllBytes(lib);
        b[b.length / 2] ^= 0x01; // one bit anywhere in the file
        Files.write(lib, b);
        Probe p = probe(classpathWith(classes), List.of(), List.of(), tmp);
        assertRefused(p, "does not match the recorded " + Files.readString(classes.resolve(RESOURCE_DIR).resolve("libdualsock.so.sha256")).trim());
    }

    @Test
    void tamperedHashIsRefused(@TempDir Path tmp) throws Exception {
        Path classes = copyOfClasses(tmp);
        Files.writeString(classes.resolve(RESOURCE_DIR).resolve("libdualsock.so.sha256"), "0".repeat(64) + "\n");
        Probe p = probe(classpathWith(classes), List.of(), List.of(), tmp);
        assertRefused(p, "does not match the recorded " + "0".repeat(64));
    }

    @Test
    void missingHashIsRefused(@TempDir Path tmp) throws Exception {
        Path classes = copyOfClasses(tmp);
        Files.delete(classes.resolve(RESOURCE_DIR).resolve("libdualsock.so.sha256"));
        Probe p = probe(classpathWith(classes), List.of(), List.of(), tmp);
        assertRefused(p, "does not match the recorded null");
    }

    @Test
    void extractedIntoPrivateDirectoryUnderContentHashNameThenRemoved(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("t"));
        Probe p = probe(classpath(), List.of("-Ddualsock.tmpdir=" + dir), List.of("observe"), tmp);
        assertEquals("" + NativeLoader.ABI_VERSION, p.one("ABI"), p.raw());
        String hash16 = bundledHash().substring(0, 16);
        Path path = Paths.get(p.one("PATH"));
        assertEquals("libdualsock-" + hash16 + ".so", path.getFileName().toString(), "content-hash name");
        assertEquals(dir, path.getParent().getParent(), "a directory of its own inside the chosen temp dir");
        assertTrue(path.getParent().getFileName().toString().startsWith("dualsock-"), p.raw());
        assertEquals("false", p.one("EXISTS"), "file deleted once loaded");
        String maps = p.one("MAPS");
        assertNotNull(maps, "the shim is mapped from the extracted file\n" + p.raw());
        assertTrue(maps.startsWith(path.toString()) && maps.endsWith("(deleted)"), maps);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "private directory removed");
        }
        assertEquals("rwx------", p.one("DIRPERM"), "private directory mode, seen while the loader wrote\n" + p.raw());
        assertEquals(System.getProperty("user.name"), p.one("DIROWNER"));
        assertEquals("false", p.one("PREEXISTING"));
    }

    @Test
    void plantedSymlinkIsNotFollowed(@TempDir Path tmp) throws Exception {
        Path first = Files.createDirectory(tmp.resolve("first"));
        Path second = Files.createDirectory(tmp.resolve("second"));
        Path victim = tmp.resolve("victim.txt");
        Files.writeString(victim, "victim: must stay as it is\n");
        Probe p = probe(classpath(), List.of("-Ddualsock.tmpdir=" + first, "-Djava.io.tmpdir=" + second),
                List.of("observe", "plant=" + victim), tmp);
        assertNotNull(p.one("PLANTED"), p.raw());
        assertEquals("victim: must stay as it is\n", Files.readString(victim), "the planted link was followed");
        assertEquals("" + NativeLoader.ABI_VERSION, p.one("ABI"), p.raw());
        assertTrue(p.one("SOURCE").contains("extracted to " + second), "went on to the next directory: " + p.raw());
        assertEmpty(first);
        assertEmpty(second);
    }

    @Test
    void noexecDirectoryIsReportedAndTheNextOneUsed(@TempDir Path tmp) throws Exception {
        requireRootAndMountNamespace();
        Path noexec = Files.createDirectory(tmp.resolve("noexec"));
        Path second = Files.createDirectory(tmp.resolve("second"));
        Probe p = probe(classpath(), List.of("-Ddualsock.tmpdir=" + noexec, "-Djava.io.tmpdir=" + second),
                List.of(), tmp, noexecMount(noexec));
        assertEquals("" + NativeLoader.ABI_VERSION, p.one("ABI"), p.raw());
        assertTrue(p.one("SOURCE").contains("extracted to " + second), p.raw());
        assertEmpty(second);
    }

    @Test
    void allNoexecGivesOneClearError(@TempDir Path tmp) throws Exception {
        requireRootAndMountNamespace();
        Path noexec = Files.createDirectory(tmp.resolve("noexec"));
        Probe p = probe(classpath(), List.of("-Ddualsock.tmpdir=" + noexec, "-Djava.io.tmpdir=" + noexec,
                "-Duser.home=" + noexec), List.of(), tmp, noexecMount(noexec));
        String err = p.one("ERROR");
        assertNotNull(err, p.raw());
        assertTrue(err.contains("cannot load libdualsock.so for platform " + NativeLoader.platform()), err);
        long noexecHints = Arrays.stream(err.split("\\|")).filter(l -> l.contains("mounted noexec?")).count();
        // dualsock.tmpdir, java.io.tmpdir and ~/.cache/dualsock, all on the noexec mount
        assertEquals(3, noexecHints, err);
        assertTrue(err.contains("-Ddualsock.tmpdir=DIR"), err);
        assertNull(p.one("ABI"));
    }

    // ---- helpers ----

    private static void assertRefused(Probe p, String why) {
        assertNull(p.one("ABI"), "a tampered library was loaded:\n" + p.raw());
        String err = p.one("ERROR");
        assertNotNull(err, p.raw());
        assertTrue(err.contains("SHA-256") && err.contains(why), err);
        assertTrue(err.contains("jar resource /" + RESOURCE_DIR + "/libdualsock.so"), err);
    }

    private static void assertEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), dir + " left behind");
        }
    }

    static List<String> noexecMount(Path dir) {
        // mounted inside the child's own mount namespace: the host never sees it
        return List.of("unshare", "-m", "--propagation", "private", "--", "sh", "-c",
                "mount -t tmpfs -o noexec,nosuid,nodev,size=16m ds-noexec \"$0\" && exec \"$@\"", dir.toString());
    }

    static void requireRootAndMountNamespace() throws Exception {
        String why = null;
        if (!isRoot()) {
            why = "needs root to mount a noexec tmpfs in a private mount namespace";
        } else {
            Process pr = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
            String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pr.waitFor(30, TimeUnit.SECONDS) || pr.exitValue() != 0) why = "unshare -m failed: " + out.trim();
        }
        if (why != null) Prerequisite.missing(why);
    }

    private static boolean isRoot() {
        return jnr.posix.POSIXFactory.getNativePOSIX().geteuid() == 0;
    }

    private static String bundledHash() throws IOException {
        return Files.readString(classesDir().resolve(RESOURCE_DIR).resolve("libdualsock.so.sha256")).trim();
    }

    /** target/classes of native-bindings: where the bundled shim and its hash are. */
    private static Path classesDir() {
        try {
            return Paths.get(NativeLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> classpath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ArrayList<>(Arrays.asList(cp.split(File.pathSeparator)));
    }

    /** The test classpath with target/classes replaced by another copy. */
    private static List<String> classpathWith(Path classes) {
        List<String> cp = classpath();
        Path orig = classesDir();
        cp.replaceAll(e -> Paths.get(e).toAbsolutePath().equals(orig) ? classes.toString() : e);
        assertTrue(cp.contains(classes.toString()), "target/classes not on the classpath: " + cp);
        return cp;
    }

    private static Path copyOfClasses(Path tmp) throws IOException {
        Path src = classesDir();
        Path dst = tmp.resolve("classes");
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
        return dst;
    }

    static Probe probe(List<String> cp, List<String> jvmArgs, List<String> args, Path tmp) throws Exception {
        return probe(cp, jvmArgs, args, tmp, List.of());
    }

    static Probe probe(List<String> cp, List<String> jvmArgs, List<String> args, Path tmp, List<String> prefix)
            throws Exception {
        return probe(Paths.get(System.getProperty("java.home")), Runtime.version().feature(), cp, jvmArgs, args, tmp, prefix);
    }

    /** One probe run in the JVM at javaHome, of the given feature release. */
    static Probe probe(Path javaHome, int feature, List<String> cp, List<String> jvmArgs, List<String> args, Path tmp,
            List<String> prefix) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(javaHome.resolve("bin").resolve("java").toString());
        if (feature >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(LoaderProbe.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("XDG_RUNTIME_DIR");
        pb.environment().put("HOME", tmp.toString());
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(60, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            fail("probe did not finish:\n" + out);
        }
        Map<String, List<String>> facts = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.substring(0, sp).matches("[A-Z-]+")) {
                facts.computeIfAbsent(line.substring(0, sp), k -> new ArrayList<>()).add(line.substring(sp + 1));
            }
        }
        return new Probe(proc.exitValue(), facts, String.join(" ", cmd) + "\n" + out);
    }
}
