package io.dualsock.bench;

import java.nio.ByteBuffer;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.SaveError;

import io.dualsock.bindings.Native;

/**
 * The same C functions bound in the styles that the binding-style benchmarks compare. The
 * production binding is {@link io.dualsock.bindings.Shim}: {@code @IgnoreError}, raw
 * {@code long} addresses, at most five parameters.
 */
final class Bindings {
    private Bindings() {}

    /** errno saved after every call: jnr-ffi's default. */
    public interface SaveErrorLong {
        @SaveError long ds_noop5(int a, long b, long c, int d, long e);
    }

    public interface IgnorePointer {
        @IgnoreError long ds_noop5(int a, Pointer b, long c, int d, Pointer e);
    }

    public interface IgnoreBuffer {
        @IgnoreError long ds_noop5(int a, ByteBuffer b, long c, int d, ByteBuffer e);
    }

    public interface IgnoreArray {
        @IgnoreError long ds_noop5(int a, byte[] b, long c, int d, byte[] e);
    }

    /** c-shim/bench/benchlib.c: six-parameter calls. */
    public interface BenchLib {
        @IgnoreError long dsb_noop6(int fd, long buf, long len, int flags, long sa, int salen);

        @IgnoreError long dsb_echo6(int a, long b, long c, int d, long e, int f, int which);

        @IgnoreError long dsb_sixth_i32(int a, long b, long c, int d, long e, int f);

        @IgnoreError long dsb_sixth_i64(long a, long b, long c, long d, long e, long f);

        @IgnoreError long dsb_fifth_i32(int a, long b, long c, int d, int e);

        @IgnoreError long dsb_sixth_i32(int a, Pointer b, long c, int d, Pointer e, int f);

        // C loops for PairedBench: n operations per call, n or -errno back.
        @IgnoreError long dsb_loop_noop5(long n);

        @IgnoreError long dsb_loop_sendto(int fd, long buf, long len, long sa, long n);

        @IgnoreError long dsb_loop_send(int fd, long buf, long len, long n);

        @IgnoreError long dsb_loop_recvfrom(int fd, long buf, long len, long n);

        @IgnoreError long dsb_loop_recv(int fd, long buf, long len, long n);

        @IgnoreError long dsb_loop_gai(long host, long hints4, long n);

        @IgnoreError long dsb_loop_sendmmsg(int fd, long buf, long sa, int vlen, long n);

        @IgnoreError long dsb_loop_gso(int fd, long buf, long sa, int segs, long n);

        @IgnoreError long dsb_loop_recvmmsg(int fd, long buf, int vlen, long n);
    }

    static <T> T shimAs(Class<T> type) {
        return LibraryLoader.create(type).failImmediately().load(Native.libraryPath());
    }

    /** libdsbench.so from -Ddualsock.bench.lib (benchmarks/run.sh sets it). */
    static BenchLib benchLib() {
        String path = System.getProperty("dualsock.bench.lib");
        if (path == null) {
            throw new IllegalStateException("set -Ddualsock.bench.lib to the libdsbench.so that CMake built");
        }
        return LibraryLoader.create(BenchLib.class).failImmediately().load(path);
    }
}
