package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The flat getaddrinfo format decoded from hand-built buffers, with no native code: the layout
 * of c-shim/include/dualsock.h written out here byte by byte, then valid and corrupt inputs.
 * Every corrupt input must give an IllegalArgumentException, never an IndexOutOfBounds or
 * any other exception. (Family numbers are parameters of the decoder; any two values do.)
 */
class FlatAddrInfoTest {
    static final int AF4 = 2;
    static final int AF6 = 10;

    record Entry(int family, int socktype, int protocol, int flags, int port, byte[] addr, int flowinfo, int scope,
                 byte[] canon) {}

    static Entry v4(int port, String canon) {
        return new Entry(AF4, 1, 6, 0x400, port, new byte[] {(byte) 198, 51, 100, 7}, 0, 0,
                canon == null ? null : canon.getBytes(StandardCharsets.UTF_8));
    }

    static Entry v6(int port, int flow, int scope, String canon) {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[15] = 1;
        return new Entry(AF6, 2, 17, 0, port, a, flow, scope, canon == null ? null : canon.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes exactly as ds_getaddrinfo writes them (native order, 8-byte aligned entries). */
    static ByteBuffer build(int status, int count, List<Entry> entries, int slack) {
        int size = FlatAddrInfo.HEADER;
        for (Entry e : entries) size += entrySize(e);
        ByteBuffer b = ByteBuffer.allocate(size + slack).order(ByteOrder.nativeOrder());
        b.putInt(0, status).putInt(4, 0).putInt(8, count).putInt(12, 0);
        int p = FlatAddrInfo.HEADER;
        for (Entry e : entries) {
            b.putInt(p, e.family).putInt(p + 4, e.socktype).putInt(p + 8, e.protocol).putInt(p + 12, e.flags);
            b.putShort(p + 16, (short) e.port).putShort(p + 18, (short) e.addr.length);
            b.putInt(p + 20, e.flowinfo).putInt(p + 24, e.scope);
            b.putInt(p + 28, e.canon == null ? -1 : e.canon.length);
            b.put(p + 32, e.addr);
            if (e.canon != null) b.put(p + 48, e.canon); // NUL and padding: already zero
            p += entrySize(e);
        }
        return b;
    }

    static int entrySize(Entry e) {
        int n = FlatAddrInfo.FIXED + (e.canon == null ? 0 : e.canon.length + 1);
        return (n + 7) & ~7;
    }

    static int used(List<Entry> entries) {
        int n = FlatAddrInfo.HEADER;
        for (Entry e : entries) n += entrySize(e);
        return n;
    }

    static List<AddrInfo> decode(ByteBuffer b, int length) {
        return FlatAddrInfo.decode(b, length, AF4, AF6);
    }

    static void assertCorrupt(ByteBuffer b, int length, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> decode(b, length));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    /** The decoder's sizes are the shim's (the only test here that loads native code). */
    @Test
    void layoutConstantsMatchTheShim() {
        assertEquals(io.dualsock.bindings.Platform.GAI_HEADER_SIZE, FlatAddrInfo.HEADER);
        assertEquals(io.dualsock.bindings.Platform.GAI_ENTRY_FIXED, FlatAddrInfo.FIXED);
    }

    @Test
    void singleEntry() {
        List<Entry> es = List.of(v4(80, null));
        List<AddrInfo> r = decode(build(0, 1, es, 0), used(es));
        assertEquals(1, r.size());
        AddrInfo ai = r.get(0);
        assertEquals(AF4, ai.family());
        assertEquals(1, ai.socktype());
        assertEquals(6, ai.protocol());
        assertEquals(0x400, ai.flags());
        assertEquals(new Inet4SockAddr(new byte[] {(byte) 198, 51, 100, 7}, 80), ai.address());
        assertNull(ai.canonicalName());
        assertThrows(UnsupportedOperationException.class, () -> r.add(ai));
    }

    @Test
    void multipleEntriesWithCanonicalNamesAndPadding() {
        // canonical names of every length modulo 8 move the next entry across all paddings
        for (int len = 0; len <= 17; len++) {
            String canon = "c".repeat(len);
            List<Entry> es = List.of(v6(443, 0x12345, 7, canon), v4(65535, null), v6(0, -1, -2, "é" + canon),
                    v4(1, ""));
            ByteBuffer b = build(0, es.size(), es, 0);
            List<AddrInfo> r = decode(b, used(es));
            assertEquals(4, r.size());
            assertEquals(canon, r.get(0).canonicalName());
            Inet6SockAddr a = (Inet6SockAddr) r.get(0).address();
            assertEquals("2001:db8::1", a.address());
            assertEquals(443, a.port());
            assertEquals(0x12345, a.flowinfo());
            assertEquals(7, a.scopeId());
            assertNull(r.get(1).canonicalName());
            assertEquals(65535, r.get(1).address().port());
            assertEquals("é" + canon, r.get(2).canonicalName());
            assertEquals(-1, ((Inet6SockAddr) r.get(2).address()).flowinfo());
            assertEquals(0xfffffffeL, Integer.toUnsignedLong(((Inet6SockAddr) r.get(2).address()).scopeId()));
            assertEquals("", r.get(3).canonicalName());
            // the decoder reads absolute offsets: position and a bigger buffer change nothing
            ByteBuffer bigger = build(0, es.size(), es, 64);
            bigger.position(13);
            assertEquals(r, decode(bigger, used(es)));
        }
    }

    @Test
    void zeroEntriesAndUnknownFamily() {
        assertEquals(List.of(), decode(build(0, 0, List.of(), 0), FlatAddrInfo.HEADER));
        Entry other = new Entry(1, 1, 0, 0, 0, new byte[0], 0, 0, null);
        AddrInfo ai = decode(build(0, 1, List.of(other), 0), used(List.of(other))).get(0);
        assertNull(ai.address());
        assertEquals(1, ai.family());
    }

    @Test
    void headerFields() {
        ByteBuffer b = build(-2, 0, List.of(), 0);
        b.putInt(4, 0);
        FlatAddrInfo.Header h = FlatAddrInfo.header(b, FlatAddrInfo.HEADER);
        assertEquals(-2, h.status());
        assertEquals(0, h.count());
        b.putInt(0, -11).putInt(4, 24);
        assertEquals(new FlatAddrInfo.Header(-11, 24, 0), FlatAddrInfo.header(b, 16));
        assertCorrupt(b, 16, "error");
    }

    @Test
    void countTooLarge() {
        List<Entry> es = List.of(v4(80, null), v6(80, 0, 0, null));
        ByteBuffer b = build(0, 3, es, 0);
        assertCorrupt(b, used(es), "count");
        b.putInt(8, Integer.MAX_VALUE);
        assertCorrupt(b, used(es), "count");
        b.putInt(8, -1);
        assertCorrupt(b, used(es), "count");
        b.putInt(8, Integer.MIN_VALUE);
        assertCorrupt(b, used(es), "count");
        // a count that fits the byte budget but not the real entries (long canonical name first)
        List<Entry> one = List.of(v4(80, "x".repeat(60)));
        ByteBuffer c = build(0, 2, one, 0);
        assertCorrupt(c, used(one), "");
    }

    @Test
    void canonicalNameLengthPastEnd() {
        List<Entry> es = List.of(v4(80, "localhost"));
        ByteBuffer b = build(0, 1, es, 0);
        int len = used(es);
        for (int bad : new int[] {len, len - FlatAddrInfo.HEADER - FlatAddrInfo.FIXED, Integer.MAX_VALUE, -2,
                Integer.MIN_VALUE}) {
            b.putInt(FlatAddrInfo.HEADER + 28, bad);
            assertCorrupt(b, len, "canonical name");
        }
        // the longest length that still leaves room for the NUL is accepted (bytes after the name are 0)
        b.putInt(FlatAddrInfo.HEADER + 28, len - FlatAddrInfo.HEADER - FlatAddrInfo.FIXED - 1);
        String canon = decode(b, len).get(0).canonicalName();
        assertTrue(canon.startsWith("localhost\0"), canon);
    }

    @Test
    void canonicalNameWithoutNul() {
        List<Entry> es = List.of(v4(80, "abcdefg")); // 48 + 7 + NUL = 56: no padding after the NUL
        ByteBuffer b = build(0, 1, es, 0);
        assertEquals(56, used(es) - FlatAddrInfo.HEADER);
        b.put(FlatAddrInfo.HEADER + 48 + 7, (byte) 'h');
        assertCorrupt(b, used(es), "NUL");
        // a shorter length whose end byte is not NUL either
        b.put(FlatAddrInfo.HEADER + 48 + 7, (byte) 0);
        b.putInt(FlatAddrInfo.HEADER + 28, 3);
        assertCorrupt(b, used(es), "NUL");
    }

    @Test
    void addressLengthMustMatchFamily() {
        int[][] bad = {{AF4, 16}, {AF4, 0}, {AF4, 5}, {AF6, 4}, {AF6, 0}, {AF6, 17}, {AF6, 0xffff}, {1, 4}, {1, 16}};
        for (int[] fl : bad) {
            List<Entry> es = List.of(v6(80, 0, 0, null));
            ByteBuffer b = build(0, 1, es, 0);
            b.putInt(FlatAddrInfo.HEADER, fl[0]);
            b.putShort(FlatAddrInfo.HEADER + 18, (short) fl[1]);
            assertCorrupt(b, used(es), "address length");
        }
    }

    @Test
    void lengthShorterThanHeaderOrBeyondTheBuffer() {
        ByteBuffer b = build(0, 0, List.of(), 0);
        for (int len : new int[] {-1, 0, 1, 15, Integer.MIN_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> FlatAddrInfo.header(b, len));
            assertThrows(IllegalArgumentException.class, () -> decode(b, len));
        }
        assertThrows(IllegalArgumentException.class, () -> decode(b, 17));
        assertThrows(IllegalArgumentException.class, () -> decode(b, Integer.MAX_VALUE));
        // a whole entry claimed, one byte missing
        List<Entry> es = List.of(v4(80, null));
        ByteBuffer c = build(0, 1, es, 0);
        assertCorrupt(c, used(es) - 1, "");
        assertThrows(IllegalArgumentException.class, () -> decode(c, used(es) + 1));
    }

    @Test
    void lengthBeyondTheBufferLimit() {
        List<Entry> es = List.of(v4(80, "name"));
        ByteBuffer b = build(0, 1, es, 0);
        b.limit(40); // a caller that flipped a partly filled buffer
        assertThrows(IllegalArgumentException.class, () -> decode(b, used(es)));
        assertThrows(IllegalArgumentException.class, () -> FlatAddrInfo.header(b.limit(8), FlatAddrInfo.HEADER));
    }

    @Test
    void directBuffersToo() {
        List<Entry> es = List.of(v6(1, 2, 3, "d"), v4(4, null));
        ByteBuffer heap = build(0, 2, es, 0);
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.capacity());
        direct.put(heap.duplicate().clear());
        assertEquals(decode(heap, used(es)), decode(direct, used(es)));
    }

    /** Every single-byte change and many random ones: decoded or IllegalArgumentException, nothing else. */
    @Test
    void corruptionNeverEscapesAsAnotherException() {
        List<Entry> es = List.of(v6(443, 1, 2, "canonical.example"), v4(80, null), v6(0, 0, 0, ""), v4(1, "x"));
        ByteBuffer good = build(0, es.size(), es, 0);
        int len = used(es);
        byte[] orig = new byte[len];
        good.get(0, orig);
        int[] values = {0, 1, 2, 4, 7, 8, 10, 16, 0x7f, 0x80, 0xfe, 0xff};
        List<String> escaped = new ArrayList<>();
        for (int i = 0; i < len; i++) {
            for (int v : values) {
                ByteBuffer b = ByteBuffer.wrap(orig.clone());
                b.put(i, (byte) v);
                tryDecode(b, len, escaped, "byte " + i + " = " + v);
                tryDecode(b, i, escaped, "length " + i);
            }
        }
        Random rnd = new Random(0x5eed);
        for (int n = 0; n < 20000; n++) {
            byte[] m = orig.clone();
            for (int k = 1 + rnd.nextInt(4); k > 0; k--) m[rnd.nextInt(len)] = (byte) rnd.nextInt(256);
            int l = rnd.nextInt(8) == 0 ? rnd.nextInt(len + 1) : len;
            tryDecode(ByteBuffer.wrap(m), l, escaped, "random " + n);
        }
        if (!escaped.isEmpty()) fail(escaped.size() + " inputs escaped: " + escaped.subList(0, Math.min(5, escaped.size())));
    }

    private static void tryDecode(ByteBuffer b, int len, List<String> escaped, String what) {
        try {
            List<AddrInfo> r = decode(b, len);
            assertTrue(r.size() <= (len - FlatAddrInfo.HEADER) / FlatAddrInfo.FIXED);
        } catch (IllegalArgumentException expected) {
            // the only allowed failure
        } catch (RuntimeException e) {
            escaped.add(what + ": " + e);
        }
    }

    @Test
    void bytesOfTheAddressAreCopiedNotShared() {
        List<Entry> es = List.of(v6(1, 0, 0, null));
        ByteBuffer b = build(0, 1, es, 0);
        Inet6SockAddr a = (Inet6SockAddr) decode(b, used(es)).get(0).address();
        b.put(FlatAddrInfo.HEADER + 32, (byte) 0x30);
        assertArrayEquals(es.get(0).addr, a.addressBytes());
    }
}
