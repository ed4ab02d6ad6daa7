package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.dualsock.bindings.Platform;
import io.dualsock.testsupport.LibcText;

/**
 * InetText (pure Java) against libc's inet_pton/inet_ntop (test-support's LibcText): the same
 * accept/reject decision, the same bytes, the same text, for hand-picked tricky strings,
 * a few thousand seeded random strings and random addresses.
 */
class InetTextDifferentialTest {
    /** libc inet_pton: the address bytes, or null when it returns 0. */
    static byte[] pton(int family, String s) {
        assertTrue(s.indexOf('\0') < 0, "test input with NUL");
        return LibcText.pton(family, s.getBytes(StandardCharsets.UTF_8), family == Platform.AF_INET ? 4 : 16);
    }

    /** libc inet_ntop. */
    static String ntop(int family, byte[] a) {
        return LibcText.ntop(family, a);
    }

    static final List<String> TRICKY = List.of(
            // IPv4
            "0.0.0.0", "255.255.255.255", "1.2.3.4", "01.2.3.4", "1.02.3.4", "1.2.3.04", "00.0.0.0", "0.0.0.00",
            "256.0.0.0", "1.2.3.256", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.4.5", "1.2.3.-4", "+1.2.3.4",
            "127.1", "0x7f.0.0.1", "0177.0.0.1", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4x", "1.2.3.4\n", "1.2.3.4%lo",
            "999.999.999.999", "1.2.3.0004", "4294967295", "1e1.0.0.0", "١.٢.٣.٤",
            // IPv6
            "", ":", "::", ":::", "::::", "1::2::3", "::1", "1::", "::1:", ":1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::3:4:5:6:7:8", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", ":1:2:3:4:5:6:7",
            "12345::", "1:23456::", "0000:0000::", "00000::", "fFfF::FFFF", "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789",
            "abcd:ef01:2345:6789:abcd:ef01:2345:6789g", "g::", "::g", "1:2:3:4:5:6:7:8 ", " ::1", "::1 ", "::1%lo",
            "::1%", "::1/128", "[::1]",
            // embedded IPv4
            "::ffff:1.2.3.4", "::FFFF:1.2.3.4", "::1.2.3.4", "::0.0.0.1", "::0.0.0.0", "::ffff:0.0.0.0",
            "::ffff:255.255.255.255", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:1.2.3.4",
            "::1.2.3.4:5", "1.2.3.4::", "::1.2.3", "::1.2.3.4.5", "::01.2.3.4", "::1.2.3.04", "::256.1.1.1",
            "::ffff:1.2.3.4%1", "1::1.2.3.4", "::ffff:1.2.3.4:", "::ffff:.1.2.3", "::ffff:1.2.3.", ":ffff:1.2.3.4",
            "ffff::1.2.3.4", "::ffff:1:2.3.4.5", "64:ff9b::192.0.2.33", "::ffff:0:1.2.3.4", "0:0:0:0:0:ffff:1.2.3.4",
            "0:0:0:0:0:0:1.2.3.4", "::12.34", "::a.b.c.d", "::1.2.3.4.", "::.1.2.3.4", "::ffff:127.1",
            "1:2:3:4:5:6:7:8.1.2.3", "::11111.2.3.4", "::1:2:3:4:5:6:7", "::1:2:3:4:5:6", "1:2:3:4:5:6:7::8",
            "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8");

    private static void compareParse(String s, List<String> mismatches) {
        byte[] j4 = InetText.parse4(s);
        byte[] c4 = pton(Platform.AF_INET, s);
        if (!java.util.Arrays.equals(j4, c4)) mismatches.add("parse4 " + show(s) + ": java " + hex(j4) + ", libc " + hex(c4));
        byte[] j6 = InetText.parse6(s);
        byte[] c6 = pton(Platform.AF_INET6, s);
        if (!java.util.Arrays.equals(j6, c6)) mismatches.add("parse6 " + show(s) + ": java " + hex(j6) + ", libc " + hex(c6));
        if (c6 != null) compareFormat(c6, mismatches);
    }

    private static void compareFormat(byte[] a, List<String> mismatches) {
        String j = InetText.format6(a);
        String c = ntop(Platform.AF_INET6, a);
        if (!j.equals(c)) mismatches.add("format6 " + hex(a) + ": java " + j + ", libc " + c);
        // what inet_ntop prints, inet_pton reads back to the same bytes
        if (!java.util.Arrays.equals(a, InetText.parse6(c))) mismatches.add("round trip of " + c);
    }

    private static String hex(byte[] a) {
        return a == null ? "reject" : HexFormat.of().formatHex(a);
    }

