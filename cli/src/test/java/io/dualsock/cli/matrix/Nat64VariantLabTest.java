package io.dualsock.cli.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dualsock.lab.Lab;
import io.dualsock.lab.LabExtension;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Topology;
import io.dualsock.lab.TopologyJson;

/**
 * The matrix's hook for an IPv4-literal column: {@link Variant#HAPPY_NAT64} and
 * {@link HappyCell#run} with a target and a NAT64 setting, on two IPv6-only hosts and no gateway.
 * The prefix {@code 2001:db8::/96} maps the literal {@code 198.51.100.51} onto the server host's
 * own address, so the cell connects without a translator; the evidence labels the synthesized
 * address as the mapped ones are labelled.
 */
class Nat64VariantLabTest {
    private static final String TOPOLOGY = """
            {
              "description": "IPv6-only hosts, no NAT64 gateway: the happy-nat64 client",
              "hosts": [
                { "name": "n6s", "stack": "ipv6-only", "ipv6": "2001:db8::c633:6433", "names": ["n6s.ds.test"] },
                { "name": "n6c", "stack": "ipv6-only", "ipv6": "2001:db8::52" }
              ],
              "servers": [ { "id": "s", "host": "n6s", "family": "ipv6", "name": "n6s.ds.test" } ],
              "clients": [ { "host": "n6c", "family": "ipv6" } ]
            }""";

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(TopologyJson.parse(TOPOLOGY, "Nat64VariantLabTest"), NameSource.FILES);

    private static final Duration LIMIT = Duration.ofSeconds(2);

    @Test
    void anIpv4LiteralCellThroughTheNat64ClientIsLabelledAndTheRowsWithoutItAreNot(Lab lab) {
        Topology topo = lab.topology();
        Topology.Client c = topo.clients().get(0);
        Topology.Server s = topo.servers().get(0);
        MatrixReport.Cell lit = HappyCell.run(topo, Transport.TCP, Variant.HAPPY_NAT64, c, s, lab.host("n6c"), lab.host("n6s"),
                "198.51.100.51", "2001:db8::/96", LIMIT, LIMIT, "nv-lit");
        String said = Explainer.describe(Transport.TCP, lit.attempts().get(0), s);
        System.out.println("[nat64 variant lab] " + lit.lookup() + "\n  " + said);
        assertEquals(Outcome.IPV6, lit.outcome(), lit::toString);
        assertTrue(lit.consistent(), lit::toString);
        assertEquals("198.51.100.51", lit.lookup().name());
        assertEquals("2001:db8::c633:6433", lit.lookup().addresses().get(0).address(), "the synthesized address joins the lookup");
        assertTrue(lit.lookup().hints().endsWith("; IPv6-only host, NAT64 (given): 1 synthesized"), lit.lookup()::toString);
        assertEquals("synthesized 2001:db8::c633:6433 by the Connector from 198.51.100.51 (RFC 8305 §7); the resolver: "
                + "EAI_ADDRFAMILY, EAI_NONAME", lit.lookup().detail());
        assertTrue(lit.attempts().get(0).detail().endsWith("; NAT64 of 198.51.100.51 through 2001:db8::/96"), lit::toString);
        com.fasterxml.jackson.databind.JsonNode dst = JsonReport.cell(lit).path("attempts").get(0).path("destination");
        assertEquals("198.51.100.51", dst.path("nat64Of").asText(), dst::toString);
        assertTrue(said.startsWith("try 1 [2001:db8::c633:6433]:" + s.port() + " (NAT64 of 198.51.100.51, AF_INET6 socket): ok over IPv6"),
                said);

        // the plain happy client (NAT64 off) cannot reach the literal: the resolver's errors, no attempt
        MatrixReport.Cell plain = HappyCell.run(topo, Transport.TCP, Variant.HAPPY, c, s, lab.host("n6c"), lab.host("n6s"),
                "198.51.100.51", "none", LIMIT, LIMIT, "nv-plain");
        assertEquals(Outcome.NO, plain.outcome(), plain::toString);
        assertEquals(List.of(), plain.attempts());
        assertEquals("EAI_ADDRFAMILY", plain.lookup().error(), plain.lookup()::toString);

        // the whole happy-nat64 table to the server's name: AAAA answers, nothing synthesized, nothing labelled
        MatrixReport.Table t = new MatrixRunner(lab, MatrixRunner.Options.defaults(), System.err).nat64Prefix("2001:db8::/96")
                .runTable(Transport.TCP, Variant.HAPPY_NAT64);
        MatrixReport.Cell named = t.cells().get(0);
        assertEquals(Outcome.IPV6, named.outcome(), named::toString);
        assertEquals("AF_INET6 and AF_INET apart, AI_ADDRCONFIG (Connector)", named.lookup().hints());
        assertTrue(JsonReport.cell(named).path("attempts").get(0).path("destination").path("nat64Of").isMissingNode());
        assertTrue(Explainer.describe(Transport.TCP, named.attempts().get(0), s).startsWith("try 1 [2001:db8::c633:6433]:"
                + s.port() + " (AF_INET6 socket)"));
    }
}
