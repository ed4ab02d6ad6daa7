package io.dualsock.bindings;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One way of crossing from Java to the C shim: jnr-ffi ({@link JnrBinding}, every Java from 17) or
 * the FFM API ({@code FfmBinding}, Java 22+, compiled from {@code src/main/java22}). Which one a
 * process uses is decided once, by {@link BindingChoice}; everything above this package sees only
 * {@link Shim} and {@link Native#address}. Internal to dualsock.
 */
interface Binding {
    /** {@code "ffm"} or {@code "jnr"}: the value {@value BindingChoice#PROPERTY} takes. */
    String name();

    /**
     * Loads the shim from this file and binds every function of {@link Shim}.
     *
     * @throws RuntimeException or {@link LinkageError} when the file is not a loadable library
     *     or lacks a symbol
     */
    Shim open(Path library);

    /** Native address of a direct buffer's first byte (not its position). */
    long address(ByteBuffer direct);

    /** {@code gnu_get_libc_version()}, or null when libc is not glibc (the symbol is missing). */
    String gnuLibcVersion();
}
