package io.dualsock.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The FFM crossing ({@code java.lang.foreign}, Java 22+): downcall handles into the shim, no
 * {@code sun.misc.Unsafe} and no jnr-ffi. Made by {@link BindingChoice} by name only.
 */
final class FfmBinding implements Binding {
    /** Every native address, for reading C strings and the shim's own structs at a raw address. */
    static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    FfmBinding() {}

    @Override
    public String name() {
        return BindingChoice.FFM;
    }

    @Override
    public Shim open(Path library) {
        SymbolLookup lib;
        try {
            // Arena.global(): the library stays mapped for the life of the process, as with jnr
            lib = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new UnsatisfiedLinkError(e.getMessage() + ": " + dlopenError(library));
        }
        return FfmShim.bind(lib);
    }

    /**
     * Why dlopen failed ("failed to map segment from shared object" on a noexec mount, which the
     * loader's message points at): libraryLookup drops dlerror's text; System.load keeps it.
     */
    private static String dlopenError(Path library) {
        try {
            System.load(library.toString());
            return "dlopen failed, then System.load succeeded";
        } catch (UnsatisfiedLinkError e) {
            return e.getMessage();
        }
    }

    /** {@code MemorySegment.ofBuffer} starts at the position; its address less the position is the first byte's. */
    @Override
    public long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address() - direct.position();
    }

    @Override
    public String gnuLibcVersion() {
        Optional<MemorySegment> f = Linker.nativeLinker().defaultLookup().find("gnu_get_libc_version");
        if (f.isEmpty()) return null;
        MethodHandle h = Linker.nativeLinker().downcallHandle(f.get(), FunctionDescriptor.of(ValueLayout.ADDRESS));
        try {
            return string((MemorySegment) h.invokeExact());
        } catch (Throwable t) {
            throw FfmShim.rethrow(t);
        }
    }

    /** A NUL-terminated UTF-8 string the C side owns, or null for NULL. */
    static String string(MemorySegment p) {
        return p.address() == 0 ? null : EVERYTHING.getString(p.address());
    }
}
