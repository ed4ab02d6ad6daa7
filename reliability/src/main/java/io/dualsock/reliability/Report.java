package io.dualsock.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.report.Notes;
import io.dualsock.report.Template;
import io.dualsock.report.Template.Values;

/**
 * Writes docs/reliability.md: the words from the template report/reliability.md (and
 * report/reliability-notes.md), the figures from docs/reliability-data.json after {@link Results}
 * has replaced each part for which the working tree holds results (build/fuzz/results.tsv from
 * bin/fuzz, build/soak/soak.properties from bin/soak, the fault and loader tests' surefire reports
 * and figures). Run by {@code bin/reliability-report}, from the repository root.
 */
public final class Report {
    static final Template TEMPLATE = Template.resource("/report/reliability.md");
    private static final Notes NOTES = Notes.resource("/report/reliability-notes.md");
    private static final Pattern FAULT_RESULT = Pattern.compile("text:(\\w+Test)\\.result");

    private final Results r;
    private final Path repo;

    /** The report of r, in the repository at repo (which holds the crash regressions). */
    Report(Results r, Path repo) {
        this.r = r;
        this.repo = repo;
    }

    /**
     * Arguments: {@code [--render] [REPORT [DATA]]}, by default docs/reliability.md and
     * docs/reliability-data.json; {@code --render} takes nothing from the working tree.
     */
    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        boolean render = a.remove("--render");
        Path out = Paths.get(a.size() > 0 ? a.get(0) : "docs/reliability.md");
        Path data = a.size() > 1 ? Paths.get(a.get(1)) : out.resolveSibling("reliability-data.json");
        Results r = Results.read(data);
        List<String> took = render ? List.of() : r.collect(Path.of(""), faultTests());
        if (took.isEmpty()) {
            System.out.println((render ? "" : "no results in the working tree: ") + out + " from " + data + " as recorded");
        } else {
            took.forEach(t -> System.out.println("from the working tree: " + t));
            r.write(data);
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, new Report(r, Path.of("")).render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    /** The fault tests, as the template's table names them. */
    static Set<String> faultTests() {
        Set<String> tests = new TreeSet<>();
        for (String p : TEMPLATE.placeholders()) {
            Matcher m = FAULT_RESULT.matcher(p);
            if (m.matches()) tests.add(m.group(1));
        }
        return tests;
    }

    String render() throws IOException {
        Values v = new Values().text("generated", r.text("generated"));
        List<String> env = new ArrayList<>();
        r.part("environment").fields().forEachRemaining(e -> env.add(envRow(e.getKey(), e.getValue().asText())));
        v.table("environment", String.join("\n", env));
        fuzzing(v);
        JsonNode faults = r.part("faults");
        for (String t : faultTests()) {
            JsonNode f = faults.path(t);
            v.text(t + ".result", f.path("result").asText("_not run_"));
            StringBuilder figures = new StringBuilder();
            f.path("figures").fields().forEachRemaining(e ->
                    figures.append(e.getKey()).append(": ").append(e.getValue().asText().replace("|", "\\|")).append("<br>"));
            v.text(t + ".figures", f.has("figures") ? figures.toString() : "_not run_");
        }
        soak(v);
        v.text("loader", r.part("loader").asText("_not run_"));
        StringBuilder mutation = new StringBuilder();
        r.part("mutation").fields().forEachRemaining(e -> mutation.append("`").append(e.getKey()).append("`: ")
                .append(e.getValue().asText()).append("<br>"));
        v.text("mutation", mutation.length() == 0 ? "_not run_" : mutation.toString());
        return TEMPLATE.render(v);
    }

    private void fuzzing(Values v) throws IOException {
        JsonNode fuzz = r.part("fuzz");
        List<String> rows = new ArrayList<>();
        long total = 0;
        for (JsonNode f : fuzz.path("results")) {
            long inputs = parseLong(f.path("inputs").asText());
            total += inputs;
            String detail = f.path("detail").asText("");
            rows.add("| " + f.path("engine").asText() + " | `" + f.path("target").asText() + "` | " + NOTES.text(f.path("target").asText())
                    + " | " + f.path("seconds").asText() + " | " + String.format(Locale.ROOT, "%,d", inputs) + " | "
                    + f.path("corpus").asText() + " | " + f.path("status").asText() + (detail.isEmpty() ? "" : ": " + detail) + " |");
        }
        v.when("fuzz", fuzz.isObject()).when("noFuzz", !fuzz.isObject()).table("fuzz", String.join("\n", rows))
                .number("fuzzInputs", String.format(Locale.ROOT, "%,d", total)).text("fuzzDate", fuzz.path("date").asText());
        List<String> regressions = new ArrayList<>();
        Path regress = Path.of("c-shim/fuzz/regress");
        try (Stream<Path> s = Files.walk(repo.resolve(regress))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.equals("README")) {
                    regressions.add("- `" + regress.resolve(repo.resolve(regress).relativize(p)) + "`" + (NOTES.has(name) ? ": " + NOTES.text(name) : ""));
                }
            }
        }
        v.list("regressions", regressions.isEmpty() ? "- none" : String.join("\n", regressions));
    }

    private void soak(Values v) {
        JsonNode s = r.part("soak");
        v.when("soak", s.isObject()).when("noSoak", !s.isObject());
        v.text("soakJava", s.path("java").asText("?")).number("soakMaxHeap", s.path("maxheap_mib").asText("?"))
                .number("soakCores", s.path("cores").asText("?")).text("soakAsan", s.path("asan_ctest").asText("not run"));
        List<String> phases = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        for (int i = 0; s.has("phase." + i + ".name"); i++) {
            String k = "phase." + i + ".";
            StringBuilder notes = new StringBuilder();
            Set<String> names = new TreeSet<>();
            s.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                if (n.startsWith(k + "note.")) notes.append(n.substring((k + "note.").length())).append(": ").append(s.path(n).asText()).append("; ");
            }
            phases.add(row(get(s, k + "name"), fmt(get(s, k + "calls")), get(s, k + "seconds"), fromTo(s, k, "rss_kib", true),
                    fromTo(s, k, "malloc_bytes", true), fromTo(s, k, "direct_bytes", true), fromTo(s, k, "fds", false),
                    "true".equals(get(s, k + "flat")) ? "yes" : "**no**", notes.toString().trim()));
            StringBuilder sample = new StringBuilder("- " + get(s, k + "name") + ": ");
            for (String t : s.path(k + "series").asText("").split(" ")) {
                String[] x = t.split(":");
                if (x.length == 4) sample.append(fmt(x[0])).append(": ").append(fmt(x[1])).append(", ").append(fmt(x[2])).append(", ").append(x[3]).append("; ");
            }
            samples.add(sample.toString());
        }
        v.table("soak", String.join("\n", phases)).list("soakSamples", String.join("\n", samples));
    }

    private static String get(JsonNode s, String key) {
        return s.path(key).asText(null);
    }

    private static String fromTo(JsonNode s, String phase, String what, boolean grouped) {
        String from = get(s, phase + "start." + what), to = get(s, phase + "end." + what);
        return (grouped ? fmt(from) : from) + " → " + (grouped ? fmt(to) : to);
    }

    private static String row(String... cells) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : cells) sb.append(' ').append(c).append(" |");
        return sb.toString();
    }

    /** An environment row: the value escaped, "?" when empty. */
    private static String envRow(String key, String value) {
        return row(key, value.isBlank() ? "?" : value.replace("|", "\\|"));
    }

    private static String fmt(String n) {
        try {
            return String.format(Locale.ROOT, "%,d", Long.parseLong(n.trim()));
        } catch (RuntimeException e) {
            return n == null ? "?" : n;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
