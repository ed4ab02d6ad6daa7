package io.dualsock.lab;

import static io.dualsock.lab.LabAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Impairments from the API: a path blackholed on the builder, and one blackholed on the running
 * lab and opened again, seen in the server host's counters (packets that reached its IP layer
 * and were never delivered) while the other path still delivers.
 */
class ImpairmentLabTest {
    private static final String SRV4 = "198.51.100.100";
    private static final String SRV6 = "2001:db8::100";
    private static final Duration SHORT = Duration.ofMillis(300);

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(() -> Lab.builder()
            .host("srv", Stack.DUAL)
            .host("c", Stack.DUAL)
            .host("f", Stack.IPV4_ONLY)
            .impair("srv").ipv4Path(Topology.PathState.BLACKHOLE)
            .server("srv").ipv6().v6only(false).and());

    /** One unconnected UDP datagram to srv; its reply never comes when the path drops it. */
    private static ExchangeResult udp(Lab lab, Family family, String address, String token) {
        return lab.host("c").exchange(family, false, false, address, ServerOptions.DEFAULT_PORT, SHORT, token);
    }

    private static void tcpWorks(Lab lab, Family family, String address, String token) {
        Traffic srv = Traffic.watch(lab.host("srv"));
        ExchangeResult r = lab.host("c").exchange(family, true, true, address, ServerOptions.DEFAULT_PORT, Duration.ofSeconds(2), token);
        assertThat(r).succeeded().wentOver(family);
        assertThat(lab.host("srv").awaitServed(token, Duration.ofSeconds(10)).orElseThrow()).peerCameOver(family);
        assertThat(srv).wentOver(family);
    }

    @Test
    void aPathBlackholedOnTheBuilderDropsAndTheOtherDelivers(Lab lab) {
        Traffic srv = Traffic.watch(lab.host("srv"));
        assertThat(udp(lab, Family.IPV4, SRV4, "b1")).failedWith("EAGAIN");
        assertThat(srv).receivedNo(Family.IPV4).dropped(Family.IPV4);
        tcpWorks(lab, Family.IPV6, SRV6, "b2");
    }

    @Test
    void aPathBlackholedOnTheRunningLabDropsUntilClosed(Lab lab) {
        try (Impairment i = lab.impair("srv").ipv6Path(Topology.PathState.BLACKHOLE)) {
            assertEquals(Topology.PathState.BLACKHOLE, i.path(Family.IPV6));
            Traffic srv = Traffic.watch(lab.host("srv"));
            assertThat(udp(lab, Family.IPV6, SRV6, "r1")).failedWith("EAGAIN");
            assertThat(srv).receivedNo(Family.IPV6).dropped(Family.IPV6).receivedNo(Family.IPV4);
        }
        tcpWorks(lab, Family.IPV6, SRV6, "r2");
        // closing restored the lab's own state: IPv4 stays blackholed as the builder said
        Traffic srv = Traffic.watch(lab.host("srv"));
        assertThat(udp(lab, Family.IPV4, SRV4, "r3")).failedWith("EAGAIN");
        assertThat(srv).dropped(Family.IPV4).receivedNo(Family.IPV4);
    }

    @Test
    void openingTheBuildersPathOnTheRunningLabDeliversAgain(Lab lab) {
        try (Impairment i = lab.impair("srv").ipv4Path(Topology.PathState.OPEN)) {
            tcpWorks(lab, Family.IPV4, SRV4, "o1");
            // an unconnected AF_INET6 datagram to the mapped address travels as IPv4, and its reply too
            ExchangeResult mapped = lab.host("c").exchange(Family.IPV6, false, false, "::ffff:" + SRV4, ServerOptions.DEFAULT_PORT,
                    Duration.ofSeconds(2), "o3");
            assertThat(mapped).succeeded().wentOver(Family.IPV4);
        }
        Traffic srv = Traffic.watch(lab.host("srv"));
        assertThat(udp(lab, Family.IPV4, SRV4, "o2")).failedWith("EAGAIN");
        assertThat(srv).receivedNo(Family.IPV4);
    }

    @Test
    void aPathTheHostLacksIsRefused(Lab lab) {
        TopologyException e = assertThrows(TopologyException.class,
                () -> lab.impair("f").ipv6Path(Topology.PathState.BLACKHOLE));
        assertEquals(true, e.getMessage().startsWith("host \"f\": ipv6_path: "), e.getMessage());
    }
}
