package io.dualsock.lab;

import static io.dualsock.lab.LabAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The assertion helpers pass on true claims and fail on false ones with the evidence in the message (no lab needed). */
class LabAssertionsTest {
    /** What a server host's counters show for a TCP echo over IPv6: 5 packets in, neighbour discovery beside them. */
    private static final Wire OVER_IPV6 = Wire.of(Map.of("Ip6InDelivers", 7L, "Icmp6InMsgs", 2L, "Ip6InReceives", 7L, "TcpInSegs", 5L));
    private static final Wire OVER_IPV4 = Wire.of(Map.of("IpInDelivers", 5L, "IpInReceives", 5L, "TcpInSegs", 5L));
    /** A blackholed IPv4 path: the datagram reached IP and was never delivered. */
    private static final Wire DROPPED_IPV4 = Wire.of(Map.of("IpInReceives", 1L));

    @Test
    void wireClaimsThatHoldReturnTheAssertForTheNextClaim() {
        WireAssert a = assertThat(OVER_IPV6);
        assertSame(a, a.wentOver(Family.IPV6).receivedNo(Family.IPV4).received(Family.IPV6).counter("TcpInSegs", 5));
        assertThat(DROPPED_IPV4).receivedNothing().dropped(Family.IPV4);
        assertThat(Wire.of(Map.of())).receivedNothing();
    }

    @Test
    void receivedNoNamesTheHostAndShowsTheCounterChanges() {
        AssertionError e = assertThrows(AssertionError.class, () -> assertThat(OVER_IPV4).as("srv").receivedNo(Family.IPV4));
        assertEquals("expected no IPv4 packet to reach srv, but 5 did (5 IPv4 and 0 IPv6 packets delivered to TCP/UDP; "
                + "counter changes: IpInDelivers +5, IpInReceives +5, TcpInSegs +5)", e.getMessage());
    }

    @Test
    void wentOverSaysWhatItWentOverInstead() {
        AssertionError e = assertThrows(AssertionError.class, () -> assertThat(OVER_IPV4).as("srv").wentOver(Family.IPV6));
        assertEquals("expected the traffic at srv to go over IPv6 only, but it went over IPv4 (5 IPv4 and 0 IPv6 packets "
                + "delivered to TCP/UDP; counter changes: IpInDelivers +5, IpInReceives +5, TcpInSegs +5)", e.getMessage());
        Wire both = Wire.of(Map.of("IpInDelivers", 1L, "Ip6InDelivers", 1L));
        assertEquals("expected the traffic at the host to go over IPv4 only, but it went over IPv4+IPv6 (1 IPv4 and 1 IPv6 "
                + "packets delivered to TCP/UDP; counter changes: Ip6InDelivers +1, IpInDelivers +1)",
                assertThrows(AssertionError.class, () -> assertThat(both).wentOver(Family.IPV4)).getMessage());
    }

    @Test
    void droppedAndReceivedFailWithTheIpCounters() {
        assertEquals("expected IPv4 packets to be dropped at srv, but IpInReceives +5 and IpInDelivers +5 show none dropped "
                + "(5 IPv4 and 0 IPv6 packets delivered to TCP/UDP; counter changes: IpInDelivers +5, IpInReceives +5, TcpInSegs +5)",
                assertThrows(AssertionError.class, () -> assertThat(OVER_IPV4).as("srv").dropped(Family.IPV4)).getMessage());
        assertEquals("expected IPv6 packets to reach the host, but none did (0 IPv4 and 0 IPv6 packets delivered to TCP/UDP; "
                + "counter changes: IpInReceives +1)",
                assertThrows(AssertionError.class, () -> assertThat(DROPPED_IPV4).received(Family.IPV6)).getMessage());
        assertEquals("expected nothing to reach the host, but IPv6 did (0 IPv4 and 5 IPv6 packets delivered to TCP/UDP; "
                + "counter changes: Icmp6InMsgs +2, Ip6InDelivers +7, Ip6InReceives +7, TcpInSegs +5)",
                assertThrows(AssertionError.class, () -> assertThat(OVER_IPV6).receivedNothing()).getMessage());
        assertEquals("expected TcpOutRsts +1 at the host, but it changed by +0 (0 IPv4 and 0 IPv6 packets delivered to TCP/UDP; "
                + "counter changes: none)",
                assertThrows(AssertionError.class, () -> assertThat(Wire.of(Map.of())).counter("TcpOutRsts", 1)).getMessage());
    }

    @Test
    void anExchangeOverIpv6ShowsItsLocalAddressAndTheClientsCounters() {
        ExchangeResult v6 = new ExchangeResult("ok", null, null, "[2001:db8::101]:40000", null, Map.of("Ip6InDelivers", 5L));
        assertThat(v6).succeeded().wentOver(Family.IPV6);
        AssertionError e = assertThrows(AssertionError.class, () -> assertThat(v6).wentOver(Family.IPV4));
        assertEquals("expected the exchange to go over IPv4, but its local address is IPv6 on the wire and the client received "
                + "IPv6 (outcome ok; local [2001:db8::101]:40000; client: 0 IPv4 and 5 IPv6 packets delivered to TCP/UDP; "
                + "counter changes: Ip6InDelivers +5)", e.getMessage());
        ExchangeResult mapped = new ExchangeResult("ok", null, null, "[::ffff:198.51.100.101]:40000", null, Map.of("IpInDelivers", 5L));
        assertThat(mapped).wentOver(Family.IPV4);
        // unconnected UDP: the local address is the wildcard, the reply's source tells
        ExchangeResult udp = new ExchangeResult("ok", null, null, "[::]:40000", "[::ffff:198.51.100.100]:7007", Map.of("IpInDelivers", 1L));
        assertThat(udp).wentOver(Family.IPV4);
        assertEquals("expected the exchange to go over IPv6, but its reply's source is IPv4 on the wire and the client received IPv4 "
                + "(outcome ok; local [::]:40000; reply from [::ffff:198.51.100.100]:7007; client: 1 IPv4 and 0 IPv6 packets "
                + "delivered to TCP/UDP; counter changes: IpInDelivers +1)",
                assertThrows(AssertionError.class, () -> assertThat(udp).wentOver(Family.IPV6)).getMessage());
    }

