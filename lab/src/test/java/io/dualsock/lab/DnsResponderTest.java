package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The delaying DNS responder's answers, message by message (RFC 1035 §4.1), and dns_delays parsing. */
class DnsResponderTest {
    private static final Topology T = TopologyJson.parse("""
            {"hosts": [{"name": "s", "stack": "dual-stack", "ipv4": "198.51.100.9", "ipv6": "2001:db8::9",
                        "names": ["s.ds.test", "late.ds.test"]}],
             "dns_delays": [{"name": "late.ds.test", "aaaa_ms": 300}, {"name": "*", "a_ms": 5}]}""", "test");

    private static byte[] query(int id, String name, int type) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0).putInt(0);
        for (String l : name.split("\\.")) {
            b.put((byte) l.length()).put(l.getBytes(StandardCharsets.US_ASCII));
        }
        b.put((byte) 0).putShort((short) type).putShort((short) 1);
        return Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void answersAaaaLateAndAWithTheWildcardDelay() {
        DnsResponder r = new DnsResponder(T);
        byte[] q = query(0x1234, "LATE.ds.test", 28);
        DnsResponder.Answer a = r.answer(q);
        assertEquals(300, a.delayMs());
        ByteBuffer b = ByteBuffer.wrap(a.reply());
        assertEquals(0x1234, b.getShort() & 0xffff);
        int flags = b.getShort() & 0xffff;
        assertEquals(0x8000, flags & 0x8000, "QR");
        assertEquals(0x0400, flags & 0x0400, "AA");
        assertEquals(0x0100, flags & 0x0100, "RD copied");
        assertEquals(0, flags & 0xf, "NOERROR");
        assertEquals(1, b.getShort());
        assertEquals(1, b.getShort(), "one AAAA record");
        b.position(q.length);
        assertEquals((short) 0xc00c, b.getShort());
        assertEquals(28, b.getShort());
        assertEquals(1, b.getShort());
        assertEquals(0, b.getInt());
        assertEquals(16, b.getShort());
        byte[] addr = new byte[16];
        b.get(addr);
        assertArrayEquals(io.dualsock.SockAddr.parse("2001:db8::9", 0).addressBytes(), addr);
        assertEquals(0, r.answer(query(1, "late.ds.test", 1)).delayMs(), "the first match counts: late.ds.test's a_ms 0");
        assertEquals(5, r.answer(query(2, "s.ds.test", 1)).delayMs(), "the wildcard");
        assertEquals(0, r.answer(query(3, "s.ds.test", 28)).delayMs());
    }

    @Test
    void unknownNamesAreNxdomainAndOtherTypesEmpty() {
        DnsResponder r = new DnsResponder(T);
        byte[] nx = r.answer(query(7, "nosuch.ds.test", 1)).reply();
        assertEquals(3, nx[3] & 0xf, "NXDOMAIN");
        byte[] mx = r.answer(query(8, "s.ds.test", 15)).reply();
        assertEquals(0, mx[3] & 0xf);
        assertEquals(0, ((mx[6] & 0xff) << 8) | (mx[7] & 0xff), "no answers");
        byte[] reply = r.answer(query(9, "s.ds.test", 1)).reply();
        reply[2] |= (byte) 0x80;
        assertNull(r.answer(reply), "a response is not answered");
    }

    @Test
    void delaysAreValidated() {
        LabAccess.assertRefused("{\"hosts\": [{\"name\": \"s\", \"stack\": \"dual-stack\"}], \"dns_delays\": [{\"name\": \"x.ds.test\"}]}", "t",
                "not a name of the topology");
        LabAccess.assertRefused("{\"hosts\": [{\"name\": \"s\", \"stack\": \"dual-stack\"}], \"dns_delays\": [{\"name\": \"*\", \"aaaa_ms\": -1}]}",
                "t", "aaaa_ms");
        assertEquals(T, TopologyJson.parse(TopologyJson.toJson(T).toString(), "again"));
    }
}
