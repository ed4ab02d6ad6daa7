package io.dualsock.bindings;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import jnr.ffi.LibraryLoader;

/** The jnr-ffi crossing: Java 17 to 21, and wherever FFM is not chosen ({@link BindingChoice}). */
final class JnrBinding implements Binding {
    static final String NAME = "jnr";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Shim open(Path library) {
        return LibraryLoader.create(Shim.class).failImmediately().load(library.toString());
    }

    /**
     * Read from the buffer itself ({@code java.nio.Buffer.address}, through {@code sun.misc.Unsafe},
     * as jffi does for its own memory access): 1 ns instead of the 20 ns of jffi's JNI call
     * ({@code MemoryIO.getDirectBufferAddress}, measured by FfiBench.directBufferAddress), which
     * stays the fallback where that field cannot be read.
     */
    @Override
    public long address(ByteBuffer direct) {
        return BufferAddress.FAST ? BufferAddress.UNSAFE.getLong(direct, BufferAddress.OFFSET)
                : com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(direct);
    }

    @Override
    public String gnuLibcVersion() {
        return Native.libc().gnu_get_libc_version();
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
