package io.dualsock.testsupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * libc's {@code inet_pton(3)} and {@code inet_ntop(3)}, the references dualsock's address text
 * is held to: {@code dsb_inet_pton}/{@code dsb_inet_ntop} of {@code libdsbench.so}
 * (c-shim/bench/dsb_libc.c), which the production library does not carry. Surefire passes the
 * library's path as {@code ds.dsbench}; without it the build's own
 * {@code ../native-bindings/target/cmake/libdsbench.so} is used.
 */
public final class LibcText {
    private LibcText() {}

    /** The two wrappers, bound as jnr-ffi binds them (arrays copied in and out). */
    public interface Lib {
        @IgnoreError int dsb_inet_pton(int family, @In byte[] src, @Out byte[] dst16);

        @IgnoreError int dsb_inet_ntop(int family, @In byte[] src, @Out byte[] dst, int dstlen);
    }

    private static final class Holder {
        static final Lib LIB = load();
    }

    /** The library: {@code ds.dsbench}, else the build's own. */
    public static Path path() {
        String p = System.getProperty("ds.dsbench");
        if (p != null) return Path.of(p);
        return Path.of(System.getProperty("user.dir")).resolve("../native-bindings/target/cmake/libdsbench.so").normalize();
    }

    private static Lib load() {
        Path p = path();
        if (!Files.isRegularFile(p)) throw new IllegalStateException("libdsbench.so is not built at " + p + " (system property ds.dsbench)");
        return LibraryLoader.create(Lib.class).failImmediately().load(p.toString());
    }

    /**
     * {@code inet_pton(family, text)} on the text's bytes (NUL added): the address (4 or 16 bytes
     * by family), or null when libc returns 0 (not an address of that family).
     *
     * @throws IllegalStateException when libc fails (-errno, e.g. an unknown family)
     */
    public static byte[] pton(int family, byte[] text, int addressLength) {
        byte[] src = new byte[text.length + 1];
        System.arraycopy(text, 0, src, 0, text.length);
        byte[] dst = new byte[16];
        int rc = Holder.LIB.dsb_inet_pton(family, src, dst);
        if (rc < 0) throw new IllegalStateException("inet_pton failed: " + rc);
        if (rc == 0) return null;
        byte[] out = new byte[addressLength];
        System.arraycopy(dst, 0, out, 0, addressLength);
        return out;
    }

    /**
     * {@code inet_ntop(family, address)} into a 64-byte buffer: the text.
     *
     * @throws IllegalStateException when libc fails (-errno)
     */
    public static String ntop(int family, byte[] address) {
        byte[] src = new byte[16];
        System.arraycopy(address, 0, src, 0, Math.min(address.length, 16));
        byte[] dst = new byte[64];
        int n = Holder.LIB.dsb_inet_ntop(family, src, dst, dst.length);
        if (n <= 0) throw new IllegalStateException("inet_ntop failed: " + n);
        return new String(dst, 0, n, StandardCharsets.US_ASCII);
    }
}
