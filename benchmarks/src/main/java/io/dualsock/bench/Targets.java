package io.dualsock.bench;

import static io.dualsock.bench.Report.bytes;
import static io.dualsock.bench.Report.f;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dualsock.bench.RunData.M;
import io.dualsock.bench.RunData.P;
import io.dualsock.report.Notes;
import io.dualsock.report.Template.Values;

/**
 * The performance targets, judged on the paired measurement (allocation on the separate JMH
 * runs): each a row of what was measured and the verdict, and for a missed one the reason, from
 * report/performance-notes.md.
 */
final class Targets {
    private static final Notes WHY = Notes.resource("/report/performance-notes.md");

    /** The separate JMH benchmark that shows a paired case's allocation. */
    private static final Map<String, String> SINGLE_OF = Map.of(
            "sendTo6Mapped", "UdpBench.sendTo6Mapped", "sendTo4", "UdpBench.sendTo4", "send6Connected", "UdpBench.send6Connected",
            "recvFrom6", "UdpBench.recvFrom6", "recv6Connected", "UdpBench.recv6Connected");

    final List<String[]> rows = new ArrayList<>();
    final List<String> misses = new ArrayList<>();
    private final RunData d;

    Targets(RunData d) {
        this.d = d;
        ffi();
        for (String name : List.of("sendTo6Mapped", "sendTo4", "send6Connected", "recvFrom6", "recv6Connected")) hotPath(name);
        resolver();
        batches();
    }

    private void target(String what, String measured, boolean met, String whyMissed) {
        rows.add(new String[] {what, measured, met ? "met" : "**missed**"});
        if (!met && whyMissed != null) misses.add(what + ": " + whyMissed);
    }

    private void missing(String what, String bench) {
        rows.add(new String[] {what, WHY.render("notMeasured", new Values().text("bench", bench)), "–"});
    }

    private static String why(String note, Object... nameNumber) {
        Values v = new Values();
        for (int i = 0; i < nameNumber.length; i += 2) v.number((String) nameNumber[i], nameNumber[i + 1]);
        return WHY.render(note, v);
    }

    private void ffi() {
        P noop = d.paired.get("noop5");
        if (noop == null) {
            missing("FFI cost within 10 ns of C", "PairedBench.noop5");
            return;
        }
        double diff = noop.ds() - noop.c();
        target("FFI cost of a shim call within 10 ns of C", f("%+.1f ns (%.1f vs %.1f)", diff, noop.ds(), noop.c()), diff <= 10,
                WHY.text("ffi"));
    }

    private void hotPath(String name) {
        P p = d.paired.get(name);
        if (p == null) {
            missing("`" + name + "` within 2% of C", "PairedBench." + name);
            return;
        }
        double r = p.ds() / p.c();
        P noop = d.paired.get("noop5");
        String layer = Double.isNaN(p.raw()) ? WHY.text("layerSame")
                : why("layerSplit", "rawOverC", f("%.0f", p.raw() - p.c()), "noop", noop != null ? f("%.0f", noop.ds() - noop.c()) : "few",
                        "layer", f("%.0f", p.ds() - p.raw()));
        target("`" + name + "` within 2% of C", f("%.3f × C (%+.0f ns; iterations %.3f–%.3f)", r, p.ds() - p.c(), p.minRatio(), p.maxRatio()),
                r <= 1.02, WHY.render("hotPath", new Values().number("over", f("%.0f", p.ds() - p.c())).number("c", f("%.0f", p.c()))
                        .text("layer", layer)));
        if (!Double.isNaN(p.jdk())) {
            target("`" + name + "` at least as fast as DatagramChannel", f("%.3f × JDK", p.ds() / p.jdk()), p.ds() <= p.jdk(),
                    why("jdk", "slower", f("%.0f", p.ds() - p.jdk())));
        }
        M a = d.j.get(SINGLE_OF.get(name));
        if (a != null) {
            target("`" + name + "` allocates nothing", bytes(a) + " B/op", !Double.isNaN(a.bytesPerOp()) && a.bytesPerOp() < 0.5,
                    WHY.text("alloc"));
        }
    }

    private void resolver() {
        P num = d.paired.get("gaiNumericV4Mapped");
        if (num != null) {
            double r = num.ds() / num.c();
            String why = why("gai", "over", f("%.0f", num.ds() - num.c()));
            target("numeric getaddrinfo decoded into AddrInfos ≤ 2× C", f("%.2f × C", r), r <= 2.0, why);
            target("numeric getaddrinfo ≤ 1.5× C (stretch)", f("%.2f × C", r), r <= 1.5, why);
        } else {
            missing("numeric getaddrinfo ≤ 2× C", "PairedBench.gaiNumericV4Mapped");
        }
        M numM = d.j.get("ResolverBench.numericV4Mapped");
        if (numM != null) {
            target("numeric getaddrinfo under 200 B/op", bytes(numM) + " B/op", numM.bytesPerOp() < 200, WHY.text("gaiAlloc"));
        }
        P lh = d.paired.get("gaiLocalhost");
        if (lh != null) {
            double r = lh.ds() / lh.c();
            target("named lookup (localhost) within 5% of C", f("%.3f × C (iterations %.3f–%.3f)", r, lh.minRatio(), lh.maxRatio()),
                    r <= 1.05, why("named", "over", f("%.0f", lh.ds() - lh.c())));
        } else {
            missing("named lookup within 5% of C", "PairedBench.gaiLocalhost");
        }
    }

    private void batches() {
        P single = d.paired.get("sendTo4");
        for (String b : List.of("sendBatch4", "sendSegmented4")) {
            P a = d.paired.get(b);
            if (a == null) {
                missing(b, "PairedBench." + b);
                continue;
            }
            if (single != null) {
                target("`" + b + "`: fewer ns per datagram than single `sendTo`", f("%.0f vs %.0f ns", a.ds(), single.ds()),
                        a.ds() < single.ds(), WHY.text("batchVsSingle"));
            }
            double x = a.jdk() / a.ds();
            target("`" + b + "`: ≥ 1.25× the JDK's datagrams/s", f("%.2f×", x), x >= 1.25, WHY.text("batchVsJdk"));
        }
        P rb = d.paired.get("recvBatch6");
        P rs = d.paired.get("recvFrom6");
        if (rb != null && rs != null) {
            target("`recvBatch6`: fewer ns per datagram than single `recvFrom`", f("%.0f vs %.0f ns", rb.ds(), rs.ds()),
                    rb.ds() < rs.ds(), WHY.text("recvBatch"));
            target("`recvBatch6`: ≥ 1.25× the JDK's datagrams/s", f("%.2f×", rb.jdk() / rb.ds()), rb.jdk() / rb.ds() >= 1.25,
                    WHY.text("recvBatch"));
        }
    }
}
