package io.dualsock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.dualsock.bench.RunData.M;
import io.dualsock.bench.RunData.P;
import io.dualsock.report.Template;
import io.dualsock.report.Template.Values;

/**
 * Writes docs/performance.md: the words from the template report/performance.md, the tables and
 * numbers from one run. {@code --results DIR} reads the run's raw results (benchmarks/run.sh:
 * the C baselines c-*.json, JMH jmh-*.json with -prof gc, the binding checks and the environment)
 * and keeps the numbers the report needs next to it ({@code --data FILE}, by default the report's
 * name with -data.json); {@code --data FILE} alone renders the report again from such a file.
 * Every number in the report comes from these files; the targets are checked here, not by hand.
 */
public final class Report {
    private static final Template TEMPLATE = Template.resource("/report/performance.md");

    private final RunData d;

    Report(RunData d) {
        this.d = d;
    }

    public static void main(String[] args) throws IOException {
        Path results = null;
        Path out = null;
        Path data = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--results" -> results = Paths.get(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                case "--data" -> data = Paths.get(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (out == null || (results == null && data == null)) {
            throw new IllegalArgumentException("usage: Report --results DIR --out FILE [--data FILE] | Report --data FILE --out FILE");
        }
        RunData d;
        if (results != null) {
            d = RunData.fromResults(results);
            d.write(data != null ? data : dataFileOf(out));
        } else {
            d = RunData.read(data);
        }
        Files.writeString(out, new Report(d).render());
    }

    /** docs/performance.md → docs/performance-data.json. */
    static Path dataFileOf(Path report) {
        String n = report.getFileName().toString();
        return report.resolveSibling((n.endsWith(".md") ? n.substring(0, n.length() - 3) : n) + "-data.json");
    }

    // ---- cells ----

    static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : v >= 1000 ? f("%,.0f", v) : v >= 100 ? f("%.0f", v) : f("%.1f", v);
    }

    /** "best (mean ± sd%)". */
    private static String ns(M m) {
        if (m == null) return "–";
        if (m.n() <= 1) return num(m.mean());
        return "**" + num(m.best()) + "** (" + num(m.mean()) + f(" ± %.0f%%", 100 * m.sd() / m.mean()) + ")";
    }

    static String bytes(M m) {
        if (m == null || Double.isNaN(m.bytesPerOp())) return "–";
        return m.bytesPerOp() < 0.5 ? "0" : f("%.0f", m.bytesPerOp());
    }

    /** Ratio of the best iterations (and of the means). */
    private static String ratio(M a, M b) {
        return a == null || b == null ? "–" : f("**%.3f** (%.3f)", a.best() / b.best(), a.mean() / b.mean());
    }

    /** Difference of the best iterations, in the given format. */
    private static String delta(String fmt, M a, M b) {
        return a == null || b == null ? "–" : f(fmt, a.best() - b.best());
    }

    private static String rate(M m) {
        return m == null ? "–" : f("%,.0f", 1e9 / m.best());
    }

    /** A Markdown table row. */
    private static String row(Object... cells) {
        StringBuilder sb = new StringBuilder("|");
        for (Object c : cells) sb.append(' ').append(c).append(" |");
        return sb.toString();
    }

    private static String lines(List<String> rows) {
        return String.join("\n", rows);
    }

    // ---- the tables' rows: labels and the benchmarks behind them ----

    /** A row of the separate runs: dualsock's JMH benchmark, the C baseline, the JDK's JMH peer (or none). */
    record Case(String label, String java, String cName, String jdk) {}

    private static final List<Case> CASES = List.of(
            new Case("FFI: `dsb_noop5` (sendto's argument shape, does nothing)", "FfiBench.noop5", "ffi.noop5", null),
            new Case("`sendTo` 64 B to `::ffff:127.0.0.1` on an AF_INET6 socket", "UdpBench.sendTo6Mapped", "udp.sendTo6Mapped", "UdpBench.jdkSendTo6Mapped"),
            new Case("`sendTo` 64 B to `127.0.0.1` on an AF_INET socket", "UdpBench.sendTo4", "udp.sendTo4", "UdpBench.jdkSendTo4"),
            new Case("`send` 64 B on a connected AF_INET6 socket (peer `::ffff:127.0.0.1`)", "UdpBench.send6Connected", "udp.send6Connected", "UdpBench.jdkWrite6Connected"),
            new Case("`recvFrom` 64 B on AF_INET6 `::` (source `::ffff:127.0.0.1`), full queue", "UdpBench.recvFrom6", "udp.recvFrom6", "UdpBench.jdkReceive6"),
            new Case("`recv` 64 B on a connected AF_INET6 socket, full queue", "UdpBench.recv6Connected", "udp.recv6Connected", "UdpBench.jdkRead6Connected"),
            new Case("TCP connect + accept + close, AF_INET6 client to `::ffff:127.0.0.1`, AF_INET listener", "TcpBench.connectAcceptClose6Mapped", "tcp.connectAcceptClose6Mapped", "TcpBench.jdkConnectAcceptClose"),
            new Case("`getaddrinfo(\"198.51.100.7\")` AF_INET6, AI_V4MAPPED\\|AI_NUMERICHOST → `List<AddrInfo>`", "ResolverBench.numericV4Mapped", "gai.numericV4Mapped", "ResolverBench.jdkNumeric"),
            new Case("`getaddrinfo(\"localhost\")` AF_UNSPEC, SOCK_STREAM (/etc/hosts); JDK without its cache", "ResolverBench.localhost", "gai.localhost", "ResolverNoCacheBench.jdkLocalhostNoCache"),
            new Case("`getaddrinfo(\"localhost\")`; JDK with its cache (default)", "ResolverBench.localhost", "gai.localhost", "ResolverBench.jdkLocalhostCached"),
            new Case("batch: `sendmmsg` of 64 × 64 B to `127.0.0.1` (AF_INET), per datagram; JDK: one `send` each", "BatchBench.sendBatch4", "batch.sendmmsg4", "UdpBench.jdkSendTo4"),
            new Case("batch: UDP_SEGMENT, one `sendmsg` of 64 × 64 B segments, per datagram; JDK: one `send` each", "BatchBench.sendSegmented4", "batch.sendSegmented4", "UdpBench.jdkSendTo4"),
            new Case("batch: `recvmmsg` of 64 × 64 B on AF_INET6 `::`, per datagram; JDK: one `receive` each", "BatchBench.recvBatch6", "batch.recvmmsg6", "UdpBench.jdkReceive6"));

    /** The paired cases, by PairedBench method, with their labels. */
    private static final Map<String, String> PAIRED = orderedPairs(
            "noop5", "FFI: `dsb_noop5`",
            "sendTo6Mapped", "`sendTo` 64 B to `::ffff:127.0.0.1`, AF_INET6",
            "sendTo4", "`sendTo` 64 B to `127.0.0.1`, AF_INET",
            "send6Connected", "`send` 64 B, connected AF_INET6",
            "recvFrom6", "`recvFrom` 64 B, AF_INET6 `::`, full queue",
            "recv6Connected", "`recv` 64 B, connected AF_INET6, full queue",
            "gaiNumericV4Mapped", "`getaddrinfo` numeric, AF_INET6, AI_V4MAPPED\\|AI_NUMERICHOST",
            "gaiLocalhost", "`getaddrinfo(\"localhost\")`, AF_UNSPEC",
            "sendBatch4", "batch `sendmmsg` 64 × 64 B (JDK: 64 `send`s), per datagram",
            "sendSegmented4", "UDP_SEGMENT 64 × 64 B (JDK: 64 `send`s), per datagram",
            "recvBatch6", "batch `recvmmsg` 64 × 64 B (JDK: 64 `receive`s), per datagram");

    /** The binding styles, by FfiBench method; the first is the production style, the base of Δ. */
    private static final Map<String, String> BINDINGS = orderedPairs(
            "FfiBench.noop5", "`@IgnoreError`, raw `long` addresses, 5 parameters, shim returns -errno (production)",
            "FfiBench.noop5SaveError", "`@SaveError` (jnr-ffi's default: errno saved after every call)",
            "FfiBench.noop5SaveErrorRead", "`@SaveError` and errno read back (`Runtime.getLastError()`)",
            "FfiBench.noop5Pointer", "`jnr.ffi.Pointer` parameters",
            "FfiBench.noop5DirectByteBuffer", "direct `ByteBuffer` parameters",
            "FfiBench.noop5HeapArray", "heap `byte[]` parameters (copied in and out)",
            "FfiBench.noop6", "6 primitive parameters (sendto's full shape, `libdsbench.so`)",
            "FfiBench.shimAbiVersion", "the shim's `ds_abi_version()` (no arguments) through the active binding"
                    + " (binding check below; on FFM a critical downcall)",
            "FfiBench.directBufferAddress", "not a call style: `Native.address(ByteBuffer)`, paid by every direct-buffer send/recv"
                    + " (jnr: reads `Buffer.address`, where jffi's JNI `getDirectBufferAddress` took ~20 ns;"
                    + " FFM: `MemorySegment.ofBuffer`)");

    private static final List<String> ENV_KEYS = List.of("date", "cpu", "cpus", "kernel", "libc", "java", "gcc", "commit", "mode",
            "loadBefore", "loadAfter", "seconds");

    private static Map<String, String> orderedPairs(String... keyValue) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValue.length; i += 2) m.put(keyValue[i], keyValue[i + 1]);
        return m;
    }

    // ---- the report ----

    String render() {
        Targets targets = new Targets(d);
        Values v = new Values().when("smoke", d.smoke());
        List<String> env = new ArrayList<>();
        for (String k : ENV_KEYS) if (d.env.containsKey(k)) env.add(row(k, d.env.get(k)));
        v.table("environment", lines(env));
        v.table("targets", lines(targets.rows.stream().map(t -> row((Object[]) t)).toList()));
        v.when("missed", !targets.misses.isEmpty()).list("missed", lines(targets.misses.stream().map(m -> "- " + m).toList()));
        v.when("paired", !d.paired.isEmpty()).table("paired", pairedRows());
        List<String> separate = new ArrayList<>();
        for (Case k : CASES) {
            M a = d.j.get(k.java());
            M cc = d.c.get(k.cName());
            M jdk = k.jdk() == null ? null : d.j.get(k.jdk());
            separate.add(row(k.label(), ns(a), bytes(a), ns(cc), ratio(a, cc), ns(jdk), bytes(jdk), ratio(a, jdk)));
        }
        v.table("separate", lines(separate));
        bindings(v);
        resolver(v);
        provider(v);
        batches(v);
        List<String> profiles = new ArrayList<>();
        d.profiles.forEach((name, text) -> profiles.add("`cbench " + name + "`:\n\n```\n"
                + String.join("\n", text.strip().lines().map(String::strip).toList()) + "\n```"));
        v.when("profiles", !profiles.isEmpty()).text("profiles", String.join("\n\n", profiles));
        return TEMPLATE.render(v);
    }

    private String pairedRows() {
        List<String> rows = new ArrayList<>();
        PAIRED.forEach((name, label) -> {
            P p = d.paired.get(name);
            if (p != null) {
                rows.add(row(label, num(p.c()), num(p.ds()), num(p.jdk()), num(p.raw()), "**" + f("%.3f", p.ds() / p.c()) + "**",
                        f("%.3f–%.3f", p.minRatio(), p.maxRatio()), Double.isNaN(p.jdk()) ? "–" : f("%.3f", p.ds() / p.jdk())));
            }
        });
        return lines(rows);
    }

    private void bindings(Values v) {
        M base = d.j.get("FfiBench.noop5");
        List<String> rows = new ArrayList<>();
        BINDINGS.forEach((bench, label) -> {
            M m = d.j.get(bench);
            if (m != null) rows.add(row(label, ns(m), delta("%+.1f", m, base), bytes(m)));
        });
        M cn = d.c.get("ffi.noop5");
        if (cn != null) rows.add(row("C: the same call through a function pointer", ns(cn), delta("%+.1f", cn, base), "0"));
        v.table("bindings", lines(rows));
        List<String> checks = new ArrayList<>();
        d.checks.forEach((call, result) -> checks.add(row(call, result)));
        v.when("checks", !checks.isEmpty()).table("checks", lines(checks));
    }

    private void resolver(Values v) {
        M jv = d.j.get("ResolverBench.numericV4Mapped");
        M jl = d.j.get("ResolverBench.localhost");
        M cs = d.c.get("gai.numericV4MappedShim");
        M cls = d.c.get("gai.localhostShim");
        v.when("resolver", d.c.containsKey("gai.numericV4Mapped") || jv != null);
        v.text("gaiNumeric", String.join(" | ", ns(d.c.get("gai.numericV4Mapped")), ns(cs), ns(jv), delta("%+.0f ns", jv, cs), bytes(jv)));
        v.text("gaiLocalhost", String.join(" | ", ns(d.c.get("gai.localhost")), ns(cls), ns(jl), delta("%+.0f ns", jl, cls), bytes(jl)));
    }

    /** dualsock's resolver provider against the JDK's built-in resolver, both through InetAddress, cache off. */
    private void provider(Values v) {
        M pl = d.j.get("ResolverProviderBench.providerLocalhost");
        M bl = d.j.get("ResolverProviderBench.builtinLocalhost");
        M pn = d.j.get("ResolverProviderBench.providerNumeric");
        M bn = d.j.get("ResolverProviderBench.builtinNumeric");
        v.when("provider", pl != null && bl != null);
        v.text("providerLocalhost", String.join(" | ", ns(pl), bytes(pl), ns(bl), bytes(bl), ratio(pl, bl)));
        v.text("providerNumeric", String.join(" | ", ns(pn), bytes(pn), ns(bn), bytes(bn), ratio(pn, bn)));
        v.text("providerRun", d.env.getOrDefault("providerRun", "the run above"));
    }

    private void batches(Values v) {
        String gsoCheck = d.checks.get("UDP_SEGMENT on this kernel");
        boolean gso = d.j.containsKey("BatchBench.sendSegmented4") || d.c.containsKey("batch.sendSegmented4");
        v.text("gso", gsoCheck != null ? gsoCheck : gso ? "measured" : "not measured");
        M s4 = d.j.get("UdpBench.sendTo4");
        M jd = d.j.get("UdpBench.jdkSendTo4");
        v.when("rates", s4 != null && jd != null).number("rateJdk", rate(jd)).number("rateSendTo", rate(s4))
                .number("rateBatch", rate(d.j.get("BatchBench.sendBatch4"))).number("rateSegmented", rate(d.j.get("BatchBench.sendSegmented4")));
    }
}
