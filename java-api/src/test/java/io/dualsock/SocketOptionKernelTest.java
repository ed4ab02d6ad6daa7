package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static io.dualsock.NativeSocket.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dualsock.SocketOptions.IpprotoIp;
import io.dualsock.SocketOptions.IpprotoIpv6;
import io.dualsock.SocketOptions.IpprotoTcp;
import io.dualsock.SocketOptions.Linger;
import io.dualsock.SocketOptions.SolSocket;
import io.dualsock.bindings.Constants;
import io.dualsock.bindings.Native;

/**
 * The typed options against the kernel, not against themselves: each value set through
 * {@link NativeSocket#setOption} is read back with a plain {@code getsockopt(2)} (the shim's
 * {@code ds_getsockopt}, level and name looked up by their C names here, the struct layouts from
 * the headers), and a value set with a plain {@code setsockopt(2)} is what
 * {@link NativeSocket#getOption} reports. A typed option with the wrong level or name, or a
 * value encoded wrongly, fails here even when its own set and get agree.
 */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class SocketOptionKernelTest {

    static Stream<Arguments> options() {
        return Stream.of(
                // option, its C level and name, family, type, value set, what getsockopt gives as an int
                Arguments.of(SolSocket.SO_REUSEADDR, "SOL_SOCKET", "SO_REUSEADDR", AF_INET, SOCK_STREAM, true, 1),
                Arguments.of(SolSocket.SO_REUSEPORT, "SOL_SOCKET", "SO_REUSEPORT", AF_INET6, SOCK_DGRAM, true, 1),
                Arguments.of(SolSocket.SO_KEEPALIVE, "SOL_SOCKET", "SO_KEEPALIVE", AF_INET, SOCK_STREAM, true, 1),
                Arguments.of(SolSocket.SO_BROADCAST, "SOL_SOCKET", "SO_BROADCAST", AF_INET, SOCK_DGRAM, true, 1),
                Arguments.of(SolSocket.SO_RCVBUF, "SOL_SOCKET", "SO_RCVBUF", AF_INET, SOCK_DGRAM, 12345, null),
                Arguments.of(SolSocket.SO_SNDBUF, "SOL_SOCKET", "SO_SNDBUF", AF_INET6, SOCK_STREAM, 23456, null),
                Arguments.of(IpprotoIp.IP_TTL, "IPPROTO_IP", "IP_TTL", AF_INET, SOCK_DGRAM, 17, 17),
                Arguments.of(IpprotoIp.IP_TOS, "IPPROTO_IP", "IP_TOS", AF_INET, SOCK_STREAM, 0x10, 0x10),
                Arguments.of(IpprotoIpv6.IPV6_V6ONLY, "IPPROTO_IPV6", "IPV6_V6ONLY", AF_INET6, SOCK_STREAM, true, 1),
                Arguments.of(IpprotoIpv6.IPV6_UNICAST_HOPS, "IPPROTO_IPV6", "IPV6_UNICAST_HOPS", AF_INET6, SOCK_DGRAM, 19, 19),
                Arguments.of(IpprotoIpv6.IPV6_TCLASS, "IPPROTO_IPV6", "IPV6_TCLASS", AF_INET6, SOCK_DGRAM, 0x20, 0x20),
                Arguments.of(IpprotoTcp.TCP_NODELAY, "IPPROTO_TCP", "TCP_NODELAY", AF_INET6, SOCK_STREAM, true, 1),
                Arguments.of(IpprotoTcp.TCP_KEEPIDLE, "IPPROTO_TCP", "TCP_KEEPIDLE", AF_INET, SOCK_STREAM, 77, 77),
                Arguments.of(IpprotoTcp.TCP_KEEPINTVL, "IPPROTO_TCP", "TCP_KEEPINTVL", AF_INET, SOCK_STREAM, 11, 11),
                Arguments.of(IpprotoTcp.TCP_KEEPCNT, "IPPROTO_TCP", "TCP_KEEPCNT", AF_INET, SOCK_STREAM, 5, 5));
    }

    /** getsockopt(2) of an int option, straight through the shim. */
    static int kernelInt(NativeSocket s, String level, String name) {
        ByteBuffer v = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        ByteBuffer len = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, 4);
        int rc = Native.shim().ds_getsockopt(s.fd(), Constants.i(level), Constants.i(name), Native.address(v), Native.address(len));
        assertEquals(0, rc, "getsockopt " + level + "/" + name);
        assertEquals(4, len.getInt(0));
        return v.getInt(0);
    }

    /** setsockopt(2) of an int option, straight through the shim. */
    static void kernelSetInt(NativeSocket s, String level, String name, int value) {
        ByteBuffer v = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, value);
        assertEquals(0, Native.shim().ds_setsockopt(s.fd(), Constants.i(level), Constants.i(name), Native.address(v), 4));
    }

    @ParameterizedTest(name = "{1}/{2}: set {5}, getsockopt gives {6}")
    @MethodSource("options")
    <T> void setThroughTheTypedOptionIsWhatGetsockoptReads(SocketOption<T> option, String level, String name, int family,
            int type, T value, Integer kernel) throws IOException {
        try (NativeSocket s = NativeSocket.open(family, type)) {
            int before = kernelInt(s, level, name);
            s.setOption(option, value);
            int after = kernelInt(s, level, name);
            if (kernel == null) {
                // buffer sizes: the kernel doubles what it keeps (socket(7)); only the change is its own
                assertTrue(after != before && after >= (Integer) value, "getsockopt " + before + " -> " + after);
            } else {
                assertEquals(kernel.intValue(), after);
            }
            assertEquals(option.type() == Boolean.class ? (Object) (after != 0) : (Object) after, s.getOption(option));
        }
    }

    @ParameterizedTest(name = "{1}/{2}: setsockopt, then the typed option")
    @MethodSource("options")
    <T> void setsockoptIsWhatTheTypedOptionReads(SocketOption<T> option, String level, String name, int family, int type,
            T value, Integer kernel) throws IOException {
        try (NativeSocket s = NativeSocket.open(family, type)) {
            int raw = value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value;
            kernelSetInt(s, level, name, raw);
            int kept = kernelInt(s, level, name);
            assertEquals(option.type() == Boolean.class ? (Object) (kept != 0) : (Object) kept, s.getOption(option));
        }
    }

    @org.junit.jupiter.api.Test
    void timeoutsAndLingerAreTheKernelsStructs() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            s.setOption(SolSocket.SO_RCVTIMEO, Duration.ofMillis(1500));
            ByteBuffer tv = getStruct(s, "SO_RCVTIMEO", "struct timeval");
            assertEquals(1, field(tv, "struct timeval", "tv_sec"));
            assertEquals(500_000, field(tv, "struct timeval", "tv_usec"));
            s.setOption(SolSocket.SO_LINGER, new Linger(true, 7));
            ByteBuffer l = getStruct(s, "SO_LINGER", "struct linger");
            assertEquals(1, field(l, "struct linger", "l_onoff"));
            assertEquals(7, field(l, "struct linger", "l_linger"));
        }
    }

    private static ByteBuffer getStruct(NativeSocket s, String name, String struct) {
        int size = Constants.i("sizeof(" + struct + ")");
        ByteBuffer v = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
        ByteBuffer len = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, size);
        assertEquals(0, Native.shim().ds_getsockopt(s.fd(), Constants.i("SOL_SOCKET"), Constants.i(name), Native.address(v),
                Native.address(len)));
        assertEquals(size, len.getInt(0));
        return v;
    }

    private static long field(ByteBuffer b, String struct, String f) {
        int off = Constants.i("offsetof(" + struct + "," + f + ")");
        int size = Constants.i("sizeof(" + struct + "." + f + ")");
        return size == 8 ? b.getLong(off) : b.getInt(off);
    }
}
