package io.dualsock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The wire format of the TTL query behind {@link Nat64Discovery}, without a network: messages built here. */
class DnsTtlTest {

    @Test
    void theQueryIsOneAaaaQuestionWithRecursionDesired() {
        byte[] q = DnsTtl.query(0x1234, "ipv4only.arpa");
        byte[] expected = bytes(0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                8, 'i', 'p', 'v', '4', 'o', 'n', 'l', 'y', 4, 'a', 'r', 'p', 'a', 0, 0, 28, 0, 1);
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(q));
    }

    @Test
    void theSmallestAaaaTtlOfTheAnswerCounts() {
        byte[] m = answer(7, 0, rr(28, 300), rr(5, 10), rr(28, 42));
        assertEquals(42, DnsTtl.minTtl(m, m.length, 7), "the CNAME's TTL is not an AAAA TTL");
        byte[] topBit = answer(7, 0, rr(28, 0x80000001L));
        assertEquals(0, DnsTtl.minTtl(topBit, topBit.length, 7), "RFC 2181 §8");
        byte[] none = answer(7, 3, new byte[0][]);
        assertEquals(-1, DnsTtl.minTtl(none, none.length, 7), "NXDOMAIN has no TTL to give");
        assertEquals(Long.MIN_VALUE, DnsTtl.minTtl(m, m.length, 8), "another query's answer");
        assertThrows(IllegalArgumentException.class, () -> DnsTtl.minTtl(m, m.length - 3, 7));
        assertThrows(IllegalArgumentException.class, () -> DnsTtl.minTtl(m, 5, 7));
    }

    @Test
    void resolvConfGivesServersAndTimeoutLikeGlibc() {
        DnsTtl.Conf c = DnsTtl.Conf.parse("# x\nnameserver 2001:db8::54\nnameserver 198.51.100.54\nnameserver ::1\nnameserver 127.0.0.2\n"
                + "options timeout:1 attempts:2\n");
        assertEquals(List.of("2001:db8::54", "198.51.100.54", "::1"), c.nameservers(), "glibc reads three (MAXNS)");
        assertEquals(1, c.timeoutSeconds());
        assertEquals(new DnsTtl.Conf(List.of("127.0.0.1"), 5), DnsTtl.Conf.parse(""), "resolv.conf(5) defaults");
    }

    /** A response to {@code DnsTtl.query(id, "ipv4only.arpa")} with these answer records (owner: a pointer to the question). */
    private static byte[] answer(int id, int rcode, byte[]... records) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] q = DnsTtl.query(id, "ipv4only.arpa");
        o.write(q, 0, 12);
        byte[] m = o.toByteArray();
        m[2] = (byte) 0x81;
        m[3] = (byte) (0x80 | rcode);
        m[7] = (byte) records.length;
        o.reset();
        o.write(m, 0, 12);
        o.write(q, 12, q.length - 12);
        for (byte[] r : records) o.write(r, 0, r.length);
        return o.toByteArray();
    }

    private static byte[] rr(int type, long ttl) {
        int rdlen = type == 28 ? 16 : 2;
        byte[] r = new byte[12 + rdlen];
        r[0] = (byte) 0xc0;
        r[1] = 12;
        r[3] = (byte) type;
        r[5] = 1;
        r[6] = (byte) (ttl >> 24);
        r[7] = (byte) (ttl >> 16);
        r[8] = (byte) (ttl >> 8);
        r[9] = (byte) ttl;
        r[11] = (byte) rdlen;
        if (type != 28) {
            r[12] = (byte) 0xc0;
            r[13] = 12;
        }
        return r;
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
