package io.dualsock.bindings;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The locale libc converts multibyte text with in this process, from the shim
 * ({@code ds_locale_info}). It matters to {@code getaddrinfo} with {@code AI_IDN}: the host name
 * is read in this character set, so the same name can succeed under {@code C.UTF-8} and fail with
 * {@code EAI_IDN_ENCODE} under {@code C}. The JVM sets it from {@code LANG}/{@code LC_*} at start-up.
 */
public final class LibcLocale {
    private LibcLocale() {}

    // selectors of ds_locale_info (dualsock.h); the shim's own ABI, not platform values
    private static final int CTYPE = 0;
    private static final int CODESET = 1;

    /** {@code setlocale(LC_CTYPE, NULL)}: the LC_CTYPE locale's name, e.g. {@code C.UTF-8} or {@code C}. */
    public static String ctype() {
        return info(CTYPE);
    }

    /** {@code nl_langinfo(CODESET)}: its character set, e.g. {@code UTF-8} or {@code ANSI_X3.4-1968}. */
    public static String codeset() {
        return info(CODESET);
    }

    /** {@code LC_CTYPE=C.UTF-8 (codeset UTF-8)}: both, as the tools print them. */
    public static String describe() {
        return "LC_CTYPE=" + ctype() + " (codeset " + codeset() + ")";
    }

    private static String info(int which) {
        ByteBuffer b = ByteBuffer.allocateDirect(256); // locale names are short; -ERANGE says otherwise
        int n = Native.shim().ds_locale_info(which, Native.address(b), b.capacity());
        Reference.reachabilityFence(b);
        if (n < 0) throw new IllegalStateException("ds_locale_info(" + which + "): " + Errors.errnoName(-n));
        byte[] bytes = new byte[n];
        b.get(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
