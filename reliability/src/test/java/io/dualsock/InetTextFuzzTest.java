package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.dualsock.bindings.Platform;

/**
 * SockAddr text parsing and printing, differentially against libc's inet_pton/inet_ntop
 * through the shim: the same accept/reject decision, the same bytes, the same text.
 *
 * <p>Regression mode (every build) runs the inputs under
 * {@code src/test/resources/io/dualsock/InetTextFuzzTestInputs/<method>/}; {@code bin/fuzz}
 * runs each method in fuzzing mode for a bounded time.
 */
class InetTextFuzzTest {

    /**
     * Input: the text, one byte per char (ISO-8859-1), so that libc sees exactly the bytes
     * Java sees as chars. Checked: InetText.parse4/parse6 accept exactly what inet_pton
     * accepts, with the same bytes; SockAddr.parse agrees with them and fails only with
     * IllegalArgumentException.
     */
    @FuzzTest
    void parseAgreesWithInetPton(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        if (text.indexOf('\0') >= 0) {
            // C would stop at the NUL and may accept the prefix; dualsock refuses the whole string
            assertNull(InetText.parse4(text));
            assertNull(InetText.parse6(text));
            assertThrows(IllegalArgumentException.class, () -> SockAddr.parse(text, 0));
            return;
        }
        byte[] c4 = LibcRef.inetPton(Platform.AF_INET, data);
        byte[] c6 = LibcRef.inetPton(Platform.AF_INET6, data);
        assertArrayEquals(c4, InetText.parse4(text), () -> "parse4 vs inet_pton(AF_INET) on " + show(data));
        assertArrayEquals(c6, InetText.parse6(text), () -> "parse6 vs inet_pton(AF_INET6) on " + show(data));

        SockAddr parsed;
        try {
            parsed = SockAddr.parse(text, 7);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        int pct = text.indexOf('%');
        if (c4 != null) {
            assertEquals(new Inet4SockAddr(c4, 7), parsed, () -> "SockAddr.parse on " + show(data));
        } else if (pct < 0) {
            assertEquals(c6 == null ? null : new Inet6SockAddr(c6, 7, 0, 0), parsed, () -> "SockAddr.parse on " + show(data));
        } else {
            byte[] head = Arrays.copyOf(data, pct);
            byte[] v6 = LibcRef.inetPton(Platform.AF_INET6, head);
            if (v6 == null) {
                assertNull(parsed, () -> "accepted with an invalid address before '%': " + show(data));
            } else if (parsed != null) {
                Inet6SockAddr p6 = (Inet6SockAddr) parsed;
                assertArrayEquals(v6, p6.addressBytes());
                String scope = text.substring(pct + 1);
                if (!scope.isEmpty() && scope.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    assertEquals(Long.parseLong(scope), Integer.toUnsignedLong(p6.scopeId()));
                }
            }
        }
    }

    /**
     * Input: 16 address bytes (zero-padded). Checked: Inet6SockAddr.address() is inet_ntop's
     * text, Inet4SockAddr.address() of the first four bytes too, and both texts parse back to
     * the same bytes.
     */
    @FuzzTest
    void printAgreesWithInetNtop(byte[] data) {
        byte[] a16 = Arrays.copyOf(data, 16);
        byte[] a4 = Arrays.copyOf(data, 4);
        Inet6SockAddr a6 = new Inet6SockAddr(a16, 1, 0, 0);
        String text6 = a6.address();
        assertEquals(LibcRef.inetNtop(Platform.AF_INET6, a16), text6);
        assertArrayEquals(a16, InetText.parse6(text6));
        assertEquals(a6, SockAddr.parse(text6, 1));
        Inet4SockAddr v4 = new Inet4SockAddr(a4, 2);
        String text4 = v4.address();
        assertEquals(LibcRef.inetNtop(Platform.AF_INET, a4), text4);
        assertEquals(v4, SockAddr.parse(text4, 2));
        if (a6.isV4Mapped()) {
            assertEquals(a6.v4().toMapped(), a6);
        } else {
            try {
                a6.v4();
                fail("v4() of a non-mapped address");
            } catch (IllegalStateException expected) {
                // documented
            }
        }
    }

    private static String show(byte[] data) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : data) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') sb.append((char) c);
            else sb.append(String.format("\\x%02x", c));
        }
        return sb.append('"').toString();
    }
}
