package io.dualsock.bench;

import java.nio.ByteBuffer;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.SaveError;

/**
 * The C functions of {@code libdsbench.so} (c-shim/bench/benchlib.c). {@link BenchLib} binds
 * them in the production style of {@link io.dualsock.bindings.Shim}: {@code @IgnoreError}, raw
 * {@code long} addresses; the other interfaces bind {@code dsb_noop5} in the styles that style
 * was chosen against.
 */
final class Bindings {
    private Bindings() {}

    /** errno saved after every call: jnr-ffi's default. */
    public interface SaveErrorLong {
        @SaveError long dsb_noop5(int a, long b, long c, int d, long e);
    }

    public interface IgnorePointer {
        @IgnoreError long dsb_noop5(int a, Pointer b, long c, int d, Pointer e);
    }

    public interface IgnoreBuffer {
        @IgnoreError long dsb_noop5(int a, ByteBuffer b, long c, int d, ByteBuffer e);
    }

    public interface IgnoreArray {
        @IgnoreError long dsb_noop5(int a, byte[] b, long c, int d, byte[] e);
    }

    public interface BenchLib {
        /** sendto's argument shape, does nothing: the FFI floor, bound as Shim binds the shim. */
        @IgnoreError long dsb_noop5(int a, long b, long c, int d, long e);

        // Six-parameter calls (jnr-ffi issue 181).
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

        @IgnoreError long dsb_loop_recvmsg_pktinfo(int fd, long buf, long len, long n);

        @IgnoreError long dsb_loop_recvmsg_gro(int fd, long buf, long len, long datagrams);
    }

    /** libdsbench.so from -Ddualsock.bench.lib (benchmarks/run.sh sets it), bound as type. */
    static <T> T benchLibAs(Class<T> type) {
        String path = System.getProperty("dualsock.bench.lib");
        if (path == null) {
            throw new IllegalStateException("set -Ddualsock.bench.lib to the libdsbench.so that CMake built");
        }
        return LibraryLoader.create(type).failImmediately().load(path);
    }

    static BenchLib benchLib() {
        return benchLibAs(BenchLib.class);
    }
}
