package io.dualsock;

import static io.dualsock.NativeSocket.AF_INET;
import static io.dualsock.NativeSocket.AF_INET6;
import static io.dualsock.NativeSocket.SOCK_DGRAM;
import static io.dualsock.NativeSocket.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
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

/** Typed socket options: set a value other than the default, read back what the kernel says. */
@ExtendWith(NativeSocketTest.FdLeakCheck.class)
class SocketOptionTest {

    /** First line of a /proc file (Files.readString stops early on /proc's size-0 files). */
    static String procLine(String path) throws IOException {
        return Files.readAllLines(Path.of(path)).get(0).trim();
    }

    private static long sysctl(String name) {
        try {
            return Long.parseLong(procLine("/proc/sys/net/core/" + name));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read net.core." + name + " to predict the kernel's answer", e);
        }
    }

    /** socket(7): the kernel caps the request at the sysctl maximum, then doubles it. */
    private static int doubled(int requested, String maxSysctl) {
        return (int) (2 * Math.min(requested, sysctl(maxSysctl)));
    }

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                // option, family, type, value to set, value the kernel reports back (timeouts are
                // multiples of 20 ms, whole ticks at HZ 100, 250, 300 and 1000)
                Arguments.of(SolSocket.SO_REUSEADDR, AF_INET, SOCK_STREAM, true, true),
                Arguments.of(SolSocket.SO_REUSEPORT, AF_INET6, SOCK_DGRAM, true, true),
                Arguments.of(SolSocket.SO_RCVBUF, AF_INET, SOCK_DGRAM, 32768, doubled(32768, "rmem_max")),
                Arguments.of(SolSocket.SO_SNDBUF, AF_INET6, SOCK_STREAM, 32768, doubled(32768, "wmem_max")),
                Arguments.of(SolSocket.SO_RCVTIMEO, AF_INET, SOCK_DGRAM, Duration.ofMillis(1500), Duration.ofMillis(1500)),
                Arguments.of(SolSocket.SO_SNDTIMEO, AF_INET6, SOCK_STREAM, Duration.ofMillis(2200), Duration.ofMillis(2200)),
                Arguments.of(SolSocket.SO_KEEPALIVE, AF_INET, SOCK_STREAM, true, true),
                Arguments.of(SolSocket.SO_LINGER, AF_INET, SOCK_STREAM, new Linger(true, 7), new Linger(true, 7)),
                Arguments.of(SolSocket.SO_BROADCAST, AF_INET, SOCK_DGRAM, true, true),
                Arguments.of(SolSocket.SO_TIMESTAMPNS, AF_INET6, SOCK_DGRAM, true, true),
                Arguments.of(IpprotoIp.IP_PKTINFO, AF_INET, SOCK_DGRAM, true, true),
                Arguments.of(IpprotoIp.IP_PKTINFO, AF_INET6, SOCK_DGRAM, true, true),
                Arguments.of(IpprotoIp.IP_RECVTOS, AF_INET, SOCK_DGRAM, true, true),
                Arguments.of(IpprotoIpv6.IPV6_RECVPKTINFO, AF_INET6, SOCK_DGRAM, true, true),
                Arguments.of(IpprotoIpv6.IPV6_RECVTCLASS, AF_INET6, SOCK_DGRAM, true, true),
                Arguments.of(SocketOptions.IpprotoUdp.UDP_GRO, AF_INET, SOCK_DGRAM, true, true),
                Arguments.of(IpprotoIp.IP_TTL, AF_INET, SOCK_DGRAM, 17, 17),
                Arguments.of(IpprotoIp.IP_TOS, AF_INET, SOCK_STREAM, 0x10, 0x10),
                Arguments.of(IpprotoIpv6.IPV6_V6ONLY, AF_INET6, SOCK_STREAM, !defaultV6only(), !defaultV6only()),
                Arguments.of(IpprotoIpv6.IPV6_UNICAST_HOPS, AF_INET6, SOCK_DGRAM, 17, 17),
                Arguments.of(IpprotoIpv6.IPV6_TCLASS, AF_INET6, SOCK_DGRAM, 0x20, 0x20),
                Arguments.of(IpprotoTcp.TCP_NODELAY, AF_INET6, SOCK_STREAM, true, true),
                Arguments.of(IpprotoTcp.TCP_KEEPIDLE, AF_INET, SOCK_STREAM, 77, 77),
                Arguments.of(IpprotoTcp.TCP_KEEPINTVL, AF_INET, SOCK_STREAM, 11, 11),
                Arguments.of(IpprotoTcp.TCP_KEEPCNT, AF_INET, SOCK_STREAM, 5, 5));
    }

    private static boolean defaultV6only() {
        try {
            return procLine("/proc/sys/net/ipv6/bindv6only").equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0} on {1}/{2}: set {3}, read {4}")
    @MethodSource("roundTrips")
    <T> void setReadsBackWhatTheKernelKeeps(SocketOption<T> option, int family, int type, T value, T expected)
            throws IOException {
        try (NativeSocket s = NativeSocket.open(family, type)) {
            T before = s.getOption(option);
            assertNotEquals(expected, before, "pick a value different from the default " + before);
            s.setOption(option, value);
            assertEquals(expected, s.getOption(option));
            assertEquals(option.type(), expected.getClass());
            assertFalse(option.isReadOnly());
        }
    }

    @Test
    void receiveBufferReadsBackDoubled() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            s.setOption(SolSocket.SO_RCVBUF, 65536);
            int reported = s.getOption(SolSocket.SO_RCVBUF);
            assertEquals(doubled(65536, "rmem_max"), reported);
            assertEquals(reported, s.getIntOption(SolSocket.SO_RCVBUF.level(), SolSocket.SO_RCVBUF.optname()));
        }
    }

    @Test
    void readOnlyOptionsReportTheSocketAndRefuseSet() throws IOException {
        int tcp = Constants.i("IPPROTO_TCP");
        int udp = Constants.i("IPPROTO_UDP");
        try (NativeSocket s = NativeSocket.open(AF_INET6, SOCK_STREAM); NativeSocket u = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            assertEquals(0, s.getOption(SolSocket.SO_ERROR));
            assertEquals(SOCK_STREAM, s.getOption(SolSocket.SO_TYPE));
            assertEquals(SOCK_DGRAM, u.getOption(SolSocket.SO_TYPE));
            assertEquals(AF_INET6, s.getOption(SolSocket.SO_DOMAIN));
            assertEquals(AF_INET, u.getOption(SolSocket.SO_DOMAIN));
            assertEquals(tcp, s.getOption(SolSocket.SO_PROTOCOL));
            assertEquals(udp, u.getOption(SolSocket.SO_PROTOCOL));
            assertFalse(s.getOption(SolSocket.SO_ACCEPTCONN));
            s.bind(Inet6SockAddr.loopback(0));
            s.listen(1);
            assertTrue(s.getOption(SolSocket.SO_ACCEPTCONN));
            for (SocketOption<Integer> ro : java.util.List.of(SolSocket.SO_ERROR, SolSocket.SO_TYPE, SolSocket.SO_DOMAIN,
                    SolSocket.SO_PROTOCOL)) {
                assertTrue(ro.isReadOnly());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setOption(ro, 1));
                assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> s.setOption(SolSocket.SO_ACCEPTCONN, false));
        }
    }

    @Test
    void rawIntOptionsReachAnything() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            int solSocket = Constants.i("SOL_SOCKET");
            s.setIntOption(solSocket, Constants.i("SO_REUSEADDR"), 1);
            assertTrue(s.getOption(SolSocket.SO_REUSEADDR));
            assertEquals(1, s.getIntOption(solSocket, Constants.i("SO_REUSEADDR")));
            s.setIntOption(Constants.i("IPPROTO_TCP"), Constants.i("TCP_MAXSEG"), 1000);
            assertEquals(1000, s.getIntOption(Constants.i("IPPROTO_TCP"), Constants.i("TCP_MAXSEG")));
            NativeSocketException e = assertThrows(NativeSocketException.class, () -> s.getIntOption(solSocket, 0x7fff));
            assertEquals("ENOPROTOOPT", e.errnoName());
            assertTrue(e.getMessage().startsWith("getsockopt failed: ENOPROTOOPT"), e.getMessage());
        }
    }

    @Test
    void optionOfAnotherProtocolIsTheKernelsError() throws IOException {
        try (NativeSocket u = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            NativeSocketException e = assertThrows(NativeSocketException.class, () -> u.getOption(IpprotoTcp.TCP_NODELAY));
            assertTrue(Set.of("ENOPROTOOPT", "EOPNOTSUPP").contains(e.errnoName()), e.getMessage());
            assertTrue(e.getMessage().contains("[IPPROTO_TCP/TCP_NODELAY]"), e.getMessage());
            // IPv6 options on an IPv4 socket
            assertThrows(NativeSocketException.class, () -> u.setOption(IpprotoIpv6.IPV6_V6ONLY, true));
        }
    }

    @Test
    void timeoutsZeroMeansNoneAndTinyValuesDoNotBecomeZero() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_DGRAM)) {
            s.setOption(SolSocket.SO_RCVTIMEO, Duration.ofSeconds(3));
            s.setOption(SolSocket.SO_RCVTIMEO, Duration.ZERO);
            assertEquals(Duration.ZERO, s.getOption(SolSocket.SO_RCVTIMEO));
            s.setOption(SolSocket.SO_RCVTIMEO, Duration.ofNanos(1));
            Duration tiny = s.getOption(SolSocket.SO_RCVTIMEO);
            assertFalse(tiny.isZero(), "1 ns must be rounded up (to the kernel's tick), never to 'no timeout'");
            assertTrue(tiny.compareTo(Duration.ofMillis(20)) <= 0, tiny.toString()); // one tick at HZ >= 100
        }
    }

    @Test
    void lingerOffKeepsTheTimeTheKernelReports() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            assertEquals(new Linger(false, 0), s.getOption(SolSocket.SO_LINGER));
            s.setOption(SolSocket.SO_LINGER, new Linger(true, 9));
            s.setOption(SolSocket.SO_LINGER, new Linger(false, 0));
            assertEquals(new Linger(false, 9), s.getOption(SolSocket.SO_LINGER)); // l_linger stays, as the kernel keeps it
        }
    }

    @Test
    void badValuesAreRefusedBeforeTheCall() throws IOException {
        try (NativeSocket s = NativeSocket.open(AF_INET, SOCK_STREAM)) {
            int before = s.getOption(SolSocket.SO_RCVBUF);
            assertThrows(IllegalArgumentException.class, () -> s.setOption(SolSocket.SO_RCVBUF, -1));
            assertThrows(IllegalArgumentException.class, () -> s.setOption(SolSocket.SO_SNDBUF, Integer.MIN_VALUE));
            assertThrows(NullPointerException.class, () -> s.setOption(SolSocket.SO_RCVBUF, null));
            assertThrows(NullPointerException.class, () -> s.getOption(null));
            assertEquals(before, s.getOption(SolSocket.SO_RCVBUF));
        }
    }

    @Test
    void optionsAreNamedAfterC() {
        Set<String> names = new HashSet<>();
        for (SocketOption<?> o : SocketOptions.all()) {
            assertTrue(names.add(o.toString()), "duplicate " + o);
            assertEquals(Constants.i(o.name()), o.optname());
            assertEquals(Constants.i(o.levelName()), o.level());
        }
        assertEquals("SOL_SOCKET/SO_RCVBUF", SolSocket.SO_RCVBUF.toString());
        assertEquals("IPPROTO_IPV6/IPV6_V6ONLY", IpprotoIpv6.IPV6_V6ONLY.toString());
        assertEquals(Duration.class, SolSocket.SO_RCVTIMEO.type());
    }
}
