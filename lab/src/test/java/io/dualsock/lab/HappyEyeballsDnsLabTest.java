package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Connector's Resolution Delay against real late AAAA answers ({@code --resolver dns}, the
 * lab's delaying responder). The rule is checked against the times the trace itself recorded,
 * never against the clock: when the AAAA answer came within 50 ms of the A answer, the first
 * attempt is IPv6; when it had not come 50 ms after the A answer, the first attempt is IPv4 and
 * starts no earlier than that.
 */
class HappyEyeballsDnsLabTest {
    private static final String TOPOLOGY = """
            {
              "description": "Happy Eyeballs: AAAA answers 10 ms and 300 ms late",
              "hosts": [
                { "name": "ds", "stack": "dual-stack", "ipv4": "198.51.100.41", "ipv6": "2001:db8::41",
                  "names": ["late10.ds.test", "late300.ds.test"] },
                { "name": "dc", "stack": "dual-stack", "ipv4": "198.51.100.42", "ipv6": "2001:db8::42" }
              ],
              "servers": [ { "id": "s", "host": "ds", "family": "ipv6" } ],
              "clients": [ { "host": "dc", "family": "ipv6" } ],
              "dns_delays": [
                { "name": "late10.ds.test", "aaaa_ms": 10 },
                { "name": "late300.ds.test", "aaaa_ms": 300 }
              ]
            }""";

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(TopologyJson.parse(TOPOLOGY, "HappyEyeballsDnsLabTest"), NameSource.DNS);

    private static double end(JsonNode trace, String query) {
        for (JsonNode r : trace.path("resolutions")) {
            if (r.path("query").asText().equals(query)) return r.path("end_ms").isNull() ? -1 : r.path("end_ms").asDouble();
        }
        throw new AssertionError("no " + query + " in " + trace);
    }

    private static void checkResolutionDelayRule(ConnectResult r) {
        assertTrue(r.ok(), r::toString);
        JsonNode t = r.trace();
        double a = end(t, "A"), aaaa = end(t, "AAAA");
        JsonNode first = t.path("attempts").get(0);
        boolean aaaaInTime = aaaa >= 0 && (a < 0 || aaaa <= a + 50);
        if (aaaaInTime) {
            assertEquals("IPv6", first.path("family").asText(), "AAAA came in time: " + t);
        } else {
            assertEquals("IPv4", first.path("family").asText(), "AAAA was late: " + t);
            assertTrue(first.path("start_ms").asDouble() >= a + 50, "IPv4 waited the Resolution Delay: " + t);
        }
    }

    @Test
    void aaaaAnswersLateByTenAndThreeHundredMilliseconds(Lab lab) {
        LabHost c = lab.host("dc");
        ConnectResult soon = c.connect("happy", "late10.ds.test", 7007, Duration.ofSeconds(3), 250, "dl1");
        System.out.println("[happy eyeballs dns lab] " + soon);
        checkResolutionDelayRule(soon);
        ConnectResult late = c.connect("happy", "late300.ds.test", 7007, Duration.ofSeconds(3), 250, "dl2");
        System.out.println("[happy eyeballs dns lab] " + late);
        checkResolutionDelayRule(late);
        assertEquals("ipv4", late.family(), "IPv4 started 250 ms before the AAAA answer and connected: " + late);
        assertTrue(lab.dnsLog().stream().anyMatch(l -> l.contains("query[AAAA] late300.ds.test") && l.contains("300 ms")),
                () -> String.join("\n", lab.dnsLog()));
    }
}
