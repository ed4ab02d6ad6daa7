package io.dualsock.bindings;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** errno and EAI_* names and messages, from the shim (and so from this platform's libc). */
public final class Errors {
    private Errors() {}

    private static final ThreadLocal<ByteBuffer> TEXT = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(512));

    /** "ECONNREFUSED", or "errno 1234" when the headers name no such value. */
    public static String errnoName(int errno) {
        String n = Native.shim().ds_errno_name(errno);
        return n != null ? n : "errno " + errno;
    }

    /** strerror_r(3) text. */
    public static String strerror(int errno) {
        ByteBuffer b = TEXT.get();
        int n = Native.shim().ds_strerror(errno, Native.address(b), b.capacity());
        if (n < 0) return "Unknown error " + errno;
        byte[] bytes = new byte[n];
        b.get(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** "EAI_NONAME", or "EAI code -1234" when unknown. */
    public static String eaiName(int code) {
        String n = Native.shim().ds_eai_name(code);
        return n != null ? n : "EAI code " + code;
    }

    /** gai_strerror(3) text. */
    public static String gaiStrerror(int code) {
        String s = Native.shim().ds_gai_strerror(code);
        return s != null ? s : "Unknown error";
    }
}
