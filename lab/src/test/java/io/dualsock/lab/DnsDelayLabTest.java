package io.dualsock.lab;

import static io.dualsock.lab.LabAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dualsock.Hints;

/**
 * DNS delays set on the builder: the lab serves names with its delaying responder, which
 * answers the delayed name's AAAA query late (its log says how late) and the other names at once.
 */
class DnsDelayLabTest {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(() -> Lab.builder()
            .host("srv", Stack.DUAL)
            .host("c", Stack.DUAL)
            .impair("srv").dnsDelay(Duration.ZERO, Duration.ofMillis(200))
            .server("srv").ipv6().and()
            .nameSource(NameSource.DNS));

    @Test
    void theDelayedNamesAaaaAnswerComesLateAndTheOthersAtOnce(Lab lab) {
        Lookup srv = lab.host("c").lookup("srv.ds.test", "7007", Hints.builder().inet6().stream().build());
        assertEquals(List.of("2001:db8::100"), srv.addresses().stream().map(Lookup.Resolved::address).toList(), srv::toString);
        lab.host("srv").lookup("c.ds.test", "7007", Hints.builder().inet6().stream().build());
        List<String> log = lab.dnsLog();
        assertTrue(log.stream().anyMatch(l -> l.contains("query[AAAA] srv.ds.test") && l.contains("200 ms")), () -> String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("query[AAAA] c.ds.test") && !l.contains(" ms")), () -> String.join("\n", log));
        // and the late answer is a good one: an exchange to it works
        assertThat(lab.host("c").exchange(Family.IPV6, true, true, "2001:db8::100", 7007, Duration.ofSeconds(2), "d1"))
                .succeeded().wentOver(Family.IPV6);
    }
}
