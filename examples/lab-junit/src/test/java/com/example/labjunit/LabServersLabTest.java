package com.example.labjunit;

import static io.dualsock.lab.LabAssertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dualsock.lab.ExchangeResult;
import io.dualsock.lab.Family;
import io.dualsock.lab.Impairment;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabExtension;
import io.dualsock.lab.Stack;
import io.dualsock.lab.Topology.PathState;
import io.dualsock.lab.Traffic;

/**
 * The lab's own echo servers and clients (its agents): an IPv6 server with IPV6_V6ONLY on, the
 * exchanges a client host makes with it, and a path blackholed while the lab runs.
 */
class LabServersLabTest {
    private static final int PORT = 8080;

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(() -> Lab.builder()
            .host("srv", Stack.DUAL)
            .host("c", Stack.DUAL)
            .server("srv").ipv6().v6only(true).port(PORT).and());

    private static String srv6(Lab lab) {
        return lab.host("srv").ipv6().orElseThrow();
    }

    @Test
    void anIpv6ClientIsServedOverIpv6(Lab lab) {
        Traffic srv = Traffic.watch(lab.host("srv"));
        ExchangeResult r = lab.host("c").exchange(Family.IPV6, true, true, srv6(lab), PORT, Duration.ofSeconds(2), "six");
        assertThat(r).succeeded().wentOver(Family.IPV6);
        assertThat(lab.host("srv").awaitServed("six", Duration.ofSeconds(10)).orElseThrow()).peerIsNotMapped();
        assertThat(srv).wentOver(Family.IPV6).receivedNo(Family.IPV4);
    }

    @Test
    void v6onlyRefusesAnIpv4ClientAndTheServerHostSentTheReset(Lab lab) {
        Traffic srv = Traffic.watch(lab.host("srv"));
        String srv4 = lab.host("srv").ipv4().orElseThrow();
        ExchangeResult r = lab.host("c").exchange(Family.IPV4, true, true, srv4, PORT, Duration.ofSeconds(2), "four");
        assertThat(r).failedWith("ECONNREFUSED");
        assertThat(srv).received(Family.IPV4).counter("TcpOutRsts", 1).receivedNo(Family.IPV6);
    }

    @Test
    void aBlackholedPathDropsTheDatagramSilently(Lab lab) {
        try (Impairment i = lab.impair("srv").ipv6Path(PathState.BLACKHOLE)) {
            Traffic srv = Traffic.watch(lab.host("srv"));
            ExchangeResult r = lab.host("c").exchange(Family.IPV6, false, false, srv6(lab), PORT, Duration.ofMillis(300), "gone");
            assertThat(r).failedWith("EAGAIN");
            assertThat(srv).dropped(Family.IPV6).receivedNo(Family.IPV6);
        }
    }
}
