package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Topology ipv4_path/ipv6_path: parsing, validation, round trip, and the nft rules they become (no lab needed). */
class ImpairmentsTest {
    private static Topology parse(String hostFields) {
        return TopologyJson.parse("{\"hosts\": [{\"name\": \"a\", \"stack\": \"dual-stack\", \"ipv4\": \"198.51.100.7\", "
                + "\"ipv6\": \"2001:db8::7\", \"addresses\": [\"2001:db8:1::7/64\"]" + hostFields + "}]}", "test");
    }

    @Test
    void blackholeDropsTcpAndUdpToEveryAddressOfThatFamilyOnly() {
        Topology.Host h = parse(", \"ipv6_path\": \"blackhole\"").hosts().get(0);
        assertEquals(Topology.PathState.OPEN, h.ipv4Path());
        assertEquals(Topology.PathState.BLACKHOLE, h.ipv6Path());
        String s = Impairments.script(h);
        assertTrue(s.contains("ip6 daddr 2001:db8::7 meta l4proto { tcp, udp } drop;"), s);
        assertTrue(s.contains("ip6 daddr 2001:db8:1::7 meta l4proto { tcp, udp } drop;"), s);
        assertTrue(!s.contains("ip daddr"), s);
        assertTrue(s.contains("hook input"), s);
        Topology.Host four = parse(", \"ipv4_path\": \"blackhole\"").hosts().get(0);
        assertTrue(Impairments.script(four).contains("ip daddr 198.51.100.7 meta l4proto { tcp, udp } drop;"));
    }

    @Test
    void openPathsNeedNoRules() {
        assertNull(Impairments.script(parse("").hosts().get(0)));
        assertNull(Impairments.script(parse(", \"ipv6_path\": \"open\"").hosts().get(0)));
    }

    @Test
    void roundTrip() {
        Topology t = parse(", \"ipv6_path\": \"blackhole\"");
        Topology again = TopologyJson.parse(TopologyJson.toJson(t).toString(), "again");
        assertEquals(t.hosts().get(0), again.hosts().get(0));
    }

    @Test
    void badValuesNameTheField() {
        TopologyException e = assertThrows(TopologyException.class, () -> parse(", \"ipv6_path\": \"drop\""));
        assertTrue(e.getMessage().contains("$.hosts[0].ipv6_path"), e.getMessage());
        TopologyException f = assertThrows(TopologyException.class, () -> TopologyJson.parse(
                "{\"hosts\": [{\"name\": \"b\", \"stack\": \"ipv4-only\", \"ipv6_path\": \"blackhole\"}]}", "test"));
        assertTrue(f.getMessage().contains("ipv6_path: an ipv4-only host has no IPv6"), f.getMessage());
    }
}
