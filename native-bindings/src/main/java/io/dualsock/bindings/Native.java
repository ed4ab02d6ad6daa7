package io.dualsock.bindings;

import java.nio.ByteBuffer;

import jnr.ffi.LibraryLoader;

/**
 * The loaded libraries (the shim and libc), created lazily on first use and shared by the whole process,
 * and the binding that crosses to them ({@link #binding()}). Internal to dualsock.
 */
public final class Native {
    private Native() {}

    private static final class LibCHolder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
    }

    /** The shim; the first call loads it and may throw {@link UnsatisfiedLinkError}, as does every later one then. */
    public static Shim shim() {
        return NativeLoader.loaded().shim();
    }

    /**
     * libc itself, for the few calls neither the shim nor jnr-posix makes ({@link LibC}): always
     * through jnr-ffi, whatever {@link #binding()} is (the lab and tests use it, the library does not).
     */
    public static LibC libc() {
        return LibCHolder.LIBC;
    }

    /** Where the shim came from, for diagnostics ({@code dualsock selftest}). */
    public static String librarySource() {
        return NativeLoader.loaded().source();
    }

    public static String libraryPath() {
        return NativeLoader.loaded().path();
    }

    /**
     * Native address of a direct buffer's first byte (not its position): read from the buffer by
     * the active binding, without a native call (jnr: {@code sun.misc.Unsafe}; FFM:
     * {@code MemorySegment.ofBuffer}).
     */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return Choice.BINDING.address(direct);
    }

    /** {@code gnu_get_libc_version()} through the active binding, or null when libc is not glibc. */
    public static String gnuLibcVersion() {
        return Choice.BINDING.gnuLibcVersion();
    }

    /** The binding in use, {@code ffm} or {@code jnr} (chosen once; see {@link #bindingReason()}). */
    public static String binding() {
        return Choice.BINDING.name();
    }

    /** Why that binding: the Java version and {@code -Ddualsock.binding}, for {@code dualsock selftest}. */
    public static String bindingReason() {
        return Choice.CHOICE.reason();
    }

    static Binding activeBinding() {
        return Choice.BINDING;
    }

    /** The binding, decided on first use (an unknown -Ddualsock.binding fails here, once). */
    private static final class Choice {
        static final BindingChoice CHOICE = BindingChoice.decide();
        static final Binding BINDING = CHOICE.binding();
    }
}
