package io.dualsock.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dualsock.cli.compare.CompareReport.Difference;
import io.dualsock.cli.compare.ProbeOutput.CachePolicy;
import io.dualsock.cli.compare.ProbeOutput.JdkAddress;
import io.dualsock.cli.compare.ProbeOutput.JdkLookup;

/**
 * The rules of the analysis on hand-made answers (no native code, no child JVM): each rule
 * claims its explanation only when the data fits it, and says so when it does not.
 */
class DifferencesTest {
    static final CachePolicy POLICY = new CachePolicy(30, 10, null, "test", Map.of());

    static LibcLookup libc(String variant, String... keys) {
        List<LibcLookup.Entry> e = new ArrayList<>();
        for (String k : keys) {
            String[] f = k.split(" ");
            for (String t : List.of("SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW")) {
                e.add(new LibcLookup.Entry(f[0], t, f[1], 0, f[1].startsWith("::ffff:"), null));
            }
        }
        return new LibcLookup("h", null, variant, e, null, null, List.of());
    }

    static JdkAddress v4(String a) {
        return new JdkAddress("Inet4Address", a, a, "h/" + a, false, true);
    }

    static JdkAddress v6(String a) {
        return new JdkAddress("Inet6Address", a, a, "h/" + a, a.startsWith("::ffff:"), true);
    }

    static Differences.Run run(JdkSetting s, JdkAddress... a) {
        return new Differences.Run("17", s, new JdkLookup("h", List.of(a), null), POLICY);
    }

    static List<Difference> kinds(List<Difference> all, String kind) {
        return all.stream().filter(d -> d.kind().equals(kind)).toList();
    }

    final List<LibcLookup> dual = List.of(libc("AF_UNSPEC", "AF_INET6 2001:db8::10", "AF_INET 198.51.100.10"),
            libc("AF_UNSPEC AI_ADDRCONFIG", "AF_INET 198.51.100.10"), libc("AF_INET", "AF_INET 198.51.100.10"),
            libc("AF_INET6 AI_V4MAPPED", "AF_INET6 2001:db8::10"));

    @Test
    void ipv4FirstIsExplainedOnlyWhenTheJdkOrderIsLibcsPartitioned() {
        List<Difference> ok = Differences.forRun("h", false, dual,
                run(JdkSetting.DEFAULT, v4("198.51.100.10"), v6("2001:db8::10")), List.of("IPv4"), "off");
        Difference order = kinds(ok, "ORDER").get(0);
        assertTrue(order.explained());
        assertTrue(order.explanation().contains("IPv4 address before every IPv6"));

        // system order must equal libc's: a JDK that reorders under "system" is not explained away.
        List<Difference> bad = Differences.forRun("h", false, dual,
                run(JdkSetting.PREFER_IPV6_SYSTEM, v4("198.51.100.10"), v6("2001:db8::10")), List.of("IPv4"), "off");
        assertFalse(kinds(bad, "ORDER").get(0).explained());
        // IPv6 first under preferIPv6Addresses=true is libc's order here: no ORDER difference.
        assertTrue(kinds(Differences.forRun("h", false, dual,
                run(JdkSetting.PREFER_IPV6_TRUE, v6("2001:db8::10"), v4("198.51.100.10")), List.of("IPv4"), "off"), "ORDER")
                .isEmpty());
    }

    @Test
    void addrconfigAndSocktypeDuplicatesAndCachingAreFound() {
        List<Difference> d = Differences.forRun("h", false, dual,
                run(JdkSetting.PREFER_IPV6_TRUE, v6("2001:db8::10"), v4("198.51.100.10")), List.of("IPv4"), "off");
        Difference ac = kinds(d, "ADDRCONFIG").get(0);
        assertEquals("AF_UNSPEC AI_ADDRCONFIG", ac.libcVariant());
        assertTrue(ac.explained(), ac.toString());
        assertTrue(kinds(d, "DUPLICATES").get(0).explanation().contains("socket type"));
        assertTrue(kinds(d, "CACHING").get(0).explanation().contains("30 s"));
        // The same drop with IPv6 configured is not explained by AI_ADDRCONFIG.
        List<Difference> odd = Differences.forRun("h", false, dual,
                run(JdkSetting.PREFER_IPV6_TRUE, v6("2001:db8::10"), v4("198.51.100.10")), List.of("IPv4", "IPv6"), "off");
        assertFalse(kinds(odd, "ADDRCONFIG").get(0).explained());
    }

    @Test
    void ipv4StackLosesIpv6AndLiteralsEscapeTheFamilyFilter() {
        List<Difference> d = Differences.forRun("h", false, dual, run(JdkSetting.PREFER_IPV4_STACK, v4("198.51.100.10")),
                List.of("IPv4"), "off");
        assertTrue(kinds(d, "MISSING").get(0).explanation().contains("AF_INET only"));

        List<LibcLookup> one = List.of(libc("AF_UNSPEC", "AF_INET6 ::1"),
                new LibcLookup("::1", null, "AF_INET", List.of(), "EAI_ADDRFAMILY", "x", List.of()));
        JdkAddress literal = new JdkAddress("Inet6Address", "::1", "0:0:0:0:0:0:0:1", "/0:0:0:0:0:0:0:1", false, false);
        List<Difference> lit = Differences.forRun("::1", true, one,
                new Differences.Run("17", JdkSetting.PREFER_IPV4_STACK, new JdkLookup("::1", List.of(literal), null), POLICY),
                List.of(), "off");
        Difference e = kinds(lit, "ERROR").get(0);
        assertTrue(e.explained());
        assertTrue(e.explanation().contains("parses IP literals itself"));
        assertTrue(kinds(lit, "CACHING").isEmpty(), "literals are not cached");
    }

    @Test
    void mappedLiteralAndMappedFromTheNameServiceAreTold() {
        List<LibcLookup> m = List.of(libc("AF_UNSPEC", "AF_INET6 ::ffff:127.0.0.1"));
        JdkAddress lit = new JdkAddress("Inet4Address", "127.0.0.1", "127.0.0.1", "/127.0.0.1", false, false);
        List<Difference> d = Differences.forRun("::ffff:127.0.0.1", true, m,
                new Differences.Run("17", JdkSetting.DEFAULT, new JdkLookup("x", List.of(lit), null), POLICY), List.of(), "off");
        assertTrue(kinds(d, "MAPPED").get(0).explanation().contains("Inet4Address"));
        assertTrue(kinds(d, "MISSING").isEmpty(), "the mapped pair is one address, not two: " + d);

        List<Difference> kept = Differences.forRun("n", false, m, run(JdkSetting.DEFAULT, v6("::ffff:127.0.0.1")), List.of(),
                "off");
        assertTrue(kinds(kept, "MAPPED").get(0).explanation().contains("disagrees with itself"));
    }

    @Test
    void identicalFindingsOfDifferentRunsAreMerged() {
        List<Difference> raw = new ArrayList<>();
        raw.addAll(Differences.forRun("h", false, dual, run(JdkSetting.DEFAULT, v4("198.51.100.10"), v6("2001:db8::10")),
                List.of("IPv4"), "off"));
        raw.addAll(Differences.forRun("h", false, dual, run(JdkSetting.PREFER_IPV6_FALSE, v4("198.51.100.10"), v6("2001:db8::10")),
                List.of("IPv4"), "off"));
        List<Difference> merged = Differences.merge(raw);
        Difference dup = kinds(merged, "DUPLICATES").get(0);
        assertEquals(List.of("17 default", "17 preferIPv6Addresses=false"), dup.appliesTo());
    }
}
