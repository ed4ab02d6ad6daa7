package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KernelCountersTest {
    static final String SNMP = """
            Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests
            Ip: 2 64 10 0 0 0 0 0 9 8
            Icmp: InMsgs InErrors InCsumErrors InDestUnreachs
            Icmp: 1 0 0 1
            Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors
            Tcp: 1 200 120000 -1 0 1 0 0 0 6 5 0 0 0 0
            Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
            Udp: 2 1 0 2 0 0 0 0 0
            """;
    static final String SNMP6 = """
            Ip6InReceives                   \t7
            Ip6InDelivers                   \t7
            Icmp6InMsgs                     \t4
            Udp6InDatagrams                 \t0
            Udp6NoPorts                     \t3
            """;

    static KernelCounters parse(String snmp, String snmp6) {
        Map<String, Long> m = new LinkedHashMap<>();
        KernelCounters.parseSnmp(snmp, m);
        KernelCounters.parseSnmp6(snmp6, m);
        return new KernelCounters(m);
    }

    @Test
    void readsBothFilesUnderNstatNames() {
        KernelCounters k = parse(SNMP, SNMP6);
        assertEquals(9, k.get("IpInDelivers"));
        assertEquals(1, k.get("TcpPassiveOpens"));
        assertEquals(-1, k.get("TcpMaxConn"));
        assertEquals(1, k.get("UdpNoPorts"));
        assertEquals(4, k.get("Icmp6InMsgs"));
        assertEquals(0, k.get("NoSuchCounter"));
    }

    @Test
    void wireSubtractsIcmpFromDeliveredPackets() {
        KernelCounters before = parse(SNMP, SNMP6);
        KernelCounters after = parse(SNMP.replace("Ip: 2 64 10 0 0 0 0 0 9 8", "Ip: 2 64 16 0 0 0 0 0 15 8")
                        .replace("Icmp: 1 0 0 1", "Icmp: 2 0 0 2"),
                SNMP6.replace("Ip6InDelivers                   \t7", "Ip6InDelivers                   \t9")
                        .replace("Icmp6InMsgs                     \t4", "Icmp6InMsgs                     \t6"));
        Wire w = Wire.between(before, after);
        assertEquals(5, w.ipv4());
        assertEquals(0, w.ipv6(), "two neighbour-discovery messages are not data");
        assertEquals(Family.IPV4, w.family());
        assertEquals("IPv4", w.protocol());
        assertEquals(Map.of("IpInDelivers", 6L, "IpInReceives", 6L, "IcmpInMsgs", 1L, "IcmpInDestUnreachs", 1L,
                "Ip6InDelivers", 2L, "Icmp6InMsgs", 2L), w.deltas());
    }

    @Test
    void bothOrNoneIsNoSingleFamily() {
        assertNull(new Wire(1, 1, Map.of()).family());
        assertEquals("IPv4+IPv6", new Wire(1, 1, Map.of()).protocol());
        assertEquals("none", new Wire(0, 0, Map.of()).protocol());
    }

    @Test
    void readsThisMachinesCounters() throws Exception {
        KernelCounters k = KernelCounters.read();
        // Every Linux kernel writes these; their values are whatever this machine has seen.
        org.junit.jupiter.api.Assertions.assertTrue(k.values().containsKey("IpInDelivers"));
        org.junit.jupiter.api.Assertions.assertTrue(k.values().containsKey("TcpPassiveOpens"));
    }
}
