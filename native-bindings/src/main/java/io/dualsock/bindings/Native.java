package io.dualsock.bindings;

import java.nio.ByteBuffer;

import jnr.ffi.LibraryLoader;

/**
 * The loaded libraries (the shim and libc), created lazily on first use and shared by the whole process.
 * Internal to dualsock.
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

    /** libc itself, for the few calls neither the shim nor jnr-posix makes ({@link LibC}). */
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
     * Native address of a direct buffer's first byte (not its position).
     *
     * <p>Every send and receive on a direct buffer asks this, so it is read from the buffer
     * itself ({@code java.nio.Buffer.address}, through {@code sun.misc.Unsafe}, as jffi does for
     * its own memory access): 1 ns instead of the 20 ns of jffi's JNI call
     * ({@code MemoryIO.getDirectBufferAddress}, measured by FfiBench.directBufferAddress), which
     * stays the fallback where that field cannot be read.
     */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return BufferAddress.FAST ? BufferAddress.UNSAFE.getLong(direct, BufferAddress.OFFSET)
                : com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(direct);
    }

    /** Where {@code Buffer.address} lives, found once; FAST only when it checks out on a real buffer. */
    private static final class BufferAddress {
        static final sun.misc.Unsafe UNSAFE;
        static final long OFFSET;
        static final boolean FAST;

        static {
            sun.misc.Unsafe u = null;
            long off = -1;
            boolean ok = false;
            // -Djffi.unsafe.disabled=true says sun.misc.Unsafe must stay unused (Java 24+ warns on
            // its first use, JEP 498): jffi's JNI call then; a denied Unsafe fails the probe below.
            if (!Boolean.getBoolean("jffi.unsafe.disabled")) try {
                java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                u = (sun.misc.Unsafe) f.get(null);
                off = u.objectFieldOffset(java.nio.Buffer.class.getDeclaredField("address"));
                ByteBuffer probe = ByteBuffer.allocateDirect(16);
                ok = u.getLong(probe, off) == com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(probe)
                        && u.getLong(probe.slice(8, 8), off) == com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(probe) + 8;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                ok = false; // jffi's JNI call then
            }
            UNSAFE = u;
            OFFSET = off;
            FAST = ok;
        }
    }
}
