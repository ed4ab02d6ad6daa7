package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6052 arithmetic: the §2.4 table in both directions, the prefix checks (lengths, the u
 * octet, bits after the length), extraction's refusals, and §3.1's rule for the well-known
 * prefix. Pure Java: no address here is ever sent anywhere.
 */
class Nat64Test {

    /** RFC 6052 §2.4: 192.0.2.33 under each of the six network-specific prefixes (and the well-known one). */
    @ParameterizedTest
    @CsvSource({
        "2001:db8::/32,         2001:db8:c000:221::",
        "2001:db8:100::/40,     2001:db8:1c0:2:21::",
        "2001:db8:122::/48,     2001:db8:122:c000:2:2100::",
        "2001:db8:122:300::/56, 2001:db8:122:3c0:0:221::",
        "2001:db8:122:344::/64, 2001:db8:122:344:c0:2:2100:0",
        "2001:db8:122:344::/96, 2001:db8:122:344::192.0.2.33",
    })
    void rfc6052TableBothWays(String prefix, String embedded) {
        Nat64 p = Nat64.parse(prefix);
        Inet4SockAddr v4 = Inet4SockAddr.parse("192.0.2.33", 0);
        Inet6SockAddr v6 = Inet6SockAddr.parse(embedded, 0);
        assertEquals(v6, p.synthesize(v4), prefix);
        assertTrue(p.contains(v6));
        assertEquals(v4, p.extract(v6), prefix);
        assertEquals(prefix, p.toString());
        assertTrue(p.permitsNonGlobal(), "a network-specific prefix takes any IPv4 address");
    }

    @Test
    void wellKnownPrefixRowOfTheTable() {
        Nat64 p = Nat64.WELL_KNOWN.permitNonGlobal();
        Inet6SockAddr v6 = Inet6SockAddr.parse("64:ff9b::192.0.2.33", 0);
        assertEquals(v6, p.synthesize(Inet4SockAddr.parse("192.0.2.33", 0)));
        assertEquals(Inet4SockAddr.parse("192.0.2.33", 0), p.extract(v6));
        assertEquals("64:ff9b::/96", Nat64.WELL_KNOWN.toString());
        assertEquals(96, Nat64.WELL_KNOWN.length());
        assertEquals(Inet6SockAddr.parse("64:ff9b::", 0), Nat64.WELL_KNOWN.prefix());
        assertTrue(Nat64.WELL_KNOWN.isWellKnown());
        assertTrue(p.isWellKnown());
        assertFalse(Nat64.parse("2001:db8::/96").isWellKnown());
    }

    @Test
    void portIsKeptFlowAndScopeAreDropped() {
        Nat64 p = Nat64.parse("2001:db8:122::/48");
        Inet6SockAddr v6 = p.synthesize(Inet4SockAddr.parse("203.0.113.9", 8443));
        assertEquals("[2001:db8:122:cb00:71:900::]:8443", v6.toString(), "docs/nat64.md's example");
        assertEquals("2001:db8:122:cb00:71:900:: (NAT64 of 203.0.113.9)", p.label(v6));
        assertEquals(0, v6.flowinfo());
        assertEquals(0, v6.scopeId());
        Inet6SockAddr withExtras = new Inet6SockAddr(v6.addressBytes(), 53, 0x12345, 7);
        assertEquals(Inet4SockAddr.parse("203.0.113.9", 53), p.extract(withExtras));
    }

