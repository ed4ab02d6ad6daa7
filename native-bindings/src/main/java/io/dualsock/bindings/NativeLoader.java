package io.dualsock.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Finds and loads {@code libdualsock.so}, once.
 *
 * <p>Order, with no silent fallback between the two:
 * <ol>
 *   <li>the system property {@value #PATH_PROPERTY}: when set, that file and nothing else;</li>
 *   <li>the copy bundled in the jar for this OS/arch, under
 *       {@code META-INF/native/dualsock/<os>-<arch>/} (a folder that is no Java package, so the
 *       jar works on the module path), extracted into a fresh private
 *       (0700) directory, checked against the SHA-256 recorded at build time, loaded, and
 *       deleted again at once (a loaded library needs no file). Directories tried in order:
 *       {@value #TMPDIR_PROPERTY}, {@code java.io.tmpdir}, {@code $XDG_RUNTIME_DIR},
 *       {@code ~/.cache}; a {@code noexec} mount fails to map and the next is tried.</li>
 * </ol>
 * Every loaded candidate must report {@link Shim#ds_abi_version()} equal to {@link #ABI_VERSION}.
 * When nothing loads, one {@link UnsatisfiedLinkError} lists every candidate and why it failed,
 * names the JVM flag that fixes what it recognises ({@link LoadFailures}), and carries every
 * cause as a suppressed exception. Before any directory is touched, jffi itself must work: when
 * it does not (native access or {@code sun.misc.Unsafe} denied, its own stub on a noexec mount),
 * no directory is created or tried. The outcome, library or failure, is kept: every later call
 * gets the same answer ({@link #loaded()}).
 */
public final class NativeLoader {
    /**
     * Called with the library's path in its fresh private directory just before the copy is
     * written; a no-op. LoaderHardeningTest's child JVM observes the directory and races a planted
     * symlink into it through this (the security manager that did it before is gone in Java 24).
     */
    static volatile java.util.function.Consumer<Path> beforeWrite = file -> { };

    public static final String PATH_PROPERTY = "dualsock.library.path";
    public static final String TMPDIR_PROPERTY = "dualsock.tmpdir";
    /** ABI version this Java code was written against; see DS_ABI_VERSION in dualsock.h. */
    public static final int ABI_VERSION = 3;
    /** Where the jar keeps the shim: {@code <root><platform>/libdualsock.so} (and its .sha256). */
    public static final String RESOURCE_ROOT = "META-INF/native/dualsock/";
    /** The platforms the build can bundle (linux-aarch64 when a cross compiler was there). */
    static final List<String> BUILD_PLATFORMS = List.of("linux-x86_64", "linux-aarch64");

    /** What was loaded and from where. */
    public record Loaded(Shim shim, String source, String path) {}

    private NativeLoader() {}

    public static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.replaceAll("[^a-z0-9]", "");
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch.replaceAll("[^a-z0-9_]", "");
        };
        return o + "-" + a;
    }

    private static volatile Loaded loaded;
    private static UnsatisfiedLinkError failed;

    /** The shim, loaded on the first call; a failed load is rethrown, the same error, on every later call. */
    static Loaded loaded() {
        Loaded l = loaded;
        return l != null ? l : loadOnce();
    }

    private static synchronized Loaded loadOnce() {
        if (loaded != null) return loaded;
        if (failed != null) throw failed;
        try {
            return loaded = load();
        } catch (UnsatisfiedLinkError e) {
            throw failed = e;
        }
    }

    /** The platforms whose shim this jar carries, e.g. {@code [linux-x86_64, linux-aarch64]}. */
    public static List<String> bundledPlatforms() {
        List<String> out = new ArrayList<>();
        for (String p : BUILD_PLATFORMS) {
            if (NativeLoader.class.getResource("/" + RESOURCE_ROOT + p + "/libdualsock.so") != null) out.add(p);
        }
        return out;
    }

    /** Loads through the process's binding ({@link Native#binding()}). */
    static Loaded load() {
        return load(Native.activeBinding());
    }

    static Loaded load(Binding binding) {
        List<String> failures = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        String unsupported = LoadFailures.unsupportedPlatform(platform(), bundledPlatforms(), LoadFailures.processMaps());
        if (unsupported != null && System.getProperty(PATH_PROPERTY) == null) {
            throw new LibraryLoadException(unsupported);
        }
        // the FFM binding needs no jffi (only the jnr one does)
        Throwable jffi = binding.name().equals("jnr") ? LoadFailures.jffiProblem() : null;
        if (jffi != null) {
            failures.add("jffi (jnr-ffi's native layer) does not work in this JVM: " + LoadFailures.explain(jffi));
            causes.add(jffi);
            throw failure(failures, causes);
        }
        String override = System.getProperty(PATH_PROPERTY);
        if (override != null) {
            Path p = Paths.get(override).toAbsolutePath();
            try {
                return new Loaded(open(binding, p), "property " + PATH_PROPERTY, p.toString());
            } catch (RuntimeException | LinkageError e) {
                failures.add(p + " (from -D" + PATH_PROPERTY + "): " + LoadFailures.explain(e));
                causes.add(e);
                throw failure(failures, causes);
            }
        }
        String resource = "/" + RESOURCE_ROOT + platform() + "/libdualsock.so";
        byte[] bytes;
        String expectedHash;
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource);
             InputStream hin = NativeLoader.class.getResourceAsStream(resource + ".sha256")) {
            if (in == null) {
                failures.add("jar resource " + resource + ": not bundled (this jar carries " + bundledPlatforms()
                        + ", not " + platform() + "; build from source or set -D" + PATH_PROPERTY + ")");
                throw failure(failures, causes);
            }
            bytes = in.readAllBytes();
            expectedHash = hin == null ? null : new String(hin.readAllBytes(), "US-ASCII").trim();
        } catch (IOException e) {
            failures.add("jar resource " + resource + ": " + describe(e));
            causes.add(e);
            throw failure(failures, causes);
        }
        String hash = sha256(bytes);
        if (expectedHash == null || !expectedHash.equals(hash)) {
            failures.add("jar resource " + resource + ": SHA-256 " + hash
                    + " does not match the recorded " + expectedHash);
            throw failure(failures, causes);
        }
        for (Path dir : tempDirs()) {
            Path privateDir = null;
            Path file = null;
            try {
                if (!Files.isDirectory(dir)) {
                    if (!dir.endsWith(Paths.get(".cache", "dualsock"))) {
                        failures.add("bundled copy in " + dir + ": no such directory");
                        continue;
                    }
                    Files.createDirectories(dir); // only dualsock's own cache directory is made
                }
                privateDir = Files.createTempDirectory(dir, "dualsock-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                file = privateDir.resolve("libdualsock-" + hash.substring(0, 16) + ".so");
                beforeWrite.accept(file);
                // CREATE_NEW in a directory only we can write: a planted file or symlink fails.
                Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                if (!sha256(Files.readAllBytes(file)).equals(hash)) {
                    throw new IOException("extracted copy does not match SHA-256 " + hash);
                }
                Shim shim = open(binding, file);
                return new Loaded(shim, "bundled " + resource + " extracted to " + dir, file.toString());
            } catch (IOException | RuntimeException | LinkageError e) {
                String why = LoadFailures.explain(e);
                if (why.equals(describe(e)) && LoadFailures.isNoexec(e)) {
                    why += " (is " + dir + " mounted noexec? set -D" + TMPDIR_PROPERTY + "=DIR)";
                }
                failures.add("bundled copy in " + dir + ": " + why);
                causes.add(e);
            } finally {
                deleteQuietly(file);
                deleteQuietly(privateDir);
            }
        }
        throw failure(failures, causes);
    }

    private static Shim open(Binding binding, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no such file");
        }
        Shim shim = binding.open(file);
        int abi = shim.ds_abi_version();
        if (abi != ABI_VERSION) {
            throw new IllegalStateException("ABI version " + abi + ", this code needs " + ABI_VERSION);
        }
        return shim;
    }

    private static List<Path> tempDirs() {
        List<Path> dirs = new ArrayList<>();
        String own = System.getProperty(TMPDIR_PROPERTY);
        if (own != null) dirs.add(Paths.get(own));
        dirs.add(Paths.get(System.getProperty("java.io.tmpdir", "/tmp")));
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) dirs.add(Paths.get(xdg));
        String home = System.getProperty("user.home");
        if (home != null) dirs.add(Paths.get(home, ".cache", "dualsock"));
        return dirs;
    }

    private static UnsatisfiedLinkError failure(List<String> failures, List<Throwable> causes) {
        StringBuilder sb = new StringBuilder("dualsock: cannot load libdualsock.so for platform ")
                .append(platform()).append(" (os.name=").append(System.getProperty("os.name"))
                .append(", os.arch=").append(System.getProperty("os.arch")).append("); tried:");
        for (String f : failures) sb.append("\n  - ").append(f);
        LibraryLoadException e = new LibraryLoadException(sb.toString());
        if (!causes.isEmpty()) e.initCause(causes.get(0));
        for (Throwable c : causes.subList(Math.min(1, causes.size()), causes.size())) e.addSuppressed(c);
        return e;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.replace('\n', ' '));
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover 0700 directory in a temp dir is harmless; loading must not fail for it
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
