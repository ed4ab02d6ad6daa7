package io.dualsock.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The numbers of one benchmark run that docs/performance.md shows: read from the raw results
 * that benchmarks/run.sh leaves (c-*.json, jmh-*.json, perf-*.txt, binding-check.json, env.json),
 * and kept next to the report as a small JSON file (docs/performance-data.json), so that the
 * report can be rendered again without the raw results, which are not committed.
 */
final class RunData {
    /**
     * One benchmark: mean and spread over its measured iterations, its best (fastest) iteration,
     * and allocation per op (JMH only; NaN otherwise).
     */
    record M(double mean, double sd, double best, double bytesPerOp, int n) {}

    /**
     * A paired benchmark: ns/op of each side over all measured iterations (sum of its slices' time
     * over the operations), NaN for a side not measured; and the spread of dualsock ÷ C over iterations.
     */
    record P(double c, double ds, double jdk, double raw, double minRatio, double maxRatio, int n) {}

    final Map<String, String> env = new LinkedHashMap<>();
    final Map<String, P> paired = new LinkedHashMap<>();
    /** C baselines by cbench name. */
    final Map<String, M> c = new LinkedHashMap<>();
    /** JMH benchmarks by Class.method. */
    final Map<String, M> j = new LinkedHashMap<>();
    /** BindingCheck's findings, in its order. */
    final Map<String, String> checks = new LinkedHashMap<>();
    /** perf profiles of the C loops by cbench name. */
    final Map<String, String> profiles = new TreeMap<>();

    boolean smoke() {
        return "smoke".equals(env.get("mode"));
    }

    // ---- raw results ----

