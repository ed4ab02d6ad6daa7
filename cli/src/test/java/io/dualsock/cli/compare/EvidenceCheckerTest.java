package io.dualsock.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.dualsock.cli.matrix.MatrixRunner;
import io.dualsock.cli.matrix.Transport;
import io.dualsock.lab.ExchangeResult;
import io.dualsock.lab.Family;
import io.dualsock.lab.KernelCounters;
import io.dualsock.lab.Served;
import io.dualsock.lab.Topology;
import io.dualsock.lab.Wire;

/**
 * The evidence checker is shown to catch lies: attempts recorded as a Figure 12.5 lab records
 * them (the counter changes at the server host, the server's report, the client's outcome), each
 * first checked clean, then with one fact altered, which both the native cells' checker
 * ({@link MatrixRunner#check}) and the Java cells' ({@link JdkMatrix#problems}) must report. No lab:
 * the evidence objects are built here.
 */
class EvidenceCheckerTest {
    interface Checker {
        List<String> check(Transport tr, ExchangeResult r, Optional<Served> served, Wire wire, Family address, Topology.Server s);
    }

    static final Map<String, Checker> CHECKERS = Map.of("MatrixRunner.check", MatrixRunner::check,
            "JdkMatrix.problems", JdkMatrix::problems);
    static final Topology FIGURE = Topology.figure125();

