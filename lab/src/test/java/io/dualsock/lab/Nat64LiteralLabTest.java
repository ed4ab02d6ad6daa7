package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * RFC 8305 §7 in the Connector, on real IPv6-only hosts and no NAT64 gateway: an IPv4 literal
 * fails with the resolver's own errors and nothing attempted when there is no prefix, and with
 * a given prefix the synthesized IPv6 address is what is attempted. The prefix
 * {@code 2001:db8::/96} is chosen so that {@code 198.51.100.51} synthesizes to the server
 * host's own address, {@code 2001:db8::c633:6433}: the connection is then plain IPv6, and the
 * test shows the client's side of §7 without a translator (the data path through TAYGA is the
 * gateway's test).
 */
class Nat64LiteralLabTest {
    private static final String TOPOLOGY = """
            {
              "description": "IPv6-only hosts, no NAT64 gateway: RFC 8305 §7 synthesis for an IPv4 literal",
              "hosts": [
                { "name": "n6s", "stack": "ipv6-only", "ipv6": "2001:db8::c633:6433" },
                { "name": "n6c", "stack": "ipv6-only", "ipv6": "2001:db8::52" }
              ],
              "servers": [ { "id": "s", "host": "n6s", "family": "ipv6" } ],
              "clients": [ { "host": "n6c", "family": "ipv6" } ]
            }""";

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(TopologyJson.parse(TOPOLOGY, "Nat64LiteralLabTest"), NameSource.FILES);

    private static final Duration LIMIT = Duration.ofMillis(1500);
    private static final String LITERAL = "198.51.100.51";

    @Test
    void withoutAPrefixTheLiteralFailsWithTheResolversErrorsAndNothingIsAttempted(Lab lab) {
        LabHost c = lab.host("n6c");
        ConnectResult off = c.connect("happy", LITERAL, 7007, LIMIT, 250, "n64-off", "none");
        System.out.println("[nat64 literal lab] " + off);
        assertEquals("NO_ADDRESS", off.outcome(), off::toString);
        assertEquals(0, off.attempts(), off::toString);
        assertEquals("no address: AAAA EAI_ADDRFAMILY; A EAI_NONAME", off.trace().path("failure").asText(),
                "glibc: AF_INET6 refuses an IPv4 literal without AI_V4MAPPED, AI_ADDRCONFIG refuses AF_INET with no IPv4 address");
        assertTrue(off.trace().path("nat64").isMissingNode(), off::toString);

        // The default asks RFC 7050 discovery; this lab has no DNS64, so it finds no prefix.
        ConnectResult discovered = c.connect("happy", LITERAL, 7007, LIMIT, 250, "n64-disc", null);
        System.out.println("[nat64 literal lab] " + discovered);
        assertFalse(discovered.ok(), discovered::toString);
        assertEquals(0, discovered.attempts(), discovered::toString);
        JsonNode n = discovered.trace().path("nat64");
        if (!"ETIMEDOUT".equals(discovered.outcome())) {
            assertEquals("discovered", n.path("source").asText(), discovered::toString);
            assertEquals(LITERAL, n.path("ipv4").get(0).asText(), discovered::toString);
            assertTrue(n.path("note").asText().startsWith("no NAT64 prefix"), discovered::toString);
        }
    }

    @Test
    void withAGivenPrefixTheSynthesizedAddressIsAttemptedAndConnects(Lab lab) {
        LabHost c = lab.host("n6c");
        LabHost s = lab.host("n6s");
        s.discardServed();
        ConnectResult r = c.connect("happy", LITERAL, 7007, LIMIT, 250, "n64-given", "2001:db8::/96");
        System.out.println("[nat64 literal lab] " + r);
        assertTrue(r.ok(), r::toString);
        assertEquals("ipv6", r.family(), r::toString);
        JsonNode a = r.trace().path("attempts");
        assertEquals(1, a.size(), r::toString);
        assertEquals("2001:db8::c633:6433", a.get(0).path("address").asText());
        assertEquals(LITERAL, a.get(0).path("nat64_of").asText());
        JsonNode n = r.trace().path("nat64");
        assertEquals("given", n.path("source").asText());
        assertEquals("2001:db8::/96", n.path("prefixes").get(0).asText());
        Optional<Served> served = s.awaitServed("n64-given", Duration.ofSeconds(5));
        assertTrue(served.isPresent(), "the server saw the exchange");
        assertTrue(served.get().peer().contains("2001:db8::52"), served.get()::toString);

        // The book's loop has no RFC 8305 §7: AF_UNSPEC (no AI_ADDRCONFIG) hands back the literal,
        // and the kernel refuses it at once, this host having no IPv4 route.
        ConnectResult seq = c.connect("sequential", LITERAL, 7007, LIMIT, 250, "n64-seq", "2001:db8::/96");
        System.out.println("[nat64 literal lab] " + seq);
        assertEquals("ENETUNREACH", seq.outcome(), seq::toString);
        assertEquals(1, seq.attempts(), seq::toString);
        assertEquals(LITERAL, seq.trace().path("attempts").get(0).path("address").asText(), seq::toString);
    }
}