    private static String show(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    private static void assertNone(List<String> mismatches) {
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " mismatches with libc, first: " + mismatches.subList(0, Math.min(10, mismatches.size())));
        }
    }

    @Test
    void trickyStrings() {
        List<String> mismatches = new ArrayList<>();
        int accepted = 0;
        for (String s : TRICKY) {
            compareParse(s, mismatches);
            if (pton(Platform.AF_INET6, s) != null || pton(Platform.AF_INET, s) != null) accepted++;
        }
        assertNone(mismatches);
        assertTrue(accepted > 20 && accepted < TRICKY.size() - 20, "list has both kinds: " + accepted);
    }

    /** Random strings from the address alphabet, and random structured ones that libc often accepts. */
    @Test
    void randomStrings() {
        Random rnd = new Random(20240601L);
        String alphabet = "0123456789abcdefABCDEF:.%";
        List<String> mismatches = new ArrayList<>();
        int accepted = 0;
        for (int n = 0; n < 3000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(20);
            for (int i = 0; i < len; i++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            compareParse(sb.toString(), mismatches);
        }
        // near-addresses: 1..9 groups of 0..5 hex digits, maybe one "::", maybe a dotted tail, then
        // with probability 1/2 one random edit: libc accepts many, and rejects the near misses
        for (int n = 0; n < 4000; n++) {
            StringBuilder sb = new StringBuilder();
            int groups = 1 + rnd.nextInt(9);
            int gap = rnd.nextInt(3) == 0 ? -1 : rnd.nextInt(groups + 1);
            boolean dotted = rnd.nextInt(4) == 0;
            for (int g = 0; g < groups; g++) {
                if (g == gap) sb.append("::");
                else if (g > 0) sb.append(':');
                if (dotted && g == groups - 1) {
                    sb.append(rnd.nextInt(300)).append('.').append(rnd.nextInt(256)).append('.')
                            .append(rnd.nextInt(256)).append('.').append(rnd.nextInt(256));
                } else {
                    int digits = rnd.nextInt(20) == 0 ? 5 : rnd.nextInt(5);
                    for (int d = 0; d < digits; d++) sb.append(alphabet.charAt(rnd.nextInt(22)));
                }
            }
            if (gap == groups) sb.append("::");
            if (rnd.nextBoolean() && sb.length() > 0) {
                int at = rnd.nextInt(sb.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    default -> sb.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
            }
            String s = sb.toString();
            compareParse(s, mismatches);
            if (InetText.parse6(s) != null) accepted++;
        }
        assertNone(mismatches);
        assertTrue(accepted > 500, "structured strings accepted by both: " + accepted);
    }

    /** Random addresses biased toward zero runs and the ::ffff:0:0/96 and ::/96 prefixes. */
    @Test
    void randomAddressesFormatLikeInetNtop() {
        Random rnd = new Random(77);
        List<String> mismatches = new ArrayList<>();
        for (int n = 0; n < 5000; n++) {
            byte[] a = new byte[16];
            switch (rnd.nextInt(5)) {
                case 0 -> rnd.nextBytes(a);
                case 1 -> { // words that are zero half the time: runs of every length and position
                    for (int w = 0; w < 8; w++) {
                        if (rnd.nextBoolean()) {
                            a[2 * w] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(256) : 0);
                            a[2 * w + 1] = (byte) rnd.nextInt(256);
                        }
                    }
                }
                case 2 -> { // ::ffff:a.b.c.d and its neighbours
                    a[10] = (byte) 0xff;
                    a[11] = (byte) 0xff;
                    for (int i = 12; i < 16; i++) a[i] = (byte) (rnd.nextBoolean() ? 0 : rnd.nextInt(256));
                    if (rnd.nextInt(4) == 0) a[rnd.nextInt(12)] = (byte) (1 + rnd.nextInt(255));
                }
                case 3 -> { // ::a.b.c.d (IPv4-compatible) and ::1-like small values
                    for (int i = 12; i < 16; i++) a[i] = (byte) (rnd.nextBoolean() ? 0 : rnd.nextInt(256));
                    if (rnd.nextInt(4) == 0) a[10 + rnd.nextInt(2)] = (byte) rnd.nextInt(256);
                }
                default -> { // one single zero word or two equal runs
                    rnd.nextBytes(a);
                    int w = rnd.nextInt(8);
                    a[2 * w] = 0;
                    a[2 * w + 1] = 0;
                    if (rnd.nextBoolean()) {
                        int v = rnd.nextInt(7);
                        a[2 * v] = a[2 * v + 1] = a[2 * v + 2] = a[2 * v + 3] = 0;
                    }
                }
            }
            compareFormat(a, mismatches);
            // and libc reads Java's text back to the same bytes
            if (!java.util.Arrays.equals(a, pton(Platform.AF_INET6, InetText.format6(a)))) {
                mismatches.add("libc reading of " + InetText.format6(a));
            }
        }
        for (int n = 0; n < 500; n++) {
            byte[] a = new byte[4];
            rnd.nextBytes(a);
            String c = ntop(Platform.AF_INET, a);
            if (!c.equals(InetText.format4(a, 0))) mismatches.add("format4 " + c);
            if (!java.util.Arrays.equals(a, InetText.parse4(c))) mismatches.add("parse4 of " + c);
        }
        assertNone(mismatches);
    }

    @Test
    void fixedExamples() {
        assertEquals("::", InetText.format6(new byte[16]));
        assertArrayEquals(new byte[16], InetText.parse6("::"));
        byte[] mapped = InetText.parse6("::ffff:198.51.100.1");
        assertEquals("::ffff:198.51.100.1", InetText.format6(mapped));
        assertEquals("::ffff:198.51.100.1", ntop(Platform.AF_INET6, mapped));
        // glibc prints the ::/96 (IPv4-compatible) form dotted too, except ::1-like short values
        assertEquals(ntop(Platform.AF_INET6, InetText.parse6("::1.2.3.4")), InetText.format6(InetText.parse6("::1.2.3.4")));
        assertEquals("::1", InetText.format6(InetText.parse6("::0.0.0.1")));
        assertEquals(null, InetText.parse6("1:2:3:4:5:6:7:8::")); // :: standing for no group: glibc refuses
        assertEquals(null, InetText.parse4("127.1"));
    }
}
