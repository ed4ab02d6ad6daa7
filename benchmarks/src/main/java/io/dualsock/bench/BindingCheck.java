package io.dualsock.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

import io.dualsock.bindings.Errors;
import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.bindings.Shim;

/**
 * Checks, not timings: does each argument of a six-parameter jnr-ffi call arrive intact?
 * (jnr-ffi issue 181: a garbage sixth argument was seen with six primitive parameters.)
 * Prints JSON for the report; exit status 0 either way, the finding is the output.
 */
public final class BindingCheck {
    private BindingCheck() {}

    public static void main(String[] args) {
        Bindings.BenchLib lib = Bindings.benchLib();
        Runtime rt = Runtime.getSystemRuntime();
        long addr = Native.address(ByteBuffer.allocateDirect(64));
        Pointer p = Pointer.wrap(rt, addr);
        Map<String, String> out = new LinkedHashMap<>();
        int[] sixth = {28, 16, 0, -1, 0x7fffffff, 123456};
        // Repeated so that jnr-ffi's and the JIT's later call paths are exercised too.
        out.put("six primitives (int,long,long,int,long,int): 6th argument",
                check(() -> lib.dsb_sixth_i32(3, addr, 64, 0, addr, sixth[k() % sixth.length]), sixth));
        long[] sixthL = {28, 1L << 40, -5, 0};
        out.put("six longs: 6th argument",
                check(() -> lib.dsb_sixth_i64(1, 2, 3, 4, 5, sixthL[k() % sixthL.length]), sixthL));
        out.put("five primitives (int,long,long,int,int): 5th argument",
                check(() -> lib.dsb_fifth_i32(3, addr, 64, 0, sixth[k() % sixth.length]), sixth));
        out.put("six with Pointer parameters (int,Pointer,long,int,Pointer,int): 6th argument",
                check(() -> lib.dsb_sixth_i32(3, p, 64, 0, p, sixth[k() % sixth.length]), sixth));
        out.put("seven primitives (echo of the 6th)",
                check(() -> lib.dsb_echo6(3, addr, 64, 0, addr, sixth[k() % sixth.length], 6), sixth));
        out.put("UDP_SEGMENT on this kernel", udpSegment());
        out.put("binding dualsock crossed with", Native.binding() + " (" + Native.bindingReason() + ")");
        StringBuilder sb = new StringBuilder("{\n");
        List<String> lines = new ArrayList<>();
        out.forEach((k, v) -> lines.add("  \"" + k + "\": \"" + v + "\""));
        sb.append(String.join(",\n", lines)).append("\n}\n");
        System.out.print(sb);
    }

    private static String udpSegment() {
        Shim shim = Native.shim();
        int fd = shim.ds_socket(Platform.AF_INET, Platform.SOCK_DGRAM, 0);
        if (fd < 0) return "unknown (socket: " + Errors.errnoName(-fd) + ")";
        try {
            int rc = shim.ds_udp_segment_supported(fd);
            return rc == 1 ? "supported" : rc == 0 ? "not supported (getsockopt UDP_SEGMENT refused)" : "unknown (" + Errors.errnoName(-rc) + ")";
        } finally {
            shim.ds_close(fd);
        }
    }

    private static int counter;

    private static int k() {
        return counter;
    }

    private interface Call {
        long run();
    }

    private static String check(Call c, int[] expected) {
        long[] e = new long[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = expected[i];
        return check(c, e);
    }

    /** Calls 200 000 times (interpreted, then compiled); reports the first mismatch. */
    private static String check(Call c, long[] expected) {
        int bad = 0;
        String first = null;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counter = i;
            long want = expected[i % expected.length];
            long got = c.run();
            if (got != want) {
                bad++;
                if (first == null) first = "call " + i + ": passed " + want + ", C received " + got;
            }
        }
        return bad == 0 ? "ok (" + n + " calls)" : "WRONG in " + bad + " of " + n + " calls; first: " + first;
    }
}