    static RunData fromResults(Path dir) throws IOException {
        RunData d = new RunData();
        ObjectMapper om = new ObjectMapper();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "perf-*.txt")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                d.profiles.put(n.substring(5, n.length() - 4), Files.readString(p));
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                JsonNode root = om.readTree(p.toFile());
                if (name.startsWith("c-")) {
                    for (JsonNode r : root.path("results")) d.c.put(r.path("name").asText(), cResult(r));
                } else if (name.startsWith("jmh-")) {
                    for (JsonNode r : root) d.jmhResult(r);
                } else if (name.equals("env.json")) {
                    root.fields().forEachRemaining(e -> d.env.put(e.getKey(), e.getValue().asText().trim()));
                } else if (name.equals("binding-check.json")) {
                    root.fields().forEachRemaining(e -> d.checks.put(e.getKey(), e.getValue().asText()));
                }
            }
        }
        return d;
    }

    private static M cResult(JsonNode r) {
        double[] it = raw(r.path("iterations"));
        double best = Double.MAX_VALUE;
        for (double v : it) best = Math.min(best, v);
        return new M(r.path("mean").asDouble(), r.path("stddev").asDouble(), best, Double.NaN, it.length);
    }

    private void jmhResult(JsonNode r) {
        String bench = r.path("benchmark").asText();
        String shortName = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
        if (shortName.startsWith("PairedBench.")) {
            paired.put(shortName.substring("PairedBench.".length()), paired(r.path("secondaryMetrics")));
            return;
        }
        JsonNode pm = r.path("primaryMetric");
        double[] raw = forks(pm);
        double mean = pm.path("score").asDouble();
        double bpo = Double.NaN;
        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("secondaryMetrics").fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().endsWith("gc.alloc.rate.norm")) bpo = e.getValue().path("score").asDouble();
        }
        double best = java.util.Arrays.stream(raw).min().orElse(mean);
        j.put(shortName, new M(mean, sd(raw, mean), best, bpo, raw.length));
    }

    /** A JMH metric's raw data, all forks' iterations in order. */
    private static double[] forks(JsonNode metric) {
        List<Double> v = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) for (JsonNode x : fork) v.add(x.asDouble());
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static P paired(JsonNode sm) {
        double[] ops = forks(sm.path("ops"));
        double[] cn = forks(sm.path("cNanos"));
        double[] dn = forks(sm.path("dualsockNanos"));
        double[] jn = forks(sm.path("jdkNanos"));
        double[] rn = forks(sm.path("rawShimNanos"));
        double sumOps = 0, sc = 0, sd = 0, sj = 0, sr = 0, lo = Double.MAX_VALUE, hi = 0;
        for (int i = 0; i < ops.length; i++) {
            sumOps += ops[i];
            sc += cn[i];
            sd += dn[i];
            if (i < jn.length) sj += jn[i];
            if (i < rn.length) sr += rn[i];
            if (cn[i] > 0) {
                lo = Math.min(lo, dn[i] / cn[i]);
                hi = Math.max(hi, dn[i] / cn[i]);
            }
        }
        return new P(sc / sumOps, sd / sumOps, sj > 0 ? sj / sumOps : Double.NaN, sr > 0 ? sr / sumOps : Double.NaN,
                lo, hi, ops.length);
    }

    private static double[] raw(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
        return d;
    }

    private static double sd(double[] v, double mean) {
        if (v.length < 2) return 0;
        double s = 0;
        for (double x : v) s += (x - mean) * (x - mean);
        return Math.sqrt(s / (v.length - 1));
    }

    // ---- the data file: the same numbers, unrounded; null where a number is NaN ----

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("about", "The numbers of docs/performance.md, written by benchmarks/run.sh from one run's raw results;"
                + " Report --data renders the report from them again.");
        root.set("env", JSON.valueToTree(env));
        write(root.putObject("paired"), paired, (o, p) -> numbers(o, "c", p.c(), "ds", p.ds(), "jdk", p.jdk(), "raw", p.raw(),
                "minRatio", p.minRatio(), "maxRatio", p.maxRatio(), "n", p.n()));
        write(root.putObject("c"), c, RunData::numbers);
        write(root.putObject("jmh"), j, RunData::numbers);
        root.set("checks", JSON.valueToTree(checks));
        root.set("profiles", JSON.valueToTree(profiles));
        Files.writeString(file, JSON.writeValueAsString(root) + "\n");
    }

    static RunData read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        RunData d = new RunData();
        strings(root.path("env"), d.env);
        read(root.path("paired"), d.paired, o -> new P(num(o, "c"), num(o, "ds"), num(o, "jdk"), num(o, "raw"),
                num(o, "minRatio"), num(o, "maxRatio"), o.path("n").asInt()));
        read(root.path("c"), d.c, RunData::m);
        read(root.path("jmh"), d.j, RunData::m);
        strings(root.path("checks"), d.checks);
        strings(root.path("profiles"), d.profiles);
        return d;
    }

    private static <T> void write(ObjectNode o, Map<String, T> values, BiConsumer<ObjectNode, T> each) {
        values.forEach((k, v) -> each.accept(o.putObject(k), v));
    }

    private static <T> void read(JsonNode o, Map<String, T> into, Function<JsonNode, T> each) {
        o.fields().forEachRemaining(e -> into.put(e.getKey(), each.apply(e.getValue())));
    }

    private static void numbers(ObjectNode o, M m) {
        numbers(o, "mean", m.mean(), "sd", m.sd(), "best", m.best(), "bytesPerOp", m.bytesPerOp(), "n", m.n());
    }

    private static M m(JsonNode o) {
        return new M(num(o, "mean"), num(o, "sd"), num(o, "best"), num(o, "bytesPerOp"), o.path("n").asInt());
    }

    /** Pairs of name and number; NaN is written as null. */
    private static void numbers(ObjectNode o, Object... nameValue) {
        for (int i = 0; i < nameValue.length; i += 2) {
            String k = (String) nameValue[i];
            if (nameValue[i + 1] instanceof Integer n) o.put(k, n);
            else if (Double.isNaN((Double) nameValue[i + 1])) o.putNull(k);
            else o.put(k, (Double) nameValue[i + 1]);
        }
    }

    private static double num(JsonNode o, String k) {
        JsonNode v = o.path(k);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    private static void strings(JsonNode o, Map<String, String> into) {
        o.fields().forEachRemaining(e -> into.put(e.getKey(), e.getValue().asText()));
    }
}
