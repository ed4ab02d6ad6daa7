package io.dualsock.cli.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One installed JDK that probes run on: its home, its {@code bin/java}, and the version its
 * {@code release} file states (the probe reports the running VM's own version as well).
 *
 * @param home the JDK home directory
 * @param version {@code JAVA_VERSION} from {@code release}, e.g. {@code 25.0.3}
 * @param implementor {@code IMPLEMENTOR_VERSION} or {@code IMPLEMENTOR}, may be empty
 */
public record Jdk(Path home, String version, String implementor) {

    /** Where this machine's Temurin 25 lives; {@code DS_JAVA25} overrides it. */
    public static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    /** The feature release, 17 for {@code 17.0.15}. */
    public int feature() {
        String v = version;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) end++;
        if (end == 0) return 0;
        int f = Integer.parseInt(v.substring(0, end));
        // Pre-9 versions are written 1.8.0_x.
        if (f == 1 && v.startsWith("1.") && v.length() > 2) return Character.getNumericValue(v.charAt(2));
        return f;
    }

    /** A short label for tables, {@code 17.0.15}. */
    public String label() {
        return version;
    }

    /** The JDK running this code. */
    public static Jdk current() {
        return at(Path.of(System.getProperty("java.home")));
    }

    /**
     * The JDK at home, read from its {@code release} file.
     *
     * @throws IllegalArgumentException when home has no {@code bin/java}
     */
    public static Jdk at(Path home) {
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) throw new IllegalArgumentException("no executable " + java);
        Map<String, String> release = readRelease(home.resolve("release"));
        String version = release.getOrDefault("JAVA_VERSION", System.getProperty("java.version"));
        String impl = release.getOrDefault("IMPLEMENTOR_VERSION", release.getOrDefault("IMPLEMENTOR", ""));
        if (!Files.exists(home.resolve("release"))) {
            version = Path.of(System.getProperty("java.home")).equals(home) ? System.getProperty("java.version") : "unknown";
        }
        return new Jdk(home, version, impl);
    }

    /**
     * The JDKs a comparison runs on by default: the running one, then Temurin 25 (or
     * {@code $DS_JAVA25}) when it is installed and is not the running one.
     */
    public static List<Jdk> defaults() {
        List<Jdk> out = new ArrayList<>();
        Jdk cur = current();
        out.add(cur);
        String env = System.getenv("DS_JAVA25");
        Path other = env != null && !env.isBlank() ? Path.of(env) : TEMURIN_25;
        if (Files.isExecutable(other.resolve("bin").resolve("java"))) {
            try {
                Jdk j = at(other);
                if (!sameHome(j.home(), cur.home())) out.add(j);
            } catch (IllegalArgumentException ignored) {
                // not a JDK after all: the caller sees only the running one
            }
        }
        return out;
    }

    private static boolean sameHome(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.equals(b);
        }
    }

    private static Map<String, String> readRelease(Path file) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!Files.exists(file)) return m;
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq <= 0) continue;
                String v = line.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                m.put(line.substring(0, eq).trim(), v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