    /** Every length, random IPv4 addresses and ports (fixed seed): extract undoes synthesize, and only the u octet stays zero. */
    @Test
    void roundTripsAtEveryLength() {
        java.util.Random r = new java.util.Random(6052);
        for (int len : Nat64.LENGTHS) {
            byte[] pre = new byte[16];
            r.nextBytes(pre);
            for (int i = len / 8; i < 16; i++) pre[i] = 0;
            pre[8] = 0;
            Nat64 p = Nat64.of(pre, len).permitNonGlobal();
            for (int n = 0; n < 500; n++) {
                byte[] four = new byte[4];
                r.nextBytes(four);
                Inet4SockAddr v4 = new Inet4SockAddr(four, r.nextInt(65536));
                Inet6SockAddr v6 = p.synthesize(v4);
                assertEquals(0, v6.addressBytes()[8], "u octet");
                assertTrue(p.contains(v6));
                assertEquals(v4, p.extract(v6), p + " " + v4);
            }
        }
        assertThrows(NullPointerException.class, () -> Nat64.isNonGlobal(null));
        assertThrows(NullPointerException.class, () -> Nat64.WELL_KNOWN.synthesize(null));
        assertThrows(NullPointerException.class, () -> Nat64.WELL_KNOWN.extract(null));
        assertFalse(Nat64.WELL_KNOWN.contains(null));
    }

    @Test
    void suffixBitsAreIgnoredOnExtract() {
        // RFC 6052 §2.2: the suffix SHOULD be zero and translators SHOULD ignore it
        Nat64 p = Nat64.parse("2001:db8::/32");
        assertEquals(Inet4SockAddr.parse("192.0.2.33", 0), p.extract(Inet6SockAddr.parse("2001:db8:c000:221:0:ffff:1:2", 0)));
    }

    @Test
    void labelsLikeTheIssueAndFlagsSection31() {
        Inet6SockAddr a = Inet6SockAddr.parse("64:ff9b::c633:640b", 80);
        assertEquals("64:ff9b::c633:640b (NAT64 of 198.51.100.11)", Nat64.WELL_KNOWN.permitNonGlobal().label(a));
        assertEquals("64:ff9b::c633:640b (NAT64 of 198.51.100.11; non-global, RFC 6052 §3.1)", Nat64.WELL_KNOWN.label(a));
        assertEquals("64:ff9b::808:808 (NAT64 of 8.8.8.8)", Nat64.WELL_KNOWN.label(Inet6SockAddr.parse("64:ff9b::8.8.8.8", 0)));
        assertEquals("2001:db8::1", Nat64.WELL_KNOWN.label(Inet6SockAddr.parse("2001:db8::1", 0)));
        assertEquals("198.51.100.11", Nat64.WELL_KNOWN.label(Inet4SockAddr.parse("198.51.100.11", 0)));
    }

