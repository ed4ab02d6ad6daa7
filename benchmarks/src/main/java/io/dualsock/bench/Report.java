package io.dualsock.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes docs/performance.md from one run's raw results (benchmarks/run.sh): the C baselines
 * (c-*.json), JMH (jmh-*.json, with -prof gc), the binding checks and the environment. Every
 * number in the report comes from these files; the targets are checked here, not by hand.
 */
public final class Report {
    private Report() {}

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

    private final Map<String, P> paired = new LinkedHashMap<>();
    private final Map<String, M> c = new LinkedHashMap<>();
    private final Map<String, M> j = new LinkedHashMap<>();
    private JsonNode env;
    private final Map<String, String> profiles = new java.util.TreeMap<>();
    private JsonNode checks;
    private final List<String> misses = new ArrayList<>();
    private final List<String[]> targets = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        Path results = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Paths.get(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (results == null || out == null) throw new IllegalArgumentException("usage: Report --results DIR --out FILE");
        Report r = new Report();
        r.load(results);
        Files.writeString(out, r.render());
    }

    void load(Path dir) throws IOException {
        ObjectMapper om = new ObjectMapper();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "perf-*.txt")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                profiles.put(n.substring(5, n.length() - 4), Files.readString(p));
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                JsonNode root = om.readTree(p.toFile());
                if (name.startsWith("c-")) {
                    for (JsonNode r : root.path("results")) {
                        double[] it = doubles(r.path("iterations"));
                        double best = Double.MAX_VALUE;
                        for (double v : it) best = Math.min(best, v);
                        c.put(r.path("name").asText(), new M(r.path("mean").asDouble(), r.path("stddev").asDouble(), best, Double.NaN, it.length));
                    }
                } else if (name.startsWith("jmh-")) {
                    for (JsonNode r : root) {
                        String bench = r.path("benchmark").asText();
                        String shortName = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
                        if (shortName.startsWith("PairedBench.")) {
                            paired.put(shortName.substring("PairedBench.".length()), paired(r.path("secondaryMetrics")));
                            continue;
                        }
                        JsonNode pm = r.path("primaryMetric");
                        List<Double> raw = new ArrayList<>();
                        for (JsonNode fork : pm.path("rawData")) for (JsonNode v : fork) raw.add(v.asDouble());
                        double mean = pm.path("score").asDouble();
                        double sd = sd(raw, mean);
                        double bpo = Double.NaN;
                        var fields = r.path("secondaryMetrics").fields();
                        while (fields.hasNext()) {
                            var e = fields.next();
                            if (e.getKey().endsWith("gc.alloc.rate.norm")) bpo = e.getValue().path("score").asDouble();
                        }
                        double best = raw.stream().mapToDouble(Double::doubleValue).min().orElse(mean);
                        j.put(shortName, new M(mean, sd, best, bpo, raw.size()));
                    }
                } else if (name.equals("env.json")) {
                    env = root;
                } else if (name.equals("binding-check.json")) {
                    checks = root;
                }
            }
        }
    }

    private static double[] raw(JsonNode metric) {
        List<Double> v = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) for (JsonNode x : fork) v.add(x.asDouble());
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static P paired(JsonNode sm) {
        double[] ops = raw(sm.path("ops"));
        double[] cn = raw(sm.path("cNanos"));
        double[] dn = raw(sm.path("dualsockNanos"));
        double[] jn = raw(sm.path("jdkNanos"));
        double[] rn = raw(sm.path("rawShimNanos"));
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

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
        return d;
    }

    private static double sd(List<Double> v, double mean) {
        if (v.size() < 2) return 0;
        double s = 0;
        for (double x : v) s += (x - mean) * (x - mean);
        return Math.sqrt(s / (v.size() - 1));
    }

    // ---- rendering ----

    private final StringBuilder sb = new StringBuilder();

    private void line(String s) {
        sb.append(s).append('\n');
    }

    private static String num(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** "best (mean ± sd%)". */
    private static String ns(M m) {
        if (m == null) return "–";
        if (m.n() <= 1) return num(m.mean());
        return "**" + num(m.best()) + "** (" + num(m.mean()) + String.format(Locale.ROOT, " ± %.0f%%", 100 * m.sd() / m.mean()) + ")";
    }

    private static String bytes(M m) {
        if (m == null || Double.isNaN(m.bytesPerOp())) return "–";
        double b = m.bytesPerOp();
        return b < 0.5 ? "0" : String.format(Locale.ROOT, "%.0f", b);
    }

    /** Ratio of the best iterations (and of the means). */
    private static String ratio(M a, M b) {
        if (a == null || b == null) return "–";
        return String.format(Locale.ROOT, "**%.3f** (%.3f)", a.best() / b.best(), a.mean() / b.mean());
    }

    record Case(String label, String java, String cName, String jdk, String unit) {}

    private static final List<Case> CASES = List.of(
            new Case("FFI: `dsb_noop5` (sendto's argument shape, does nothing)", "FfiBench.noop5", "ffi.noop5", null, "op"),
            new Case("`sendTo` 64 B to `::ffff:127.0.0.1` on an AF_INET6 socket", "UdpBench.sendTo6Mapped", "udp.sendTo6Mapped", "UdpBench.jdkSendTo6Mapped", "op"),
            new Case("`sendTo` 64 B to `127.0.0.1` on an AF_INET socket", "UdpBench.sendTo4", "udp.sendTo4", "UdpBench.jdkSendTo4", "op"),
            new Case("`send` 64 B on a connected AF_INET6 socket (peer `::ffff:127.0.0.1`)", "UdpBench.send6Connected", "udp.send6Connected", "UdpBench.jdkWrite6Connected", "op"),
            new Case("`recvFrom` 64 B on AF_INET6 `::` (source `::ffff:127.0.0.1`), full queue", "UdpBench.recvFrom6", "udp.recvFrom6", "UdpBench.jdkReceive6", "op"),
            new Case("`recv` 64 B on a connected AF_INET6 socket, full queue", "UdpBench.recv6Connected", "udp.recv6Connected", "UdpBench.jdkRead6Connected", "op"),
            new Case("TCP connect + accept + close, AF_INET6 client to `::ffff:127.0.0.1`, AF_INET listener", "TcpBench.connectAcceptClose6Mapped", "tcp.connectAcceptClose6Mapped", "TcpBench.jdkConnectAcceptClose", "op"),
            new Case("`getaddrinfo(\"198.51.100.7\")` AF_INET6, AI_V4MAPPED\\|AI_NUMERICHOST → `List<AddrInfo>`", "ResolverBench.numericV4Mapped", "gai.numericV4Mapped", "ResolverBench.jdkNumeric", "op"),
            new Case("`getaddrinfo(\"localhost\")` AF_UNSPEC, SOCK_STREAM (/etc/hosts); JDK without its cache", "ResolverBench.localhost", "gai.localhost", "ResolverNoCacheBench.jdkLocalhostNoCache", "op"),
            new Case("`getaddrinfo(\"localhost\")`; JDK with its cache (default)", "ResolverBench.localhost", "gai.localhost", "ResolverBench.jdkLocalhostCached", "op"),
            new Case("batch: `sendmmsg` of 64 × 64 B to `127.0.0.1` (AF_INET), per datagram; JDK: one `send` each", "BatchBench.sendBatch4", "batch.sendmmsg4", "UdpBench.jdkSendTo4", "datagram"),
            new Case("batch: UDP_SEGMENT, one `sendmsg` of 64 × 64 B segments, per datagram; JDK: one `send` each", "BatchBench.sendSegmented4", "batch.sendSegmented4", "UdpBench.jdkSendTo4", "datagram"),
            new Case("batch: `recvmmsg` of 64 × 64 B on AF_INET6 `::`, per datagram; JDK: one `receive` each", "BatchBench.recvBatch6", "batch.recvmmsg6", "UdpBench.jdkReceive6", "datagram"));

    String render() {
        line("# dualsock performance");
        line("");
        line("Generated by `benchmarks/run.sh` from one run; do not edit by hand (run it again instead).");
        line("C baselines (`c-shim/bench/cbench.c`) and JMH benchmarks (`benchmarks/`, `-prof gc`) ran in the same");
        line("invocation, group by group, each C loop right before its Java peers.");
        line("");
        if (env != null && "smoke".equals(env.path("mode").asText())) {
            line("**Smoke run** (`--smoke`: no warmup, one 100 ms iteration): it shows that everything runs, and its");
            line("numbers measure nothing. Verdicts below are computed anyway and mean nothing either.");
            line("");
        }
        line("## Environment");
        line("");
        line("| | |");
        line("|---|---|");
        for (String k : List.of("date", "cpu", "cpus", "kernel", "libc", "java", "gcc", "commit", "mode", "loadBefore", "loadAfter", "seconds")) {
            if (env != null && env.has(k)) line("| " + k + " | " + env.path(k).asText().trim() + " |");
        }
        line("");
        line("This machine may be shared with other work during a run (see the load average), which slows any");
        line("stretch of time it overlaps, by up to several times for the system-call benchmarks. The targets are");
        line("therefore judged on the paired measurement, where C, dualsock and the JDK alternate in short slices.");
        line("In the separate runs, numbers are the **best iteration** (bold), then the mean ± one standard deviation.");
        line("");
        checkTargets();
        line("## Targets");
        line("");
        line("| Target | Measured | Verdict |");
        line("|---|---|---|");
        for (String[] t : targets) line("| " + t[0] + " | " + t[1] + " | " + t[2] + " |");
        line("");
        if (!misses.isEmpty()) {
            line("### Missed, and why");
            line("");
            for (String m : misses) line("- " + m);
            line("");
        }
        pairedSection();
        line("## Separate runs: JMH with `-prof gc`, and the C programs");
        line("");
        line("Each benchmark on its own (JMH fork or cbench run), one after the other; the allocation column comes");
        line("from here. Ratios across these rows compare runs made at different moments of a shared machine and");
        line("drift with its load; the paired table above is the comparison.");
        line("");
        line("ns per operation (per datagram for the batch rows): **best iteration** (mean ± sd); allocation per");
        line("operation from `-prof gc` (the C programs allocate nothing per operation); ratios dualsock ÷ C and");
        line("dualsock ÷ JDK, lower is faster: **best ÷ best** (mean ÷ mean).");
        line("");
        line("| Case | dualsock ns | B/op | C ns | ÷ C | JDK ns | JDK B/op | ÷ JDK |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Case k : CASES) {
            M a = j.get(k.java());
            M cc = c.get(k.cName());
            M d = k.jdk() == null ? null : j.get(k.jdk());
            line("| " + k.label() + " | " + ns(a) + " | " + bytes(a) + " | " + ns(cc) + " | " + ratio(a, cc) + " | "
                    + ns(d) + " | " + bytes(d) + " | " + ratio(a, d) + " |");
        }
        line("");
        bindingSection();
        resolverSection();
        batchSection();
        profileSection();
        methodSection();
        return sb.toString();
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    /** A paired case: its label, and whether it has a JDK slice and a raw-shim slice. */
    record PairedCase(String name, String label) {}

    private static final List<PairedCase> PAIRED = List.of(
            new PairedCase("noop5", "FFI: `dsb_noop5`"),
            new PairedCase("sendTo6Mapped", "`sendTo` 64 B to `::ffff:127.0.0.1`, AF_INET6"),
            new PairedCase("sendTo4", "`sendTo` 64 B to `127.0.0.1`, AF_INET"),
            new PairedCase("send6Connected", "`send` 64 B, connected AF_INET6"),
            new PairedCase("recvFrom6", "`recvFrom` 64 B, AF_INET6 `::`, full queue"),
            new PairedCase("recv6Connected", "`recv` 64 B, connected AF_INET6, full queue"),
            new PairedCase("gaiNumericV4Mapped", "`getaddrinfo` numeric, AF_INET6, AI_V4MAPPED\\|AI_NUMERICHOST"),
            new PairedCase("gaiLocalhost", "`getaddrinfo(\"localhost\")`, AF_UNSPEC"),
            new PairedCase("sendBatch4", "batch `sendmmsg` 64 × 64 B (JDK: 64 `send`s), per datagram"),
            new PairedCase("sendSegmented4", "UDP_SEGMENT 64 × 64 B (JDK: 64 `send`s), per datagram"),
            new PairedCase("recvBatch6", "batch `recvmmsg` 64 × 64 B (JDK: 64 `receive`s), per datagram"));

    private static String n(double v) {
        return Double.isNaN(v) ? "–" : num(v);
    }

    private void pairedSection() {
        if (paired.isEmpty()) return;
        line("## Paired measurement (the basis of the targets)");
        line("");
        line("`PairedBench`: each invocation runs one slice of operations in C (the cbench loop, in `libdsbench.so`,");
        line("one FFI call per slice), one through dualsock, one through the JDK and, for two rows, one calling the shim");
        line("directly without `NativeSocket` around it, in rotating order on the same sockets and queues. Load that");
        line("comes and goes hits every side alike, so these ratios hold where separate runs drift apart. ns/op =");
        line("the sum of a side's slices over all measured iterations ÷ operations; the spread is dualsock ÷ C per");
        line("iteration.");
        line("");
        line("| Case | C ns | dualsock ns | JDK ns | shim direct ns | ÷ C | spread ÷ C | ÷ JDK |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (PairedCase k : PAIRED) {
            P p = paired.get(k.name());
            if (p == null) continue;
            line("| " + k.label() + " | " + n(p.c()) + " | " + n(p.ds()) + " | " + n(p.jdk()) + " | " + n(p.raw()) + " | **"
                    + f("%.3f", p.ds() / p.c()) + "** | " + f("%.3f–%.3f", p.minRatio(), p.maxRatio()) + " | "
                    + (Double.isNaN(p.jdk()) ? "–" : f("%.3f", p.ds() / p.jdk())) + " |");
        }
        line("");
    }

    private void target(String what, String measured, boolean met, String whyMissed) {
        targets.add(new String[] {what, measured, met ? "met" : "**missed**"});
        if (!met && whyMissed != null) misses.add(what + ": " + whyMissed);
    }

    private void missing(String what, String bench) {
        targets.add(new String[] {what, "not measured (" + bench + " absent from this run)", "–"});
    }

    private static final Map<String, String> SINGLE_OF = Map.of(
            "sendTo6Mapped", "UdpBench.sendTo6Mapped", "sendTo4", "UdpBench.sendTo4", "send6Connected", "UdpBench.send6Connected",
            "recvFrom6", "UdpBench.recvFrom6", "recv6Connected", "UdpBench.recv6Connected");

    private void checkTargets() {
        P noop = paired.get("noop5");
        if (noop != null) {
            double d = noop.ds() - noop.c();
            target("FFI cost of a shim call within 10 ns of C", f("%+.1f ns (%.1f vs %.1f)", d, noop.ds(), noop.c()), d <= 10,
                    "the remainder is jnr-ffi's invoker and the JNI transition; see the binding-style table");
        } else missing("FFI cost within 10 ns of C", "PairedBench.noop5");
        for (String name : List.of("sendTo6Mapped", "sendTo4", "send6Connected", "recvFrom6", "recv6Connected")) {
            P p = paired.get(name);
            if (p == null) {
                missing("`" + name + "` within 2% of C", "PairedBench." + name);
                continue;
            }
            double r = p.ds() / p.c();
            String layer = Double.isNaN(p.raw())
                    ? " The same split as in the rows with a \"shim direct\" slice applies: most of it is the FFI crossing."
                    : f(" Calling the shim directly costs %.0f ns over C: the jnr-ffi/JNI crossing around a real system"
                    + " call (JNI thread-state transitions and their fence, the jnr stub), far more than the %s ns of the"
                    + " no-op, because the kernel entry and exit leave the caller's caches and predictors cold; NativeSocket's"
                    + " own layer (its close guard: an atomic increment before and decrement after every call, the buffer"
                    + " position update, argument checks) accounts for the other %.0f ns in this run (see the spread"
                    + " column for how much load moved it). Closing the gap needs a cheaper crossing than jnr-ffi offers"
                    + " on Java 17 (e.g. the FFM API's critical downcalls on Java 22+).",
                    p.raw() - p.c(), paired.containsKey("noop5") ? f("%.0f", paired.get("noop5").ds() - paired.get("noop5").c()) : "few",
                    p.ds() - p.raw());
            target("`" + name + "` within 2% of C", f("%.3f × C (%+.0f ns; iterations %.3f–%.3f)", r, p.ds() - p.c(), p.minRatio(), p.maxRatio()),
                    r <= 1.02, f("%.0f ns over C's %.0f ns per call.", p.ds() - p.c(), p.c()) + layer);
            if (!Double.isNaN(p.jdk())) {
                target("`" + name + "` at least as fast as DatagramChannel", f("%.3f × JDK", p.ds() / p.jdk()), p.ds() <= p.jdk(),
                        f("%.0f ns slower than the JDK's channel per call", p.ds() - p.jdk()));
            }
            M a = j.get(SINGLE_OF.get(name));
            if (a != null) {
                target("`" + name + "` allocates nothing", bytes(a) + " B/op", !Double.isNaN(a.bytesPerOp()) && a.bytesPerOp() < 0.5,
                        "allocation per call on the hot path");
            }
        }
        P num = paired.get("gaiNumericV4Mapped");
        M numM = j.get("ResolverBench.numericV4Mapped");
        if (num != null) {
            double r = num.ds() / num.c();
            String why = f("%.0f ns over C's getaddrinfo+freeaddrinfo; see the resolver decomposition", num.ds() - num.c());
            target("numeric getaddrinfo decoded into AddrInfos ≤ 2× C", f("%.2f × C", r), r <= 2.0, why);
            target("numeric getaddrinfo ≤ 1.5× C (stretch)", f("%.2f × C", r), r <= 1.5, why);
        } else missing("numeric getaddrinfo ≤ 2× C", "PairedBench.gaiNumericV4Mapped");
        if (numM != null) {
            target("numeric getaddrinfo under 200 B/op", bytes(numM) + " B/op", numM.bytesPerOp() < 200,
                    "the result objects themselves (list, AddrInfo, Inet6SockAddr, its 16-byte array)");
        }
        P lh = paired.get("gaiLocalhost");
        if (lh != null) {
            double r = lh.ds() / lh.c();
            target("named lookup (localhost) within 5% of C", f("%.3f × C (iterations %.3f–%.3f)", r, lh.minRatio(), lh.maxRatio()), r <= 1.05,
                    f("%.0f ns over C", lh.ds() - lh.c()));
        } else missing("named lookup within 5% of C", "PairedBench.gaiLocalhost");
        P single = paired.get("sendTo4");
        for (String b : List.of("sendBatch4", "sendSegmented4")) {
            P a = paired.get(b);
            if (a == null) {
                missing(b, "PairedBench." + b);
                continue;
            }
            if (single != null) {
                target("`" + b + "`: fewer ns per datagram than single `sendTo`", f("%.0f vs %.0f ns", a.ds(), single.ds()),
                        a.ds() < single.ds(), "per-datagram kernel work dominates; see the profiles");
            }
            double x = a.jdk() / a.ds();
            target("`" + b + "`: ≥ 1.25× the JDK's datagrams/s", f("%.2f×", x), x >= 1.25,
                    "sendmmsg saves the system call per datagram but still runs the UDP/IP send path and the loopback"
                    + " receive path once per datagram (see the profiles); only UDP_SEGMENT builds one big packet");
        }
        P rb = paired.get("recvBatch6");
        P rs = paired.get("recvFrom6");
        if (rb != null && rs != null) {
            target("`recvBatch6`: fewer ns per datagram than single `recvFrom`", f("%.0f vs %.0f ns", rb.ds(), rs.ds()),
                    rb.ds() < rs.ds(), "per-datagram dequeue and copy dominate");
            target("`recvBatch6`: ≥ 1.25× the JDK's datagrams/s", f("%.2f×", rb.jdk() / rb.ds()), rb.jdk() / rb.ds() >= 1.25,
                    "per-datagram dequeue and copy dominate");
        }
    }

    private void bindingSection() {
        line("## Binding style (the FFI floor, measured)");
        line("");
        line("The same no-op C function bound in different styles; the production binding (`io.dualsock.bindings.Shim`)");
        line("is the first row. Δ is the extra cost over it.");
        line("");
        line("| Binding | ns/op | Δ ns | B/op |");
        line("|---|---:|---:|---:|");
        M base = j.get("FfiBench.noop5");
        String[][] rows = {
                {"FfiBench.noop5", "`@IgnoreError`, raw `long` addresses, 5 parameters, shim returns -errno (production)"},
                {"FfiBench.noop5SaveError", "`@SaveError` (jnr-ffi's default: errno saved after every call)"},
                {"FfiBench.noop5SaveErrorRead", "`@SaveError` and errno read back (`Runtime.getLastError()`)"},
                {"FfiBench.noop5Pointer", "`jnr.ffi.Pointer` parameters"},
                {"FfiBench.noop5DirectByteBuffer", "direct `ByteBuffer` parameters"},
                {"FfiBench.noop5HeapArray", "heap `byte[]` parameters (copied in and out)"},
                {"FfiBench.noop6", "6 primitive parameters (sendto's full shape, `libdsbench.so`)"},
                {"FfiBench.directBufferAddress", "not a call style: `Native.address(ByteBuffer)`, paid by every direct-buffer send/recv"
                        + " (reads `Buffer.address`; jffi's JNI `getDirectBufferAddress` it replaced took ~20 ns)"}};
        for (String[] r : rows) {
            M m = j.get(r[0]);
            if (m == null) continue;
            line("| " + r[1] + " | " + ns(m) + " | " + (base == null ? "–" : String.format(Locale.ROOT, "%+.1f", m.best() - base.best()))
                    + " | " + bytes(m) + " |");
        }
        M cn = c.get("ffi.noop5");
        if (cn != null) line("| C: the same call through a function pointer | " + ns(cn) + " | " + (base == null ? "–" : String.format(Locale.ROOT, "%+.1f", cn.best() - base.best())) + " | 0 |");
        line("");
        if (checks != null) {
            line("Argument checks (`BindingCheck`: 200 000 calls each, interpreted and compiled, each value compared in C):");
            line("");
            line("| Call | Result |");
            line("|---|---|");
            var it = checks.fields();
            while (it.hasNext()) {
                var e = it.next();
                line("| " + e.getKey() + " | " + e.getValue().asText() + " |");
            }
            line("");
        }
    }

    private void resolverSection() {
        M cg = c.get("gai.numericV4Mapped");
        M cs = c.get("gai.numericV4MappedShim");
        M jv = j.get("ResolverBench.numericV4Mapped");
        M cl = c.get("gai.localhost");
        M cls = c.get("gai.localhostShim");
        M jl = j.get("ResolverBench.localhost");
        if (cg == null && jv == null) return;
        line("## Resolver decomposition");
        line("");
        line("Where the time of one `Resolver.getaddrinfo` goes: libc's own call, the shim's flattening (the same query");
        line("through `ds_getaddrinfo` from C: getaddrinfo + copy into the flat buffer + freeaddrinfo), and the rest");
        line("(one FFI crossing, argument encoding and decoding into `AddrInfo` objects) in Java.");
        line("");
        line("| Query | C getaddrinfo+freeaddrinfo | C ds_getaddrinfo | dualsock (Java) | Java − shim | B/op |");
        line("|---|---:|---:|---:|---:|---:|");
        line("| numeric, AI_V4MAPPED | " + ns(cg) + " | " + ns(cs) + " | " + ns(jv) + " | " + diff(jv, cs) + " | " + bytes(jv) + " |");
        line("| localhost | " + ns(cl) + " | " + ns(cls) + " | " + ns(jl) + " | " + diff(jl, cls) + " | " + bytes(jl) + " |");
        line("");
    }

    private static String diff(M a, M b) {
        return a == null || b == null ? "–" : String.format(Locale.ROOT, "%+.0f ns", a.best() - b.best());
    }

    private void batchSection() {
        line("## Batches and UDP segmentation offload");
        line("");
        boolean gso = j.containsKey("BatchBench.sendSegmented4") || c.containsKey("batch.sendSegmented4");
        String gsoCheck = checks != null && checks.has("UDP_SEGMENT on this kernel") ? checks.path("UDP_SEGMENT on this kernel").asText() : null;
        line("- UDP_SEGMENT (GSO): " + (gsoCheck != null ? gsoCheck : gso ? "measured" : "not measured") + ". It applies when many datagrams of one size go to "
                + "one destination (one `sendmsg` carries up to UDP_MAX_SEGMENTS segments: 64 on older kernels, 128 on 6.x ones); `DatagramBatch.sendSegmented` does that, "
                + "`DatagramBatch.send` (`sendmmsg`) takes a destination, length and flags per datagram.");
        M sb4 = j.get("BatchBench.sendBatch4");
        M sg = j.get("BatchBench.sendSegmented4");
        M s4 = j.get("UdpBench.sendTo4");
        M jd = j.get("UdpBench.jdkSendTo4");
        if (s4 != null && jd != null) {
            line(String.format(Locale.ROOT, "- datagrams/s, one thread, 64 B to 127.0.0.1: JDK `DatagramChannel.send` %s, dualsock `sendTo` %s, `sendmmsg` batch %s, UDP_SEGMENT %s.",
                    rate(jd), rate(s4), rate(sb4), rate(sg)));
        }
        line("");
    }

    private void profileSection() {
        if (profiles.isEmpty()) return;
        line("## Profiles of the C loops");
        line("");
        line("`perf record` of the C baselines (2 s each), top shared objects and symbols by samples: where one");
        line("datagram's time goes. System-call entry and exit (`entry_SYSCALL_64`, `do_syscall_64`, `syscall_exit_*`)");
        line("are what a batch saves per datagram; the UDP/IP send path, routing and the loopback receive path");
        line("(`__ip_*`, `udp_*`, `fib_*`, `loopback_xmit`, `net_rx_action`, `__netif_receive_skb*`) run once per datagram");
        line("whichever call carries it, and only UDP_SEGMENT builds one big packet instead. The receive profile");
        line("also holds the `sendmmsg` fill that precedes each measured run of receives.");
        line("");
        for (var e : profiles.entrySet()) {
            line("`cbench " + e.getKey() + "`:");
            line("");
            line("```");
            for (String l : e.getValue().strip().split("\n")) line(l.strip());
            line("```");
            line("");
        }
    }

    private static String rate(M m) {
        return m == null ? "–" : String.format(Locale.ROOT, "%,.0f", 1e9 / m.best());
    }

    private void methodSection() {
        line("## Method");
        line("");
        line("- Senders send to a sink on 127.0.0.1 that nobody reads: once its queue is full the kernel drops at the");
        line("  receiver, so every sender (C, dualsock, JDK) measures its own path in the same steady state.");
        line("- Receivers are non-blocking AF_INET6 sockets on `::` whose queue is filled (by an AF_INET socket sending to");
        line("  127.0.0.1 with `sendmmsg`) before each measured run of N receives (`@OperationsPerInvocation(N)`, fill in");
        line("  `@Setup(Level.Invocation)`; the same in C), so no receive ever waits and a queue that ran dry is an error.");
        line("- dualsock's hot path: direct buffers, destinations pre-encoded (`EncodedSockAddr`), sources into a");
        line("  caller-owned `SockAddrHolder`; the JDK: `DatagramChannel` with a direct buffer and a reused");
        line("  `InetSocketAddress`, connected `write`/`read`.");
        line("- TCP: the accepted socket is closed first so that TIME_WAIT stays on the server side, not on an ephemeral port.");
        line("- Resolver: only numeric hosts and `localhost` (answered by /etc/hosts), never a query off the machine.");
        line("- JMH: 1 fork, 3 × 1 s warmup, 8 × 1 s measurement, average time; C: the same iteration scheme.");
    }
}
