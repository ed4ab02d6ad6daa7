package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.dualsock.bindings.Native;
import io.dualsock.bindings.Platform;
import io.dualsock.testsupport.GaiRef;

/**
 * SockAddr text with scopes, conversion to and from the JDK's InetSocketAddress (checked
 * against what the JDK really does with mapped bytes), and SockAddrCodec's kernel bytes.
 */
class SockAddrTest {

    static int ifIndex(String name) {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        b.put(name.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
        int i = Native.shim().ds_if_nametoindex(Native.address(b));
        Reference.reachabilityFence(b);
        return i;
    }

    // ---- parse ----

    @Test
    void parsesBothFamiliesAndKeepsMappedAsIpv6() {
        assertEquals(new Inet4SockAddr(new byte[] {(byte) 198, 51, 100, 1}, 80), SockAddr.parse("198.51.100.1", 80));
        SockAddr m = SockAddr.parse("::ffff:198.51.100.1", 443);
        Inet6SockAddr m6 = assertInstanceOf(Inet6SockAddr.class, m);
        assertTrue(m6.isV4Mapped());
        assertEquals("::ffff:198.51.100.1", m6.address());
        assertEquals(Inet4SockAddr.parse("198.51.100.1", 443), m6.v4());
        assertEquals(m6, m6.v4().toMapped());
        assertEquals(Platform.AF_INET6, m.family());
        assertFalse(Inet6SockAddr.parse("::198.51.100.1", 1).isV4Mapped());
        assertFalse(Inet6SockAddr.parse("::fffe:198.51.100.1", 1).isV4Mapped());
        assertFalse(Inet6SockAddr.parse("1::ffff:198.51.100.1", 1).isV4Mapped());
        assertThrows(IllegalStateException.class, () -> Inet6SockAddr.loopback(1).v4());
        assertEquals("[::1]:8080", Inet6SockAddr.loopback(8080).toString());
        assertEquals("198.51.100.1:0", Inet4SockAddr.parse("198.51.100.1", 0).toString());
    }

    @Test
    void scopes() {
        int lo = ifIndex("lo");
        assertTrue(lo > 0, "lo has an index");
        assertEquals(lo, Inet6SockAddr.parse("fe80::1%lo", 22).scopeId());
        assertEquals(1, Inet6SockAddr.parse("fe80::1%1", 22).scopeId());
        assertEquals(1, Inet6SockAddr.parse("fe80::1%01", 22).scopeId());
        assertEquals(0xffffffffL, Integer.toUnsignedLong(Inet6SockAddr.parse("fe80::1%4294967295", 0).scopeId()));
        assertEquals("[fe80::1%" + lo + "]:22", Inet6SockAddr.parse("fe80::1%lo", 22).toString());
        assertTrue(ifIndex("nosuchif") < 0, "an unknown name is -errno, not an index");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> SockAddr.parse("fe80::1%nosuchif", 1));
        assertTrue(unknown.getMessage().contains("\"nosuchif\" (if_nametoindex: ENODEV"), unknown.getMessage());
        for (String bad : List.of("fe80::1%nosuchif", "fe80::1%", "fe80::1%lo\0", "fe80::1%\0", "fe80::\0%1", "fe80::1%4294967296",
                "fe80::1%99999999999999999999", "fe80::1%-1", "fe80::1%+1", "fe80::1%lo%lo", "%lo", "1.2.3.4%1", "1.2.3.4%lo",
                "fe80::1%" + "x".repeat(100), "fe80::1%lo ", "fe80::1 %lo")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SockAddr.parse(bad, 1), bad);
            assertFalse(e.getMessage().indexOf('\0') >= 0, "message shows no raw NUL: " + e.getMessage());
        }
    }

    /** For link-local addresses the scope reads as getaddrinfo(AI_NUMERICHOST) reads it. */
    @Test
    void scopeLikeGetaddrinfo() throws Exception {
        Hints h = Hints.builder().inet6().stream().flags(AiFlag.NUMERICHOST).build();
        for (String text : List.of("fe80::1%lo", "fe80::1%1", "fe80::1%01", "fe80::1%4294967295", "ff02::1%lo",
                "fe80::1%nosuchif", "fe80::1%", "fe80::1%4294967296", "fe80::1%1x")) {
            GaiRef.Output ref = AddrInfoLines.ask(text, "22", h);
            if (ref.isError()) {
                assertThrows(IllegalArgumentException.class, () -> SockAddr.parse(text, 22), text);
            } else {
                Inet6SockAddr a = Inet6SockAddr.parse(text, 22);
                assertEquals(ref.lines(), AddrInfoLines.lines(Resolver.getaddrinfo(text, "22", h)), text);
                assertEquals(ref.lines().get(0).split(" ")[6], Integer.toUnsignedString(a.scopeId()), text);
            }
        }
    }

    @Test
    void badTextAndPorts() {
        assertThrows(NullPointerException.class, () -> SockAddr.parse(null, 1));
        for (String bad : List.of("", "127.1", "0x7f.0.0.1", "1.2.3.4 ", "localhost", "[::1]", "::1/128", "1::2::3", "\0")) {
            assertThrows(IllegalArgumentException.class, () -> SockAddr.parse(bad, 1), bad);
        }
        for (int port : new int[] {-1, 65536, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> SockAddr.parse("::1", port));
            assertThrows(IllegalArgumentException.class, () -> SockAddr.parse("1.2.3.4", port));
            assertThrows(IllegalArgumentException.class, () -> Inet6SockAddr.loopback(1).withPort(port));
        }
        assertThrows(IllegalArgumentException.class, () -> Inet6SockAddr.parse("1.2.3.4", 1));
        assertThrows(IllegalArgumentException.class, () -> Inet4SockAddr.parse("::1", 1));
        assertThrows(IllegalArgumentException.class, () -> new Inet4SockAddr(new byte[16], 1));
        assertThrows(IllegalArgumentException.class, () -> new Inet6SockAddr(new byte[4], 1, 0, 0));
        assertThrows(NullPointerException.class, () -> new Inet6SockAddr(null, 1, 0, 0));
    }

    // ---- InetSocketAddress ----

    @Test
    void mappedStaysMappedInTheJdk() throws Exception {
        Inet6SockAddr m = Inet6SockAddr.parse("::ffff:198.51.100.1", 80);
        InetSocketAddress isa = m.toInetSocketAddress();
        Inet6Address a6 = assertInstanceOf(Inet6Address.class, isa.getAddress());
        assertArrayEquals(m.addressBytes(), a6.getAddress());
        assertEquals(80, isa.getPort());
        assertFalse(isa.isUnresolved());
        // whereas the JDK's own factory and parser turn the same bytes into IPv4
        assertInstanceOf(Inet4Address.class, InetAddress.getByAddress(m.addressBytes()));
        assertInstanceOf(Inet4Address.class, InetAddress.getByName("::ffff:198.51.100.1"));
        // and back without losing it
        assertEquals(m, SockAddr.of(isa));
        InetSocketAddress un = m.toInetSocketAddressUnmapped();
        assertInstanceOf(Inet4Address.class, un.getAddress());
        assertEquals(new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 1}), 80), un);
        assertEquals(m.v4(), SockAddr.of(un));
    }

    @Test
    void scopeAndFlowInTheJdk() throws Exception {
        Inet6SockAddr scoped = new Inet6SockAddr(InetText.parse6("fe80::1"), 22, 0, 7);
        Inet6Address a6 = (Inet6Address) scoped.toInetSocketAddress().getAddress();
        assertEquals(7, a6.getScopeId());
        assertEquals(scoped, SockAddr.of(scoped.toInetSocketAddress()));
        // no scope: the same text as the JDK's own ::1, no "%0"
        Inet6SockAddr lo = Inet6SockAddr.loopback(1);
        assertEquals(InetAddress.getByName("::1").getHostAddress(), lo.toInetSocketAddress().getAddress().getHostAddress());
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 1), lo.toInetSocketAddress());
        assertEquals(lo, SockAddr.of(lo.toInetSocketAddress()));
        // the flow label has no place in the JDK object
        Inet6SockAddr flow = new Inet6SockAddr(lo.addressBytes(), 1, 0x12345, 0);
        assertEquals(lo, SockAddr.of(flow.toInetSocketAddress()));
        assertEquals(lo.toInetSocketAddress(), flow.toInetSocketAddressUnmapped());
    }

    @Test
    void ofJdkAddresses() throws Exception {
        assertEquals(Inet4SockAddr.loopback(9), SockAddr.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9)));
        assertEquals(Inet6SockAddr.loopback(9), SockAddr.of(new InetSocketAddress(InetAddress.getByName("::1"), 9)));
        assertEquals(Inet6SockAddr.any(9), SockAddr.of(new InetSocketAddress(InetAddress.getByName("::"), 9)));
        Inet6Address scoped = Inet6Address.getByAddress(null, InetText.parse6("fe80::1"), 3);
        assertEquals(new Inet6SockAddr(InetText.parse6("fe80::1"), 9, 0, 3), SockAddr.of(new InetSocketAddress(scoped, 9)));
        // the JDK's own parser reads a numeric %scope too
        Inet6SockAddr parsed = (Inet6SockAddr) SockAddr.of(new InetSocketAddress(InetAddress.getByName("fe80::1%5"), 9));
        assertEquals(5, parsed.scopeId());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SockAddr.of(InetSocketAddress.createUnresolved("example.invalid", 80)));
        assertTrue(e.getMessage().contains("unresolved"), e.getMessage());
        assertThrows(NullPointerException.class, () -> SockAddr.of(null));
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.1"), 65535),
                Inet4SockAddr.parse("198.51.100.1", 65535).toInetSocketAddress());
    }

    // ---- SockAddrCodec ----

    static final List<SockAddr> SAMPLES = List.of(Inet4SockAddr.any(0), Inet4SockAddr.loopback(65535),
            Inet4SockAddr.parse("198.51.100.255", 0x1234), Inet6SockAddr.any(0), Inet6SockAddr.loopback(1),
            Inet6SockAddr.parse("::ffff:198.51.100.1", 80), new Inet6SockAddr(InetText.parse6("fe80::1"), 22, 0, 1),
            new Inet6SockAddr(InetText.parse6("2001:db8::1"), 443, 0x000fffff, 0),
            new Inet6SockAddr(InetText.parse6("2001:db8::ff"), 0xfffe, -1, -1),
            new Inet6SockAddr(InetText.parse6("ff02::1"), 1, 0x12345678, 0x87654321));

    /** The bytes C would hold in struct sockaddr_in/in6, built from the shim's offsets. */
    static byte[] expectedBytes(SockAddr a) {
        boolean v4 = a instanceof Inet4SockAddr;
        ByteBuffer b = ByteBuffer.allocate(v4 ? Platform.SIZEOF_SOCKADDR_IN : Platform.SIZEOF_SOCKADDR_IN6);
        b.order(ByteOrder.nativeOrder());
        int famAt = v4 ? Platform.SIN_FAMILY : Platform.SIN6_FAMILY;
        int fam = a.family();
        if (Platform.SIZEOF_SA_FAMILY == 2) b.putShort(famAt, (short) fam);
        else b.putInt(famAt, fam);
        b.order(ByteOrder.BIG_ENDIAN).putShort(v4 ? Platform.SIN_PORT : Platform.SIN6_PORT, (short) a.port());
        b.put(v4 ? Platform.SIN_ADDR : Platform.SIN6_ADDR, a.addressBytes());
        if (a instanceof Inet6SockAddr a6) {
            b.order(ByteOrder.BIG_ENDIAN).putInt(Platform.SIN6_FLOWINFO, a6.flowinfo()); // network order in C
            b.order(ByteOrder.nativeOrder()).putInt(Platform.SIN6_SCOPE_ID, a6.scopeId()); // host order in C
        }
        return b.array();
    }

    @Test
    void encodedBytesMatchTheCLayoutAndDecodeBack() {
        for (SockAddr a : SAMPLES) {
            for (int off : new int[] {0, 1, 7, 100}) {
                ByteBuffer b = ByteBuffer.allocate(off + 40);
                for (int i = 0; i < b.capacity(); i++) b.put(i, (byte) 0xa5); // padding must be zeroed
                int len = SockAddrCodec.encode(a, b, off);
                assertEquals(SockAddrCodec.length(a), len);
                byte[] got = new byte[len];
                b.get(off, got);
                assertArrayEquals(expectedBytes(a), got, a.toString());
                for (int i = 0; i < off; i++) assertEquals((byte) 0xa5, b.get(i), "byte before " + off);
                for (int i = off + len; i < b.capacity(); i++) assertEquals((byte) 0xa5, b.get(i), "byte after");
                assertEquals(a, SockAddrCodec.decode(b, off, len));
                // a longer length (a sockaddr_storage holder) decodes the same
                if (off + 40 <= b.capacity()) assertEquals(a, SockAddrCodec.decode(b, off, 40));
            }
            ByteBuffer d = ByteBuffer.allocateDirect(64);
            SockAddrCodec.encode(a, d, 3);
            assertEquals(a, SockAddrCodec.decode(d, 3, SockAddrCodec.length(a)));
        }
    }

    @Test
    void decodeRejectsWhatItCannotRead() {
        ByteBuffer b = ByteBuffer.allocate(64);
        assertNull(SockAddrCodec.decode(b, 0, 0));
        SockAddrCodec.encode(Inet6SockAddr.loopback(1), b, 0);
        assertThrows(IllegalArgumentException.class, () -> SockAddrCodec.decode(b, 0, Platform.SIZEOF_SOCKADDR_IN6 - 1));
        assertThrows(IllegalArgumentException.class, () -> SockAddrCodec.decode(b, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SockAddrCodec.decode(b, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> SockAddrCodec.decode(b, 60, 28));
        assertThrows(IllegalArgumentException.class, () -> SockAddrCodec.decode(b, -1, 28));
        SockAddrCodec.encode(Inet4SockAddr.loopback(1), b, 0);
        assertThrows(IllegalArgumentException.class, () -> SockAddrCodec.decode(b, 0, Platform.SIZEOF_SOCKADDR_IN - 1));
        ByteBuffer unix = ByteBuffer.allocate(110).order(ByteOrder.nativeOrder());
        unix.putShort(0, (short) ResolverVsLibcTest.value("AF_UNIX"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SockAddrCodec.decode(unix, 0, 110));
        assertTrue(e.getMessage().contains("AF_UNIX"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> SockAddrCodec.encode(Inet6SockAddr.loopback(1), b, 40));
    }
}