    @Test
    void aFailedExchangeShowsTheErrnoAndTheCall() {
        ExchangeResult refused = new ExchangeResult("ECONNREFUSED", "connect", "connect: Connection refused", null, null,
                Map.of("IpInDelivers", 1L));
        assertThat(refused).failedWith("ECONNREFUSED");
        assertEquals("expected the exchange to succeed, but it failed with ECONNREFUSED at connect (outcome ECONNREFUSED at "
                + "connect: connect: Connection refused; local null; client: 1 IPv4 and 0 IPv6 packets delivered to TCP/UDP; "
                + "counter changes: IpInDelivers +1)",
                assertThrows(AssertionError.class, () -> assertThat(refused).wentOver(Family.IPV4)).getMessage());
        ExchangeResult ok = new ExchangeResult("ok", null, null, "198.51.100.101:40000", null, Map.of());
        assertEquals("expected the exchange to fail with EAGAIN, but it succeeded (outcome ok; local 198.51.100.101:40000; "
                + "client: 0 IPv4 and 0 IPv6 packets delivered to TCP/UDP; counter changes: none)",
                assertThrows(AssertionError.class, () -> assertThat(ok).failedWith("EAGAIN")).getMessage());
    }

    @Test
    void servedReportsTellMappedPeers() {
        Served mapped = new Served("srv-ipv6", "tcp", "[::ffff:198.51.100.101]:40000", "[::ffff:198.51.100.100]:7007", "dualsock-lab t", "eof");
        assertThat(mapped).peerIsMapped().peerCameOver(Family.IPV4);
        assertEquals("expected the server to see a peer that is not IPv4-mapped, but it saw [::ffff:198.51.100.101]:40000 "
                + "(server srv-ipv6, tcp, peer [::ffff:198.51.100.101]:40000, local [::ffff:198.51.100.100]:7007, end eof)",
                assertThrows(AssertionError.class, () -> assertThat(mapped).peerIsNotMapped()).getMessage());
        Served six = new Served("srv-ipv6", "udp", "[2001:db8::101]:40000", null, "dualsock-lab t", "replied");
        assertThat(six).peerIsNotMapped().peerCameOver(Family.IPV6);
        assertThrows(AssertionError.class, () -> assertThat(six).peerIsMapped());
        assertEquals("expected the peer to come over IPv4, but it is [2001:db8::101]:40000 (server srv-ipv6, udp, peer "
                + "[2001:db8::101]:40000, local null, end replied)",
                assertThrows(AssertionError.class, () -> assertThat(six).peerCameOver(Family.IPV4)).getMessage());
        assertThat(new Served("s", "tcp", "198.51.100.101:40000", null, "p", "eof")).peerIsNotMapped().peerCameOver(Family.IPV4);
    }

    @Test
    void connectResultsShowFamilyPeerAndAttempts() {
        ConnectResult happy = new ConnectResult("happy", "ok", "ipv4", "198.51.100.100:7007", 312.5, 2, null, null);
        assertThat(happy).succeeded().wentOver(Family.IPV4);
        assertEquals("expected the happy connect to go over IPv6, but it went over ipv4 (outcome ok, family ipv4, peer "
                + "198.51.100.100:7007, 2 attempt(s), 312.5 ms)",
                assertThrows(AssertionError.class, () -> assertThat(happy).wentOver(Family.IPV6)).getMessage());
        ConnectResult timeout = new ConnectResult("socket", "TIMEOUT", null, null, 2000, 1, null, "connect timed out");
        assertThat(timeout).failedWith("TIMEOUT");
        assertEquals("expected the socket connect to succeed, but it ended with TIMEOUT (outcome TIMEOUT, family null, peer null, "
                + "1 attempt(s), 2000.0 ms, connect timed out)",
                assertThrows(AssertionError.class, () -> assertThat(timeout).succeeded()).getMessage());
    }

    @Test
    void execResultsShowTheShortResult() {
        ExecResult ok = new ExecResult(List.of("getent", "ahosts", "b.ds.test"), 0, "2001:db8::101 STREAM b.ds.test\n", "");
        assertThat(ok).succeeded().stdoutContains("2001:db8::101");
        AssertionError e = assertThrows(AssertionError.class, () -> assertThat(ok).stdoutContains("198.51.100"));
        assertEquals("expected stdout to contain \"198.51.100\": " + ok, e.getMessage());
        ExecResult bad = new ExecResult(List.of("getent", "ahosts", "x"), 2, "", "");
        assertThat(bad).exitedWith(2);
        assertEquals("expected exit status 1, but it was 2: " + bad,
                assertThrows(AssertionError.class, () -> assertThat(bad).exitedWith(1)).getMessage());
        assertEquals("expected exit status 0, but it was 2: " + bad,
                assertThrows(AssertionError.class, () -> assertThat(bad).succeeded()).getMessage());
    }
}
