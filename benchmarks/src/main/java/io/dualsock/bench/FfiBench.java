package io.dualsock.bench;

import java.nio.ByteBuffer;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.dualsock.bindings.Native;

/**
 * The FFI floor: {@code dsb_noop5} (libdsbench.so), a function with sendto's argument shape that
 * does nothing, called in the shim's production binding style and in the alternatives that style
 * was chosen against. The C baseline (cbench ffi.noop5) calls it through a function pointer.
 */
@State(Scope.Thread)
public class FfiBench extends BenchDefaults {
    private static final Bindings.BenchLib LIB = Bindings.benchLib();
    private static final io.dualsock.bindings.Shim SHIM = Native.shim();
    private static final Bindings.SaveErrorLong SAVE = Bindings.benchLibAs(Bindings.SaveErrorLong.class);
    private static final Bindings.IgnorePointer PTR = Bindings.benchLibAs(Bindings.IgnorePointer.class);
    private static final Bindings.IgnoreBuffer BUF = Bindings.benchLibAs(Bindings.IgnoreBuffer.class);
    private static final Bindings.IgnoreArray ARR = Bindings.benchLibAs(Bindings.IgnoreArray.class);

    ByteBuffer buffer;
    long address;
    Pointer pointer;
    byte[] array;
    long len = 64;
    Runtime runtime;

    @Setup
    public void setup() {
        buffer = ByteBuffer.allocateDirect(128);
        address = Native.address(buffer);
        runtime = Runtime.getSystemRuntime();
        pointer = Pointer.wrap(runtime, address);
        array = new byte[128];
    }

    /** The production style: @IgnoreError, raw addresses, five parameters. */
    @Benchmark
    public long noop5() {
        return LIB.dsb_noop5(3, address, len, 0, address);
    }

    /** errno saved after the call (jnr-ffi's default), not read. */
    @Benchmark
    public long noop5SaveError() {
        return SAVE.dsb_noop5(3, address, len, 0, address);
    }

    /** errno saved and read back, as a binding of the raw libc call must do on every failure path. */
    @Benchmark
    public long noop5SaveErrorRead() {
        long r = SAVE.dsb_noop5(3, address, len, 0, address);
        return r + runtime.getLastError();
    }

    @Benchmark
    public long noop5Pointer() {
        return PTR.dsb_noop5(3, pointer, len, 0, pointer);
    }

    @Benchmark
    public long noop5DirectByteBuffer() {
        return BUF.dsb_noop5(3, buffer, len, 0, buffer);
    }

    @Benchmark
    public long noop5HeapArray() {
        return ARR.dsb_noop5(3, array, len, 0, array);
    }

    /**
     * What every direct-buffer call pays before the FFI call itself: the buffer's native address
     * (io.dualsock.bindings.Native.address, i.e. jffi's MemoryIO.getDirectBufferAddress).
     */
    @Benchmark
    public long directBufferAddress() {
        return Native.address(buffer);
    }

    /** sendto's six primitive parameters (see BindingCheck for whether the sixth arrives). */
    /** The shim's cheapest call (no arguments) through the active binding: jnr-ffi, or FFM (a critical downcall). */
    @Benchmark
    public int shimAbiVersion() {
        return SHIM.ds_abi_version();
    }

    @Benchmark
    public long noop6() {
        return LIB.dsb_noop6(3, address, len, 0, address, 28);
    }
}
