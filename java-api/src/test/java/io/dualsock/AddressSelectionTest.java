package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.dualsock.AddressSelection.Rule;
import io.dualsock.AddressSelection.Source;

/**
 * The sort with sources given: RFC 6724 §10.2's worked examples under the RFC 6724 policy,
 * glibc's own rfc3484 tests under the glibc policy, and cases seen from glibc 2.36 in a
 * namespace (the lab test checks hundreds more against the real getaddrinfo).
 */
class AddressSelectionTest {

    private static SockAddr a(String text) {
        return SockAddr.parse(text, 0);
    }

    /** A usable source address with its prefix length, neither deprecated nor a home address. */
    private static Source source(String text, int prefixLength) {
        return Source.of(a(text), prefixLength, false, false);
    }

    private static AddressSelection.Result sort(SelectionPolicy p, List<String> dst, List<Source> src) {
        return AddressSelection.sort(dst.stream().map(AddressSelectionTest::a).toList(), src, p);
    }

    private static List<String> addresses(AddressSelection.Result r) {
        return r.addresses().stream().map(SockAddr::address).toList();
    }

    private static List<String> sorted(SelectionPolicy p, List<String> dst, List<Source> src) {
        return addresses(sort(p, dst, src));
    }

    /** Sorts, and sorts again from the reversed list; both must give {@code want}. */
    private static AddressSelection.Result both(SelectionPolicy p, List<String> dst, List<String> src, List<String> want) {
        List<Source> s = src.stream().map(x -> Source.of(a(x))).toList();
        assertEquals(want, sorted(p, dst, s), "from " + dst);
        List<String> rd = new ArrayList<>(dst);
        List<Source> rs = new ArrayList<>(s);
        Collections.reverse(rd);
        Collections.reverse(rs);
        assertEquals(want, sorted(p, rd, rs), "from " + rd);
        return sort(p, dst, s);
    }

    // ---------------------------------------------------------------- RFC 6724 §10.2

