package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Platform;

/**
 * Hints, host and service combinations: {@link Resolver#getaddrinfo} against libc's getaddrinfo
 * in a separate C process (the reference program gai_ref, batch mode): the same EAI_* error
 * name, or the same entries in the same order, field by field (gai_ref's line format); never a
 * crash, never another exception than the documented ones.
 *
 * <p>AI_NUMERICHOST is added to every query (and gai_ref, run with -numeric, adds it again): a
 * fuzzed host must never become a DNS query.
 *
 * <p>With AI_IDN libc reads the host in the process's locale (LC_CTYPE): the same bytes give
 * EAI_IDN_ENCODE under C and EAI_NONAME under C.UTF-8. gai_ref sets the locale from the same
 * environment as this JVM did, {@link LibcRef} refuses a reference in another locale, and every
 * failure message names the locale (issue 20; its input is a regression input here).
 *
 * <p>Input (the same layout as c-shim/fuzz/fuzz_getaddrinfo.c, so seeds are shared): byte 0 =
 * selector (bit0 host null, bit1 service null, bits2-3 family choice, bits4-5 socktype choice,
 * bit6 raw protocol), byte 1 unused here, then family, socktype, protocol, flags as big-endian
 * int32, then host and service separated by 0xff, both read as UTF-8.
 */
class ResolverFuzzTest {

    @FuzzTest
    void getaddrinfoAgreesWithLibc(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(Arrays.copyOf(data, Math.max(data.length, 18)));
        int sel = in.get(0) & 0xff;
        int rf = in.getInt(2), rs = in.getInt(6), rp = in.getInt(10), fl = in.getInt(14);
        int[] families = {Platform.AF_UNSPEC, Platform.AF_INET, Platform.AF_INET6, rf};
        int[] socktypes = {0, Platform.SOCK_STREAM, Platform.SOCK_DGRAM, rs};
        Hints hints = Hints.builder()
                .family(families[(sel >> 2) & 3])
                .socktype(socktypes[(sel >> 4) & 3])
                .protocol((sel & 0x40) != 0 ? rp : 0)
                .rawFlags(fl | AiFlag.NUMERICHOST.value())
                .build();
        byte[] rest = data.length > 18 ? Arrays.copyOfRange(data, 18, data.length) : new byte[0];
        int sep = indexOf(rest, (byte) 0xff);
        byte[] hostBytes = sep < 0 ? rest : Arrays.copyOf(rest, sep);
        byte[] servBytes = sep < 0 ? new byte[0] : Arrays.copyOfRange(rest, sep + 1, rest.length);
        int sep2 = indexOf(servBytes, (byte) 0xff);
        if (sep2 >= 0) servBytes = Arrays.copyOf(servBytes, sep2);
        String host = (sel & 1) != 0 ? null : new String(hostBytes, StandardCharsets.UTF_8);
        String service = (sel & 2) != 0 ? null : new String(servBytes, StandardCharsets.UTF_8);

        if ((host != null && host.indexOf('\0') >= 0) || (service != null && service.indexOf('\0') >= 0)) {
            // documented: refused in Java before any native call (C would cut the string short)
            assertThrows(IllegalArgumentException.class, () -> Resolver.getaddrinfo(host, service, hints));
            return;
        }
        List<String> want = LibcRef.getaddrinfo(host, service, hints);
        // AI_IDN reads the host in the locale's character set: every message says which (issue 20)
        Supplier<String> what = () -> "getaddrinfo(" + host + ", " + service + ", " + hints + ") in " + LibcRef.locale();
        boolean libcFailed = want.size() == 1 && want.get(0).startsWith("error ");
        try {
            List<AddrInfo> got = Resolver.getaddrinfo(host, service, hints);
            if (libcFailed) {
                fail(what.get() + ": libc said " + Errors.eaiName(code(want)) + ", dualsock returned " + got);
            }
            assertEquals(want, LibcRef.lines(got), () -> "entries for " + what.get());
        } catch (ResolverException e) {
            if (!libcFailed) fail(what.get() + ": dualsock threw " + e + ", libc returned " + want);
            assertEquals(Errors.eaiName(code(want)), e.codeName(), () -> what.get() + ": " + e.getMessage());
            assertEquals(code(want), e.code(), what);
            assertEquals("getaddrinfo", e.call(), what);
        }
    }

    /** The EAI_* number of gai_ref's "error CODE ERRNO" line. */
    private static int code(List<String> errorLine) {
        return Integer.parseInt(errorLine.get(0).split(" ")[1]);
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) if (b[i] == v) return i;
        return -1;
    }
}