    static Topology.Server server(String id) {
        return FIGURE.servers().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    /** One attempt's evidence; the with* methods alter one fact. */
    record Attempt(Transport tr, ExchangeResult r, Optional<Served> served, Map<String, Long> serverDeltas, Family address,
                   Topology.Server s) {
        Attempt withDeltas(Map<String, Long> d) {
            return new Attempt(tr, r, served, d, address, s);
        }

        Attempt plus(String counter, long n) {
            Map<String, Long> d = new HashMap<>(serverDeltas);
            d.merge(counter, n, Long::sum);
            return withDeltas(d);
        }

        Attempt without(String counter) {
            Map<String, Long> d = new HashMap<>(serverDeltas);
            d.remove(counter);
            return withDeltas(d);
        }

        Attempt withPeer(String peer) {
            Served x = served.orElseThrow();
            return new Attempt(tr, r, Optional.of(new Served(x.server(), x.transport(), peer, x.local(), x.payload(), x.end())),
                    serverDeltas, address, s);
        }

        Attempt servedBy(String server) {
            Served x = served.orElseThrow();
            return new Attempt(tr, r, Optional.of(new Served(server, x.transport(), x.peer(), x.local(), x.payload(), x.end())),
                    serverDeltas, address, s);
        }

        Attempt withServed(Optional<Served> x) {
            return new Attempt(tr, r, x, serverDeltas, address, s);
        }

        /** The counters as Wire.between makes them from two snapshots of the server host. */
        Wire wire() {
            return Wire.between(new KernelCounters(Map.of()), new KernelCounters(serverDeltas));
        }
    }

    // The server host's counters for one TCP exchange over IPv4: 5 segments in, 4 out.
    static final Map<String, Long> TCP4_SERVED = Map.of("IpInReceives", 5L, "IpInDelivers", 5L, "IpOutRequests", 4L,
            "TcpPassiveOpens", 1L, "TcpInSegs", 5L, "TcpOutSegs", 4L);

    // The server host's counters for an IPv6 datagram to a closed port: ICMPv6 port unreachable back.
    static final Map<String, Long> UDP6_NO_PORT = Map.of("Ip6InReceives", 1L, "Ip6InDelivers", 1L, "Ip6OutRequests", 1L,
            "Udp6NoPorts", 1L, "Icmp6OutMsgs", 1L, "Icmp6OutDestUnreachs", 1L);

    // IPv4 client (c4) -> IPv4 server on the IPv4-only host (s4), TCP: SYN, ACK, data, FIN, ACK in; 4 out.
    static final Attempt TCP_V4 = new Attempt(Transport.TCP,
            new ExchangeResult("ok", null, null, "198.51.100.21:40001", null,
                    Map.of("TcpActiveOpens", 1L, "IpInDelivers", 4L, "TcpInSegs", 4L, "TcpOutSegs", 5L)),
            Optional.of(new Served("ipv4-on-ipv4only", "tcp", "198.51.100.21:40001", "198.51.100.11:7007", "dualsock-lab t1", "eof")),
            TCP4_SERVED,
            Family.IPV4, server("ipv4-on-ipv4only"));

    // IPv6 client on the dual-stack host (cd) -> IPv6 server on the dual-stack host (d6), TCP over IPv6.
    static final Attempt TCP_V6 = new Attempt(Transport.TCP,
            new ExchangeResult("ok", null, null, "[2001:db8::23]:40002", null, Map.of("TcpActiveOpens", 1L)),
            Optional.of(new Served("ipv6-on-dual", "tcp", "[2001:db8::23]:40002", "[2001:db8::14]:7007", "dualsock-lab t2", "eof")),
            Map.of("Ip6InReceives", 5L, "Ip6InDelivers", 5L, "Ip6OutRequests", 4L, "TcpPassiveOpens", 1L, "TcpInSegs", 5L,
                    "TcpOutSegs", 4L),
            Family.IPV6, server("ipv6-on-dual"));

    // IPv4 client (cd) -> IPv6 server on the dual-stack host (d6): IPv4 on the wire, a mapped peer.
    static final Attempt TCP_MAPPED = new Attempt(Transport.TCP,
            new ExchangeResult("ok", null, null, "198.51.100.23:40003", null, Map.of("TcpActiveOpens", 1L)),
            Optional.of(new Served("ipv6-on-dual", "tcp", "[::ffff:198.51.100.23]:40003", "[::ffff:198.51.100.14]:7007",
                    "dualsock-lab t3", "eof")),
            TCP4_SERVED,
            Family.IPV4, server("ipv6-on-dual"));

    // IPv4 client (c4) -> IPv4 server (s4), unconnected UDP: one datagram in, the echo out.
    static final Attempt UDP_V4 = new Attempt(Transport.UDP,
            new ExchangeResult("ok", null, null, "198.51.100.21:40004", "198.51.100.11:7007",
                    Map.of("UdpInDatagrams", 1L, "UdpOutDatagrams", 1L, "IpInDelivers", 1L)),
            Optional.of(new Served("ipv4-on-ipv4only", "udp", "198.51.100.21:40004", null, "dualsock-lab t4", "replied")),
            Map.of("IpInReceives", 1L, "IpInDelivers", 1L, "IpOutRequests", 1L, "UdpInDatagrams", 1L, "UdpOutDatagrams", 1L),
            Family.IPV4, server("ipv4-on-ipv4only"));

    // The footnote cell: the IPv6 client on the dual-stack host gets 2001:db8::13 only; the IPv4
    // server there refuses it with a RST.
    static final Attempt TCP_REFUSED = new Attempt(Transport.TCP,
            new ExchangeResult("ECONNREFUSED", "connect", "connect failed", null, null,
                    Map.of("TcpActiveOpens", 1L, "TcpAttemptFails", 1L, "TcpInSegs", 1L, "Ip6InDelivers", 1L)),
            Optional.empty(),
            Map.of("Ip6InReceives", 1L, "Ip6InDelivers", 1L, "Ip6OutRequests", 1L, "TcpInSegs", 1L, "TcpOutRsts", 1L,
                    "TcpOutSegs", 1L),
            Family.IPV6, server("ipv4-on-dual"));

    // The same cell over connected UDP: an ICMPv6 port unreachable from the server host.
    static final Attempt UDP_REFUSED = new Attempt(Transport.UDP_CONNECTED,
            new ExchangeResult("ECONNREFUSED", "recv", "recv failed", "[2001:db8::23]:40005", null,
                    Map.of("Udp6OutDatagrams", 1L, "Ip6InDelivers", 1L, "Icmp6InMsgs", 1L, "Icmp6InDestUnreachs", 1L)),
            Optional.empty(),
            UDP6_NO_PORT,
            Family.IPV6, server("ipv4-on-dual"));

    // The same cell over unconnected UDP: the error is not reported to the socket, the echo never comes.
    static final Attempt UDP_TIMEOUT = new Attempt(Transport.UDP,
            new ExchangeResult("EAGAIN", "recvfrom", "recvfrom failed", "[2001:db8::23]:40006", null,
                    Map.of("Udp6OutDatagrams", 1L)),
            Optional.empty(),
            UDP6_NO_PORT,
            Family.IPV6, server("ipv4-on-dual"));

    // The IPv6 client on the IPv6-only host gets ::ffff:198.51.100.11 and has no IPv4 route: nothing is sent.
    static final Attempt NO_ROUTE = new Attempt(Transport.TCP,
            new ExchangeResult("ENETUNREACH", "connect", "connect failed", null, null, Map.of()),
            Optional.empty(), Map.of(), Family.IPV4, server("ipv4-on-ipv4only"));

    static final List<Attempt> RECORDED = List.of(TCP_V4, TCP_V6, TCP_MAPPED, UDP_V4, TCP_REFUSED, UDP_REFUSED, UDP_TIMEOUT,
            NO_ROUTE);

    /** Every checker reports the altered attempt, with a sentence containing {@code expected}. */
    static void reported(Attempt recorded, Attempt altered, String expected) {
        for (Map.Entry<String, Checker> c : CHECKERS.entrySet()) {
            assertEquals(List.of(), check(c.getValue(), recorded), c.getKey() + ": the recorded evidence is consistent");
            List<String> p = check(c.getValue(), altered);
            assertTrue(p.stream().anyMatch(x -> x.contains(expected)), c.getKey() + " did not report \"" + expected + "\": " + p);
        }
    }

    static List<String> check(Checker c, Attempt a) {
        return c.check(a.tr(), a.r(), a.served(), a.wire(), a.address(), a.s());
    }

    @Test
    void recordedEvidenceIsConsistent() {
        for (Map.Entry<String, Checker> c : CHECKERS.entrySet()) {
            for (Attempt a : RECORDED) assertEquals(List.of(), check(c.getValue(), a), c.getKey() + ": " + a);
        }
    }

    static Arguments lie(Attempt recorded, Attempt altered, String expected) {
        return Arguments.of(recorded, altered, expected);
    }

    /** Each lie the checkers must catch: the recorded attempt, the altered one, part of the expected sentence. */
    static Stream<Arguments> lies() {
        return Stream.of(
            // the wrong IP version on the wire
            lie(TCP_V4,
                    TCP_V4.withDeltas(Map.of("Ip6InReceives", 5L, "Ip6InDelivers", 5L, "TcpPassiveOpens", 1L, "TcpInSegs", 5L)),
                    "the address says IPv4 but IPv6 crossed the wire"),
            // A mapped destination is IPv4: IPv6 packets for it are a lie as well.
            lie(TCP_MAPPED, TCP_MAPPED.withDeltas(TCP_V6.serverDeltas()),
                    "the address says IPv4 but IPv6 crossed the wire"),
            // packets of the other version on a success
            lie(TCP_V4, TCP_V4.plus("Ip6InDelivers", 1),
                    "1 IPv6 packet(s) reached the server host although the attempt used IPv4"),
            lie(UDP_V4, UDP_V4.plus("Ip6InDelivers", 2), "2 IPv6 packet(s) reached the server host"),
            // packets of the other version on a failure
            lie(TCP_REFUSED, TCP_REFUSED.plus("IpInDelivers", 3),
                    "3 IPv4 packet(s) reached the server host although the attempt used IPv6"),
            lie(UDP_TIMEOUT, UDP_TIMEOUT.plus("IpInDelivers", 1), "IPv4 packet(s) reached the server host"),
            // a success with no packets
            lie(TCP_V4, TCP_V4.withDeltas(Map.of()), "succeeded, but the server host's counters show none data"),
            lie(UDP_V4, UDP_V4.withDeltas(Map.of("UdpInDatagrams", 1L, "UdpOutDatagrams", 1L)), "show none data"),
            // ICMP is not data: a success whose only IPv6 packets were neighbour discovery carried nothing.
            lie(TCP_V6, TCP_V6.withDeltas(Map.of("Ip6InDelivers", 2L, "Icmp6InMsgs", 2L, "TcpPassiveOpens", 1L)),
                    "show none data"),
            // a tcp success without an accepted connection
            lie(TCP_V4, TCP_V4.without("TcpPassiveOpens"), "no TcpPassiveOpens at the server host"),
            // a udp success without a delivered datagram
            lie(UDP_V4, UDP_V4.without("UdpInDatagrams"), "no UdpInDatagrams at the server host"),
            // a failure that reached a server socket
            lie(TCP_REFUSED, TCP_REFUSED.plus("TcpPassiveOpens", 1), "a connection was accepted at the server host"),
            lie(UDP_TIMEOUT, UDP_TIMEOUT.plus("Udp6InDatagrams", 1), "a datagram reached a socket at the server host"),
            // a failure before sending with data packets
            lie(NO_ROUTE, NO_ROUTE.withDeltas(Map.of("IpInDelivers", 1L)),
                    "the client failed before sending (ENETUNREACH)"),
            // a peer of the wrong family
            lie(TCP_V4, TCP_V4.withPeer("[2001:db8::21]:40001"), "the server saw peer [2001:db8::21]:40001 (IPv6)"),
            lie(TCP_V6, TCP_V6.withPeer("[::ffff:198.51.100.23]:40002"), "(IPv4) but IPv6 crossed the wire"),
            lie(UDP_V4, UDP_V4.withPeer("[2001:db8::21]:40004"), "(IPv6) but IPv4 crossed the wire"),
            lie(TCP_V6, TCP_V6.withPeer("198.51.100.23:40002"), "the server saw peer 198.51.100.23:40002 (IPv4)"),
            // The client host's counters in place of the server host's. A TCP client counts an active
            // open, not a passive one, and receives the RST instead of sending it; a connected UDP client
            // receives the ICMP error instead of counting the port without a socket. (A successful UDP
            // echo looks the same in both hosts, one datagram each way over the same version, so
            // FigureLabTest checks the footnote cell's Udp6NoPorts at the server host.)
            // counters from the clients namespace
            lie(TCP_V4, TCP_V4.withDeltas(Map.of("IpInDelivers", 4L, "TcpActiveOpens", 1L, "TcpInSegs", 4L,
                    "TcpOutSegs", 5L)),
                    "no TcpPassiveOpens at the server host"),
            lie(TCP_REFUSED, TCP_REFUSED.withDeltas(TCP_REFUSED.r().clientCounters()),
                    "refused, but the server host counted no TcpOutRsts"),
            lie(UDP_REFUSED, UDP_REFUSED.withDeltas(UDP_REFUSED.r().clientCounters()),
                    "refused, but the server host counted no UdpNoPorts/Udp6NoPorts"),
            // a success the server did not report
            lie(TCP_V4, TCP_V4.withServed(Optional.empty()), "the server did not report the exchange"),
            lie(UDP_V4, UDP_V4.withServed(Optional.empty()), "the server did not report the exchange"),
            // another server answering
            lie(TCP_MAPPED, TCP_MAPPED.servedBy("ipv4-on-dual"), "server ipv4-on-dual answered, not ipv6-on-dual"),
            // a failure the server reported
            lie(UDP_TIMEOUT, UDP_TIMEOUT.withServed(UDP_V4.served()),
                    "the server reported the exchange (peer 198.51.100.21:40004) although the client failed with EAGAIN")
        );
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("lies")
    void everyCheckerReportsTheLie(Attempt recorded, Attempt altered, String expected) {
        reported(recorded, altered, expected);
    }
}
