package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The policy tables and gai.conf as glibc 2.36 reads it. Every parsing case below was first
 * run through the real getaddrinfo in a namespace whose /etc/gai.conf held the line (see
 * docs/address-selection.md); the lab test AddressSelectionLabTest checks whole files.
 */
class SelectionPolicyTest {

    private static SockAddr a(String text) {
        return SockAddr.parse(text, 0);
    }

    private static SelectionPolicy conf(String text) {
        return SelectionPolicy.parseGaiConf(text, SelectionPolicy.glibc()).policy();
    }

    private static List<String> warnings(String text) {
        return SelectionPolicy.parseGaiConf(text, SelectionPolicy.glibc()).warnings();
    }

    /** The built-in tables: what precedence, label or scope each policy gives an address. */
    @ParameterizedTest(name = "{0} {1}({2}) = {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        glibc   | precedence | ::1                 | 50 |
        glibc   | precedence | 2001:db8::1         | 40 |
        glibc   | precedence | fd00::1             | 40 | glibc keeps RFC 3484's table: no ULA entry
        glibc   | precedence | 2002:c633:6401::1   | 30 |
        glibc   | precedence | ::198.51.100.1      | 20 |
        glibc   | precedence | 198.51.100.1        | 10 |
        glibc   | precedence | ::ffff:198.51.100.1 | 10 |
        glibc   | label      | ::1                 | 0  |
        glibc   | label      | 2001:db8::1         | 1  | 2001:db8::/32 is not in Teredo's 2001::/32
        glibc   | label      | 2001:0:53aa:64c::1  | 7  |
        glibc   | label      | 2002:c633:6401::1   | 2  |
        glibc   | label      | ::198.51.100.1      | 3  |
        glibc   | label      | 198.51.100.1        | 4  |
        glibc   | label      | fec0::1             | 5  |
        glibc   | label      | fd00::1             | 6  |
        glibc   | label      | fe80::1             | 1  |
        rfc6724 | precedence | 198.51.100.1        | 35 |
        rfc6724 | precedence | fd00::1             | 3  |
        rfc6724 | precedence | 2001:0:53aa:64c::1  | 5  |
        rfc6724 | precedence | ::198.51.100.1      | 1  |
        rfc6724 | label      | fd00::1             | 13 |
        rfc6724 | label      | 2001:0:53aa:64c::1  | 5  |
        rfc6724 | label      | 3ffe::1             | 12 |
        rfc6724 | precedence | 2001:db8::1         | 40 |
        glibc   | scope      | 127.0.0.1           | 2  |
        glibc   | scope      | 127.255.255.255     | 2  |
        glibc   | scope      | 169.254.7.1         | 2  |
        glibc   | scope      | 169.255.0.0         | 14 |
        glibc   | scope      | 198.51.100.1        | 14 |
        glibc   | scope      | ::1                 | 2  |
        glibc   | scope      | fe80::1             | 2  |
        glibc   | scope      | fec0::1             | 5  |
        glibc   | scope      | fd00::1             | 14 |
        glibc   | scope      | ff02::1             | 2  |
        glibc   | scope      | ff05::1             | 5  |
        # glibc reads a mapped destination as IPv6: global, even for loopback; RFC 6724 as IPv4.
        glibc   | scope      | ::ffff:127.0.0.1    | 14 |
        rfc6724 | scope      | ::ffff:127.0.0.1    | 2  |
        """)
    void builtInTables(String policy, String table, String address, int want, String note) {
        SelectionPolicy p = switch (policy) {
            case "glibc" -> SelectionPolicy.glibc();
            case "rfc6724" -> SelectionPolicy.rfc6724();
            default -> throw new IllegalArgumentException(policy);
        };
        int got = switch (table) {
            case "precedence" -> p.precedence(a(address));
            case "label" -> p.label(a(address));
            case "scope" -> p.scope(a(address));
            default -> throw new IllegalArgumentException(table);
        };
        assertEquals(want, got, note);
    }

    @Test
    void aPrecedenceLineReplacesTheWholeTable() {
        SelectionPolicy p = conf("precedence ::ffff:0:0/96 100\n");
        assertEquals(100, p.precedence(a("198.51.100.1")));
        assertEquals(40, p.precedence(a("::1")), "::1's 50 is gone with the built-in table");
        assertEquals(40, p.precedence(a("2002::1")));
        assertEquals(SelectionPolicy.glibc().labels(), p.labels(), "labels untouched");
        assertEquals(List.of(new SelectionPolicy.PrefixEntry("::ffff:0.0.0.0", 96, 100),
                new SelectionPolicy.PrefixEntry("::", 0, 40)), p.precedences());
    }

    @Test
    void longestPrefixFirstAndFirstOfEqualPrefixesWins() {
        SelectionPolicy p = conf("label ::/0 9\nlabel 2001:db8::/32 3\nlabel 2001:db8::/32 4\nlabel 2001:db8:1::/48 5\n");
        assertEquals(5, p.label(a("2001:db8:1::1")));
        assertEquals(3, p.label(a("2001:db8:2::1")), "seen: with two equal prefixes glibc uses the first");
        assertEquals(9, p.label(a("fd00::1")), "a /0 line in the file: no ::/0 label 1 added");
        assertEquals(4, p.labels().size());
    }

    @Test
    void numbersAsStrtoulReadsThem() {
        assertEquals(100, conf("precedence ::ffff:0:0/96 +100\n").precedence(a("198.51.100.1")));
        assertEquals(100, conf("precedence ::ffff:0:0/+96 100\n").precedence(a("198.51.100.1")));
        assertEquals(100, conf("precedence ::ffff:0:0/0096 100\n").precedence(a("198.51.100.1")));
        assertEquals(100, conf("  precedence\t::ffff:0:0/96   100 trailing words # comment\n").precedence(a("198.51.100.1")));
        // "/" with nothing after it is /0; a missing value is 0 (strtoul of "").
        assertEquals(100, conf("precedence ::ffff:0:0/ 100\n").precedence(a("2001:db8::1")));
        assertEquals(0, conf("precedence ::ffff:0:0/96\n").precedence(a("198.51.100.1")));
        assertFalse(warnings("precedence ::ffff:0:0/96\n").isEmpty());
    }

    @Test
    void linesGlibcIgnores() {
        for (String line : List.of("precedence ::ffff:0:0/96 100x", "precedence ::ffff:0:0/96x 100",
                "precedence ::ffff:0:0/96 -1", "precedence ::ffff:0:0/129 100", "precedence ::ffff:0:0/96 2147483648",
                "precedence ::ffff:0:0/96 0x64", "Precedence ::ffff:0:0/96 100", "precedence 198.51.100.0/24 100",
                "precedence ::ffff:0:0 100", "precedence ::ffff:198.51.100.5 100")) {
            SelectionPolicy.GaiConf c = SelectionPolicy.parseGaiConf(line + "\n", SelectionPolicy.glibc());
            assertSame(SelectionPolicy.glibc().precedences(), c.policy().precedences(), line);
            assertEquals(1, c.warnings().size(), line + ": " + c.warnings());
        }
        assertTrue(warnings("scopev4 198.51.100.5 1\n").get(0).contains("SIGSEGV"));
    }

    @Test
    void scopev4ReplacesTheIpv4ScopeTable() {
        SelectionPolicy p = conf("scopev4 ::ffff:198.51.100.0/120 1\n");
        assertEquals(1, p.scope(a("198.51.100.5")));
        assertEquals(14, p.scope(a("127.0.0.1")), "127/8's link-local scope went with the built-in table");
        assertEquals(List.of(new SelectionPolicy.ScopeEntry("198.51.100.0", 24, 1), new SelectionPolicy.ScopeEntry("0.0.0.0", 0, 14)),
                p.scopes());
        SelectionPolicy q = conf("scopev4 198.51.100.0/25 1\nscopev4 198.51.100.5/32 7\nscopev4 0.0.0.0/0 9\n");
        assertEquals(7, q.scope(a("198.51.100.5")));
        assertEquals(1, q.scope(a("198.51.100.6")));
        assertEquals(9, q.scope(a("198.51.100.200")));
        assertEquals(3, q.scopes().size());
    }

    @Test
    void reloadAndUnknownKeywords() {
        SelectionPolicy.GaiConf c = SelectionPolicy.parseGaiConf("reload yes\nfoo bar 1\n", SelectionPolicy.glibc());
        assertTrue(c.reload());
        assertEquals(1, c.warnings().size());
        assertFalse(SelectionPolicy.parseGaiConf("reload no\n", SelectionPolicy.glibc()).reload());
        assertEquals("glibc", c.policy().name());
        assertEquals("glibc+gai.conf", conf("label ::/0 1\n").name());
    }

    @Test
    void gaiConfOnTheRfc6724BaseKeepsItsRules() {
        SelectionPolicy p = SelectionPolicy.parseGaiConf("precedence ::/0 40\n", SelectionPolicy.rfc6724()).policy();
        assertEquals(SelectionPolicy.Rules.RFC6724, p.rules());
        assertEquals(SelectionPolicy.rfc6724().labels(), p.labels());
    }

    @Test
    void explicitTablesNeedACatchAll() {
        assertThrows(IllegalArgumentException.class, () -> SelectionPolicy.of("x", SelectionPolicy.Rules.GLIBC,
                List.of(new SelectionPolicy.PrefixEntry("::1", 128, 0)), SelectionPolicy.glibc().precedences(),
                SelectionPolicy.glibc().scopes()));
    }
}
