package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.testsupport.Prerequisite;

/**
 * End to end through the lab's NAT64 gateway (TAYGA): the Connector on an IPv6-only host reaches
 * an IPv4-only server by its IPv4 literal only with RFC 8305 §7 synthesis. Without a prefix it
 * has no address; with the topology's prefix it attempts the synthesized address, the gateway
 * translates, the echo comes back (checked byte for byte by the agent) and the server sees a pool
 * address. The gateway's own data-path checks are Nat64GatewayLabTest's.
 */
class Nat64ConnectorGatewayLabTest {
    private static final Duration LIMIT = Duration.ofSeconds(3);

    @BeforeEach
    void labCanRun() {
        LabExtension.assumeLabCanRun(NameSource.FILES);
        Prerequisite.require(Prerequisites.which("tayga").isPresent(), "tayga is not installed (bin/setup-packages --install)");
        Lab.cleanupLeftovers(System.err);
    }

    @Test
    void anIpv4LiteralCrossesTheGatewayOnlyThroughTheConnectorsSynthesis() {
        Topology t = Nat64GatewayLabTest.topology();
        String literal = Nat64GatewayLabTest.SERVER4;
        String synthesized = t.nat64().synthesize(literal);
        String prefix = String.valueOf(t.nat64().prefix());
        try (Lab lab = Lab.builder(t).start()) {
            LabHost c6 = lab.host("c6");
            LabHost s4 = lab.host("s4");
            ConnectResult off = c6.connect("happy", literal, 7007, LIMIT, 250, "e2e-off", "none");
            System.out.println("[nat64 connector e2e] " + off);
            assertEquals("NO_ADDRESS", off.outcome(), off::toString);
            assertEquals(0, off.attempts(), off::toString);

            s4.discardServed();
            ConnectResult on = c6.connect("happy", literal, 7007, LIMIT, 250, "e2e-on", prefix);
            System.out.println("[nat64 connector e2e] " + on);
            assertEquals("ok", on.outcome(), on::toString);
            assertEquals("ipv6", on.family(), on::toString);
            JsonNode a = on.trace().path("attempts").get(0);
            assertEquals(synthesized, a.path("address").asText(), on::toString);
            assertEquals(literal, a.path("nat64_of").asText(), on::toString);
            Optional<Served> served = s4.awaitServed("e2e-on", Duration.ofSeconds(5));
            assertTrue(served.isPresent(), "the IPv4 server reported the exchange");
            String peer = served.get().peer();
            assertTrue(t.nat64().inPool(peer.substring(0, peer.lastIndexOf(':'))), "the server saw a pool address: " + peer);
        }
    }
}
