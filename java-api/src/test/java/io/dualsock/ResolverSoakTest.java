package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;


/**
 * 100,000 getaddrinfo calls (numeric AF_INET6|AI_V4MAPPED|AI_NUMERICHOST and AF_UNSPEC, some
 * localhost, errors and canonical names) after a 10,000-call warm-up leave the descriptor
 * count unchanged and resident memory within a generous bound. The calls run in a child JVM
 * with a fixed, pre-touched heap ({@link ResolverSoak}), so heap growth cannot pass for native
 * growth.
 */
class ResolverSoakTest {
    static final long RSS_BOUND_KIB = 16 * 1024;

    @Test
    void noNativeGrowthAndNoDescriptorLeak(TestReporter reporter) throws Exception {
        Hints local = Hints.builder().stream().build();
        boolean localhost = LocalLookups.whyNotLocal("localhost", local) == null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
                "-XX:MaxDirectMemorySize=64m", "-cp", System.getProperty("java.class.path"),
                ResolverSoak.class.getName(), "10000", "100000", localhost ? "localhost" : "no-localhost");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "soak did not finish");
        assertEquals(0, p.exitValue(), out);
        Map<String, Long> v = new HashMap<>();
        for (String l : out.split("\n")) {
            int eq = l.indexOf('=');
            if (eq > 0 && l.substring(0, eq).matches("[a-z.]+")) v.put(l.substring(0, eq), Long.parseLong(l.substring(eq + 1).strip()));
        }
        String report = "soak: " + v.get("calls") + " calls" + (localhost ? " (1% localhost)" : " (no localhost: DNS risk)")
                + ", VmRSS " + v.get("rss.before.kib") + " -> " + v.get("rss.after.kib") + " KiB, fds "
                + v.get("fd.before") + " -> " + v.get("fd.after") + ", direct buffers " + v.get("direct.before") + " -> "
                + v.get("direct.after") + " bytes";
        reporter.publishEntry("soak", report);
        System.out.println(report);
        assertEquals(100000L, v.get("calls"), out);
        assertEquals(v.get("fd.before"), v.get("fd.after"), report);
        assertTrue(v.get("rss.after.kib") - v.get("rss.before.kib") < RSS_BOUND_KIB, report);
        assertEquals(v.get("direct.before"), v.get("direct.after"), report);
    }
}