    /** RFC 6052 §3.1 with RFC 6890's special-purpose ranges: each address, and whether it is non-global. */
    @ParameterizedTest(name = "{0} non-global={1}")
    @CsvSource(delimiter = '|', textBlock = """
        10.1.2.3        | true
        192.168.0.1     | true
        172.31.255.255  | true
        198.51.100.11   | true
        192.0.2.1       | true
        203.0.113.5     | true
        127.0.0.1       | true
        0.0.0.0         | true
        169.254.1.1     | true
        100.64.0.1      | true
        192.0.0.170     | true
        198.19.0.1      | true
        224.0.0.1       | true
        255.255.255.255 | true
        8.8.8.8         | false
        1.1.1.1         | false
        9.255.255.255   | false
        11.0.0.0        | false
        100.63.255.255  | false
        100.128.0.0     | false
        172.15.0.1      | false
        172.32.0.1      | false
        192.0.1.1       | false
        192.169.0.1     | false
        198.17.255.255  | false
        198.20.0.0      | false
        198.51.101.1    | false
        223.255.255.255 | false
        """)
    void wellKnownPrefixRefusesNonGlobalAndTakesGlobal(String text, boolean nonGlobal) {
        Inet4SockAddr v4 = Inet4SockAddr.parse(text, 0);
        assertEquals(nonGlobal, Nat64.isNonGlobal(v4), text);
        if (!nonGlobal) {
            assertEquals(v4, Nat64.WELL_KNOWN.extract(Nat64.WELL_KNOWN.synthesize(v4)));
            return;
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Nat64.WELL_KNOWN.synthesize(v4));
        assertTrue(e.getMessage().contains("RFC 6052 §3.1") && e.getMessage().contains(text), e.getMessage());
        Inet6SockAddr lab = Nat64.WELL_KNOWN.permitNonGlobal().synthesize(v4);
        assertEquals(v4, Nat64.WELL_KNOWN.extract(lab), "decoding stays lenient");
        Nat64 nsp = Nat64.parse("2001:db8:64::/96");
        assertEquals(v4, nsp.extract(nsp.synthesize(v4)), "network-specific prefixes take it");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 8, 16, 24, 33, 63, 72, 80, 88, 104, 128, -1})
    void refusesOtherLengths(int len) {
        var e = assertThrows(IllegalArgumentException.class, () -> Nat64.of(new byte[16], len));
        assertTrue(e.getMessage().contains("RFC 6052 §2.2") && e.getMessage().contains("/" + len), e.getMessage());
    }

    @Test
    void refusesBadPrefixes() {
        var u = assertThrows(IllegalArgumentException.class, () -> Nat64.parse("2001:db8:0:0:100::/96"));
        assertTrue(u.getMessage().contains("u octet"), u.getMessage());
        var bits = assertThrows(IllegalArgumentException.class, () -> Nat64.parse("2001:db8::1/32"));
        assertTrue(bits.getMessage().contains("bits set after /32"), bits.getMessage());
        for (String bad : List.of("2001:db8:122:344:1::/64", "64:ff9b::", "64:ff9b::/", "64:ff9b::/x96", "198.51.100.0/24",
                "64:ff9b::%1/96")) {
            assertThrows(IllegalArgumentException.class, () -> Nat64.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Nat64.of(new byte[4], 32));
        assertThrows(NullPointerException.class, () -> Nat64.parse(null));
        assertThrows(NullPointerException.class, () -> Nat64.of((byte[]) null, 96));
        assertEquals(Nat64.parse("2001:db8::/32"), Nat64.of(Inet6SockAddr.parse("2001:db8::", 99), 32));
    }

    @Test
    void extractRefusesAddressesOutsideThePrefix() {
        Nat64 p = Nat64.parse("2001:db8:122::/48");
        var other = assertThrows(IllegalArgumentException.class, () -> p.extract(Inet6SockAddr.parse("2001:db8:123:c000:2:2100::", 0)));
        assertTrue(other.getMessage().contains("not under the prefix"), other.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> p.extract(Inet6SockAddr.parse("2001:db8:122:c000:102:2100::", 0)));
        assertTrue(u.getMessage().contains("u octet"), u.getMessage());
        Inet6SockAddr mapped = Inet4SockAddr.parse("198.51.100.1", 0).toMapped();
        var m = assertThrows(IllegalArgumentException.class, () -> Nat64.parse("::/96").extract(mapped));
        assertTrue(m.getMessage().contains("IPv4-mapped"), m.getMessage());
        assertFalse(Nat64.parse("::/96").contains(mapped));
        assertFalse(p.contains(Inet4SockAddr.parse("192.0.2.33", 0)));
        assertFalse(Nat64.WELL_KNOWN.contains(Inet6SockAddr.parse("64:ff9c::1", 0)));
    }

    @Test
    void equalityIncludesTheNonGlobalPolicy() {
        assertEquals(Nat64.WELL_KNOWN, Nat64.parse("64:ff9b::/96"));
        assertEquals(Nat64.WELL_KNOWN.hashCode(), Nat64.parse("64:ff9b::/96").hashCode());
        assertNotEquals(Nat64.WELL_KNOWN, Nat64.WELL_KNOWN.permitNonGlobal());
        assertFalse(Nat64.WELL_KNOWN.permitsNonGlobal());
        Nat64 nsp = Nat64.parse("2001:db8::/32");
        assertSame(nsp, nsp.permitNonGlobal());
        assertNotEquals(nsp, Nat64.parse("2001:db8::/40"));
        assertEquals(List.of(32, 40, 48, 56, 64, 96), Nat64.LENGTHS);
    }
}
