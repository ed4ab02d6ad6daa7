package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Connector against a dual-stack server whose IPv6 path silently drops (nftables in its
 * namespace, {@code "ipv6_path": "blackhole"}) and against a healthy one, beside
 * {@code java.net.Socket}. Outcomes and order are asserted; times are only printed (they go
 * in docs/happy-eyeballs.md).
 */
class HappyEyeballsLabTest {
    private static final String TOPOLOGY = """
            {
              "description": "Happy Eyeballs: a dual-stack server whose IPv6 path drops, and a healthy one",
              "hosts": [
                { "name": "hb", "stack": "dual-stack", "ipv4": "198.51.100.31", "ipv6": "2001:db8::31",
                  "names": ["blackholed.ds.test"], "ipv6_path": "blackhole" },
                { "name": "hh", "stack": "dual-stack", "ipv4": "198.51.100.32", "ipv6": "2001:db8::32",
                  "names": ["healthy.ds.test"] },
                { "name": "hc", "stack": "dual-stack", "ipv4": "198.51.100.33", "ipv6": "2001:db8::33" }
              ],
              "servers": [
                { "id": "b", "host": "hb", "family": "ipv6" },
                { "id": "h", "host": "hh", "family": "ipv6" }
              ],
              "clients": [ { "host": "hc", "family": "ipv6" } ]
            }""";

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(TopologyJson.parse(TOPOLOGY, "HappyEyeballsLabTest"), NameSource.FILES);

    private static final Duration LIMIT = Duration.ofMillis(1500);

    private static List<String> results(ConnectResult r) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : r.trace().path("attempts")) out.add(a.path("family").asText() + " " + a.path("result").asText());
        return out;
    }

    @Test
    void blackholedIpv6GivesWayToIpv4WhereTheJdkSocketWaitsItsLimit(Lab lab) {
        LabHost c = lab.host("hc");
        ConnectResult happy = c.connect("happy", "blackholed.ds.test", 7007, LIMIT, 250, "he1");
        System.out.println("[happy eyeballs lab] " + happy);
        assertTrue(happy.ok(), happy::toString);
        assertEquals("ipv4", happy.family(), happy::toString);
        assertEquals(List.of("IPv6 abandoned", "IPv4 connected"), results(happy), happy::toString);
        JsonNode a = happy.trace().path("attempts");
        assertTrue(a.get(1).path("start_ms").asDouble() >= a.get(0).path("start_ms").asDouble() + 250,
                "the IPv4 attempt starts after the attempt delay: " + happy.trace());
        assertEquals("198.51.100.31", a.get(1).path("address").asText());

        // The JDK's default (java.net.preferIPv6Addresses=false) puts the A record first: the
        // first address, all java.net.Socket tries, is IPv4 and the drop is never seen.
        ConnectResult socket = c.connect("socket", "blackholed.ds.test", 7007, LIMIT, 0, "he2");
        System.out.println("[happy eyeballs lab] " + socket);
        assertEquals("ok", socket.outcome(), socket::toString);
        assertEquals("ipv4", socket.family(), socket::toString);
        assertEquals(1, socket.attempts());
        // With the system's order (preferIPv6Addresses=system, glibc puts AAAA first) the first
        // address is the IPv6 one, and java.net.Socket waits out its time limit on it.
        try (AgentProcess sys = c.startAgent(JavaCommand.current().withJvmArgs(List.of(
                "-Djava.net.preferIPv6Addresses=system")), "preferIPv6Addresses=system")) {
            ConnectResult s6 = LabHost.connect(sys, "socket", "blackholed.ds.test", 7007, LIMIT, 0, "he4");
            System.out.println("[happy eyeballs lab] " + s6);
            assertEquals("TIMEOUT", s6.outcome(), "java.net.Socket tries the first address only: " + s6);
            assertEquals(1, s6.attempts());
            ConnectResult h6 = LabHost.connect(sys, "socket", "healthy.ds.test", 7007, LIMIT, 0, "he5");
            assertEquals("ipv6", h6.family(), h6::toString);
        }

        ConnectResult seq = c.connect("sequential", "blackholed.ds.test", 7007, LIMIT, 250, "he3");
        System.out.println("[happy eyeballs lab] " + seq);
        assertEquals("ETIMEDOUT", seq.outcome(), "the book's loop waits on the IPv6 address: " + seq);
        assertEquals(List.of("IPv6 ETIMEDOUT"), results(seq), seq::toString);
    }

    @Test
    void healthyDualStackConnectsOverIpv6(Lab lab) {
        LabHost c = lab.host("hc");
        for (String client : List.of("happy", "sequential", "socket")) {
            ConnectResult r = c.connect(client, "healthy.ds.test", 7007, LIMIT, 250, "hh-" + client);
            System.out.println("[happy eyeballs lab] " + r);
            assertTrue(r.ok(), r::toString);
            // java.net.Socket by default: the A record first, so IPv4 even where IPv6 works
            assertEquals(client.equals("socket") ? "ipv4" : "ipv6", r.family(), r::toString);
            if (r.trace() != null) assertEquals(List.of("IPv6 connected"), results(r), r::toString);
        }
        assertNotEquals(null, lab.host("hh").counters());
    }
}