    /** Each example sorted from both starting orders; where given, the rule and values of the first step. */
    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # destinations                 | sources                           | sorted                          | first rule        | its values
        2001:db8:1::1 198.51.100.121    | 2001:db8:1::2 169.254.13.78        | 2001:db8:1::1 198.51.100.121     | MATCHING_SCOPE    | scope 14/14 vs 14/2 (destination/source)
        2001:db8:1::1 198.51.100.121    | fe80::1 198.51.100.117             | 198.51.100.121 2001:db8:1::1     | -                 | -
        2001:db8:1::1 10.1.2.3          | 2001:db8:1::2 10.1.2.4             | 2001:db8:1::1 10.1.2.3           | HIGHER_PRECEDENCE | precedence 40 vs 35
        2002:c633:6401::1 2001:db8:1::1 | 2002:c633:6401::2 2001:db8:1::2    | 2001:db8:1::1 2002:c633:6401::1  | -                 | -
        2001:db8:1::1 fe80::1           | 2001:db8:1::2 fe80::2              | fe80::1 2001:db8:1::1            | SMALLER_SCOPE     | -
        2002:c633:6401::1 2001:db8:1::1 | 2002:c633:6401::2 2002:c633:6401::2 | 2002:c633:6401::1 2001:db8:1::1 | MATCHING_LABEL    | label 2/2 vs 1/2 (destination/source)
        """)
    void rfc6724Examples(String dst, String src, String want, Rule rule, String values) {
        AddressSelection.Result r = both(SelectionPolicy.rfc6724(), words(dst), words(src), words(want));
        if (rule != null) assertEquals(rule, r.steps().get(0).rule());
        if (values != null) assertEquals(values, r.steps().get(0).values());
    }

    private static List<String> words(String s) {
        return List.of(s.split(" +"));
    }

    @Test
    void rfc6724PreferHomeAddress() {
        List<String> dst = List.of("2001:db8:1::1", "fe80::1");
        List<Source> src = List.of(Source.of(a("2001:db8:3::1"), -1, false, true), Source.of(a("fe80::2")));
        assertEquals(List.of("2001:db8:1::1", "fe80::1"), sorted(SelectionPolicy.rfc6724(), dst, src));
        assertEquals(List.of("2001:db8:1::1", "fe80::1"),
                sorted(SelectionPolicy.rfc6724(), List.of("fe80::1", "2001:db8:1::1"), List.of(src.get(1), src.get(0))));
    }

    @Test
    void rfc6724LongestMatchingPrefixStopsAtTheSourcePrefix() {
        // Without a limit 2001:db8:1::1 (with 2001:db8:1::2) shares 126 bits; with a /64 source only 64.
        List<String> dst = List.of("2001:db8:3ffe::1", "2001:db8:1::1");
        List<Source> src = List.of(source("2001:db8:3::2", 64), source("2001:db8:1::2", 64));
        AddressSelection.Result r = sort(SelectionPolicy.rfc6724(), dst, src);
        assertEquals(List.of("2001:db8:1::1", "2001:db8:3ffe::1"), addresses(r));
        assertEquals(Rule.LONGEST_PREFIX, r.steps().get(0).rule());
        assertEquals(64, r.order().get(0).matchingPrefix());
        assertEquals(34, r.order().get(1).matchingPrefix());
    }

    // ---------------------------------------------------------------- glibc's posix/tst-rfc3484*.c

    @Test
    void glibcTstRfc3484() {
        // Seven IPv4 destinations, one source 192.168.95.25 with prefix length 8: rule 9 alone.
        List<String> dst = List.of("192.168.109.29", "192.168.93.3", "192.168.44.61", "192.168.96.2", "192.168.2.243",
                "192.168.8.16", "192.168.94.2");
        List<Source> src = dst.stream().map(d -> source("192.168.95.25", 8)).toList();
        int[] expected = {6, 1, 0, 3, 2, 4, 5};
        List<String> want = new ArrayList<>();
        for (int i : expected) want.add(dst.get(i));
        AddressSelection.Result r = sort(SelectionPolicy.glibc(), dst, src);
        assertEquals(want, addresses(r));
        assertEquals(Rule.LONGEST_PREFIX, r.steps().get(0).rule());
        assertEquals(Rule.ORIGINAL_ORDER, r.steps().get(2).rule(), "109.29 and 96.2 share 18 bits with the source");
    }

    @Test
    void glibcTstRfc3484_2() {
        // 224.168.95.25 (source 192.168.95.25) before 7d1:1:100:0:100:0:100:0 (source site-local
        // fec0:1234:100:0:100:0:100:0): rule 2, in both starting orders.
        List<String> dst = List.of("224.168.95.25", "7d1:1:100:0:100:0:100:0");
        List<Source> src = List.of(source("192.168.95.25", 16),
                source("fec0:1234:100:0:100:0:100:0", 16));
        assertEquals(dst, sorted(SelectionPolicy.glibc(), dst, src));
        assertEquals(dst, sorted(SelectionPolicy.glibc(), List.of(dst.get(1), dst.get(0)), List.of(src.get(1), src.get(0))));
    }

    @Test
    void glibcTstRfc3484_3() {
        // The scope table of old glibc (10/8 and 192.168/16 site-local) as scopev4 lines: the
        // destination in the source's 10/8 first by rule 2, the rest in their order.
        SelectionPolicy p = SelectionPolicy.parseGaiConf("scopev4 169.254.0.0/16 2\nscopev4 127.0.0.0/8 2\n"
                + "scopev4 10.0.0.0/8 5\nscopev4 192.168.0.0/16 5\nscopev4 0.0.0.0/0 14\n", SelectionPolicy.glibc()).policy();
        List<String> dst = List.of("160.168.109.29", "160.168.93.3", "160.168.44.61", "160.168.96.2", "160.168.2.243",
                "160.168.8.16", "160.168.94.2", "172.22.35.17", "10.50.69.114");
        List<Source> src = dst.stream().map(d -> source("10.168.95.25", 8)).toList();
        List<String> want = new ArrayList<>();
        for (int i : new int[] {8, 0, 1, 2, 3, 4, 5, 6, 7}) want.add(dst.get(i));
        assertEquals(want, sorted(p, dst, src));
    }

    // ---------------------------------------------------------------- seen from glibc 2.36

    /** Each example sorted by glibc's default rules: the order, and the first step's rule and values. */
    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource(delimiter = '|', textBlock = """
        # destinations              | sources (ADDR[/LEN][+deprecated], -WHY unusable) | sorted                      | first rule        | its values
        198.51.100.5 2001:db8::5    | 198.51.100.10/24 2001:db8::10/64                | 2001:db8::5 198.51.100.5    | HIGHER_PRECEDENCE | precedence 40 vs 10
        fe80::1 198.51.100.5        | -EINVAL 198.51.100.10                           | 198.51.100.5 fe80::1        | AVOID_UNUSABLE    | source 198.51.100.10 vs none (EINVAL)
        2001:db8:1::10 198.51.100.5 | 2001:db8:1::10/64+deprecated 198.51.100.10/24   | 198.51.100.5 2001:db8:1::10 | AVOID_DEPRECATED  | source 198.51.100.10/24 vs 2001:db8:1::10/64 deprecated
        """)
    void glibcExamples(String dst, String src, String want, Rule rule, String values) {
        List<Source> sources = words(src).stream().map(AddressSelectionTest::source).toList();
        AddressSelection.Result r = sort(SelectionPolicy.glibc(), words(dst), sources);
        assertEquals(words(want), addresses(r));
        assertEquals(rule, r.steps().get(0).rule());
        assertEquals(values, r.steps().get(0).values());
    }

    /** {@code ADDR[/LEN][+deprecated]}, or {@code -WHY} for a destination without a usable source. */
    private static Source source(String spec) {
        if (spec.startsWith("-")) return Source.unusable(spec.substring(1));
        boolean deprecated = spec.endsWith("+deprecated");
        String text = deprecated ? spec.substring(0, spec.length() - "+deprecated".length()) : spec;
        int slash = text.indexOf('/');
        if (slash < 0) return Source.of(a(text));
        return Source.of(a(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)), deprecated, false);
    }

    @Test
    void ipv4Rule9CountsOnlyInsideTheSourceSubnet() {
        // Seen in a namespace with 198.51.100.10/24 and 198.51.100.200/26: .201 (31 common bits
        // with .200) before .5 (28 with .10); .5 before .250 (26 with .200).
        SelectionPolicy p = SelectionPolicy.glibc();
        Source s24 = source("198.51.100.10", 24);
        Source s26 = source("198.51.100.200", 26);
        assertEquals(List.of("198.51.100.201", "198.51.100.5"), sorted(p, List.of("198.51.100.5", "198.51.100.201"), List.of(s24, s26)));
        assertEquals(List.of("198.51.100.5", "198.51.100.250"), sorted(p, List.of("198.51.100.250", "198.51.100.5"), List.of(s26, s24)));
        // Without IPv6 glibc has no prefix lengths (0): only a destination equal to its source counts.
        Source u10 = Source.of(a("198.51.100.10"));
        assertEquals(List.of("198.51.100.10", "198.51.100.5", "198.51.100.11"),
                sorted(p, List.of("198.51.100.5", "198.51.100.11", "198.51.100.10"), List.of(u10, u10, u10)));
    }

    @Test
    void theMergeSortOfAnIntransitiveComparison() {
        // gai.conf "precedence ::/0 40": IPv4 and IPv6 tie up to rule 8, rule 9 only compares
        // within a family. glibc 2.36 gave exactly these orders.
        SelectionPolicy p = SelectionPolicy.parseGaiConf("precedence ::/0 40\n", SelectionPolicy.glibc()).policy();
        Source s24 = source("198.51.100.10", 24);
        Source s26 = source("198.51.100.200", 26);
        Source s6 = source("2001:db8::10", 64);
        assertEquals(List.of("2001:db8::5", "198.51.100.201", "198.51.100.5"),
                sorted(p, List.of("2001:db8::5", "198.51.100.5", "198.51.100.201"), List.of(s6, s24, s26)));
        AddressSelection.Result r = AddressSelection.sort(
                List.of(a("198.51.100.5"), a("2001:db8::5"), a("198.51.100.201")), List.of(s24, s6, s26), p);
        assertEquals(List.of("198.51.100.5", "2001:db8::5", "198.51.100.201"),
                addresses(r), "rule 9 would put .201 first; glibc does not");
        assertEquals(Rule.LONGEST_PREFIX, r.explain(r.order().get(2), r.order().get(0)).rule());
        assertEquals(List.of("198.51.100.201", "198.51.100.5", "2001:db8::5"),
                sorted(p, List.of("198.51.100.5", "198.51.100.201", "2001:db8::5"), List.of(s24, s26, s6)));
    }

    @Test
    void mappedDestinationsAreIpv6ForGlibc() {
        // ::ffff:127.0.0.1 is global (14) for glibc, 127.0.0.1 link-local (2): rule 8.
        List<String> dst = List.of("::ffff:198.51.100.5", "127.0.0.1");
        List<Source> src = List.of(Source.of(a("::ffff:198.51.100.10")), Source.of(a("127.0.0.1")));
        assertEquals(List.of("127.0.0.1", "::ffff:198.51.100.5"), sorted(SelectionPolicy.glibc(), dst, src));
    }

    @Test
    void argumentsChecked() {
        assertThrows(IllegalArgumentException.class, () -> AddressSelection.sort(List.of(a("198.51.100.1")),
                List.of(Source.of(a("2001:db8::1"))), SelectionPolicy.glibc()));
        assertThrows(IllegalArgumentException.class, () -> AddressSelection.sort(List.of(a("198.51.100.1")), List.of(),
                SelectionPolicy.glibc()));
        assertThrows(IllegalArgumentException.class, () -> source("198.51.100.1", 33));
        assertFalse(Source.unusable("ENETUNREACH").usable());
    }

    // ---------------------------------------------------------------- sources, for real

    @Test
    void sourcesOnLoopbackAsGlibcFindsThem() throws Exception {
        List<SockAddr> dst = List.of(a("127.0.0.1"), a("127.0.0.5"), a("fe80::1"));
        List<Source> s = AddressSelection.sources(dst);
        assertEquals("127.0.0.1", s.get(0).address().address());
        assertEquals("127.0.0.1", s.get(1).address().address(), "the kernel picks 127.0.0.1 for all of 127/8");
        assertFalse(s.get(2).usable(), "a link-local destination without a scope id cannot be connected to");
        assertEquals("EINVAL", s.get(2).failure());
    }
}
