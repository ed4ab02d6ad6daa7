package io.dualsock.bindings;

import java.nio.ByteBuffer;

import jnr.ffi.LibraryLoader;

/**
 * The loaded libraries, created lazily on first use and shared by the whole process.
 * Internal to dualsock.
 */
public final class Native {
    private Native() {}

    private static final class Holder {
        static final NativeLoader.Loaded LOADED = NativeLoader.load();
    }

    private static final class LibCHolder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).failImmediately().load("c");
    }

    /** The shim; the first call loads it and may throw {@link UnsatisfiedLinkError}. */
    public static Shim shim() {
        return Holder.LOADED.shim();
    }

    public static LibC libc() {
        return LibCHolder.LIBC;
    }

    /** Where the shim came from, for diagnostics ({@code dualsock selftest}). */
    public static String librarySource() {
        return Holder.LOADED.source();
    }

    public static String libraryPath() {
        return Holder.LOADED.path();
    }

    /** Native address of a direct buffer's first byte (not its position). */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(direct);
    }
}
