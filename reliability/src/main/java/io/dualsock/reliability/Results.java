package io.dualsock.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The figures docs/reliability.md shows, kept in docs/reliability-data.json: the results of
 * bin/fuzz, bin/soak, the fault tests and the loader tests are build products that are not
 * committed, so the report keeps what it shows. Each part is replaced by the working tree's own
 * results where there are any ({@link #collect}); the rest stays as recorded. Paths are relative
 * to the repository's root.
 */
final class Results {
    static final Path FUZZ = Path.of("build/fuzz/results.tsv");
    static final Path SOAK = Path.of("build/soak/soak.properties");
    static final Path FAULT_REPORTS = Path.of("reliability/target/surefire-reports");
    static final Path FAULT_FIGURES = Path.of("reliability/target/reliability");
    /** PIT's report of each module mutated (profile pit in the root pom). */
    static final List<String> PIT_MODULES = List.of("java-api", "cli");
    static final Path PIT_REPORT = Path.of("target/pit-reports/mutations.xml");
    static final Path LOADER_REPORT = Path.of("native-bindings/target/surefire-reports/TEST-io.dualsock.bindings.LoaderHardeningTest.xml");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final ObjectNode root;

    private Results(ObjectNode root) {
        this.root = root;
    }

    static Results read(Path file) throws IOException {
        return new Results(Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode());
    }

    void write(Path file) throws IOException {
        root.put("about", "The figures of docs/reliability.md, which bin/reliability-report renders from this file after"
                + " replacing each part for which the working tree holds results of its own.");
        Files.writeString(file, JSON.writeValueAsString(root) + "\n");
    }

    /**
     * Takes every part for which the working tree has results (the fault tests named), with this
     * machine's environment when any; returns what it took, for the log.
     */
    List<String> collect(Path repo, Collection<String> faultTests) throws IOException {
        List<String> took = new ArrayList<>();
        if (Files.exists(repo.resolve(FUZZ))) {
            root.set("fuzz", fuzz(repo.resolve(FUZZ)));
            took.add("fuzzing: " + FUZZ);
        }
        if (faultTests.stream().anyMatch(t -> Files.exists(faultReport(repo, t)))) {
            ObjectNode faults = root.putObject("faults");
            for (String t : faultTests) faults.set(t, fault(repo, t));
            took.add("faults: " + FAULT_REPORTS + ", " + FAULT_FIGURES);
        }
        if (Files.exists(repo.resolve(SOAK))) {
            ObjectNode soak = JSON.createObjectNode();
            new TreeMap<>(load(repo.resolve(SOAK))).forEach((k, v) -> soak.put(k.toString(), v.toString()));
            root.set("soak", soak);
            took.add("soak: " + SOAK);
        }
        if (Files.exists(repo.resolve(LOADER_REPORT))) {
            root.put("loader", surefire(repo.resolve(LOADER_REPORT)));
            took.add("loader: " + LOADER_REPORT);
        }
        for (String m : PIT_MODULES) {
            Path xml = repo.resolve(m).resolve(PIT_REPORT);
            if (!Files.exists(xml)) continue;
            JsonNode old = root.path("mutation");
            ObjectNode mutation = old instanceof ObjectNode o ? o : root.putObject("mutation");
            mutation.put(m, pit(xml));
            took.add("mutation testing: " + m + "/" + PIT_REPORT);
        }
        if (!took.isEmpty()) {
            root.put("generated", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
            root.set("environment", environment());
        }
        return took;
    }

    /** "K of N mutants killed (S %) in C classes (package, ...)" from PIT's mutations.xml. */
    static String pit(Path xml) throws IOException {
        String x = Files.readString(xml);
        int total = 0;
        int detected = 0;
        java.util.Set<String> classes = new java.util.TreeSet<>();
        java.util.Set<String> packages = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("<mutation [^>]*detected='(true|false)'[^>]*>.*?<mutatedClass>([^<]+)</mutatedClass>",
                Pattern.DOTALL).matcher(x);
        while (m.find()) {
            total++;
            if (m.group(1).equals("true")) detected++;
            String c = m.group(2);
            classes.add(c);
            packages.add(c.substring(0, Math.max(0, c.lastIndexOf('.'))));
        }
        return String.format(java.util.Locale.ROOT, "%d of %d mutants killed (%.0f %%) in %d classes (%s), %s", detected, total,
                total == 0 ? 0.0 : 100.0 * detected / total, classes.size(), String.join(", ", packages),
                Files.getLastModifiedTime(xml).toString().substring(0, 10));
    }

    private static ObjectNode fuzz(Path tsv) throws IOException {
        ObjectNode fuzz = JSON.createObjectNode();
        fuzz.put("date", Files.getLastModifiedTime(tsv).toString());
        List<String> lines = Files.readAllLines(tsv);
        String[] header = lines.get(0).split("\t", -1);
        var rows = fuzz.putArray("results");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f.length < 6) continue;
            ObjectNode row = rows.addObject();
            for (int i = 0; i < header.length; i++) row.put(header[i], i < f.length ? f[i] : "");
        }
        return fuzz;
    }

    private static Path faultReport(Path repo, String test) {
        return repo.resolve(FAULT_REPORTS).resolve("TEST-io.dualsock.fault." + test + ".xml");
    }

    /** A fault test's result and its figures (target/reliability/TEST.properties, in the order written). */
    private static ObjectNode fault(Path repo, String test) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        Path report = faultReport(repo, test);
        n.put("result", Files.exists(report) ? surefire(report) : "_not run_");
        Path p = repo.resolve(FAULT_FIGURES).resolve(test + ".properties");
        if (Files.exists(p)) {
            ObjectNode figures = n.putObject("figures");
            for (String line : Files.readAllLines(p)) {
                int eq = line.indexOf('=');
                if (eq > 0) figures.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return n;
    }

    /** "passed (n of m tests)" etc. from a surefire XML report. */
    static String surefire(Path p) throws IOException {
        String head;
        try (InputStream in = Files.newInputStream(p)) {
            head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("<testsuite[^>]*").matcher(head);
        if (!m.find()) return "?";
        String ts = m.group();
        int tests = attr(ts, "tests"), fail = attr(ts, "failures") + attr(ts, "errors"), skip = attr(ts, "skipped");
        if (fail > 0) return "**FAILED** (" + fail + " of " + tests + ")";
        return "passed (" + (tests - skip) + " of " + tests + " tests" + (skip > 0 ? ", " + skip + " skipped)" : ")");
    }

    private static int attr(String s, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"(\\d+)\"").matcher(s);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Properties load(Path p) throws IOException {
        Properties s = new Properties();
        try (InputStream in = Files.newInputStream(p)) {
            s.load(in);
        }
        return s;
    }

    private static ObjectNode environment() {
        ObjectNode env = JSON.createObjectNode();
        env.put("kernel", sh("uname -srm"));
        env.put("C library", sh("getconf GNU_LIBC_VERSION"));
        env.put("CPU", sh("sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores available");
        env.put("memory", sh("sed -n 's/^MemTotal:[[:space:]]*//p' /proc/meminfo"));
        env.put("Java (report)", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("clang (libFuzzer)", sh("(clang-14 --version || clang --version) 2>/dev/null | head -1"));
        env.put("Jazzer", "com.code-intelligence:jazzer-junit " + jazzerVersion());
        env.put("gcc (ASan ctest)", sh("gcc --version | head -1"));
        env.put("nsswitch hosts", sh("sed -n 's/^hosts:[[:space:]]*//p' /etc/nsswitch.conf"));
        return env;
    }

    /** The Jazzer on the class path (bin/reliability-report runs with the test class path), as its jar names it. */
    private static String jazzerVersion() {
        Matcher m = Pattern.compile("jazzer-junit-([0-9][^/:]*)\\.jar").matcher(System.getProperty("java.class.path"));
        return m.find() ? m.group(1) : "?";
    }

    private static String sh(String cmd) {
        try {
            Process p = new ProcessBuilder("sh", "-c", cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    // ---- reading ----

    JsonNode part(String name) {
        return root.path(name);
    }

    String text(String name) {
        return root.path(name).asText("?");
    }
}
