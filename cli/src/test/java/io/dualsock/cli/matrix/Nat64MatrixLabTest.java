package io.dualsock.cli.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dualsock.Nat64;
import io.dualsock.cli.compare.JdkMatrix;
import io.dualsock.lab.Family;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabExtension;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Prerequisites;
import io.dualsock.lab.Topology;
import io.dualsock.testsupport.Prerequisite;

/**
 * The NAT64 rows ({@code dualsock matrix --nat64}) measured: the IPv6-only client host behind
 * the lab's TAYGA reaches the IPv4-only server at its synthesized address in every variant,
 * native and Java (preferIPv6Addresses=true), the server seeing a pool address and counting only
 * IPv4 while the client counts only IPv6 (the synthesized AAAA comes from the lab's DNS64, the
 * client host having {@code dns64: true}); the IPv4-literal column fails for every plain client.
 */
class Nat64MatrixLabTest {
    static final Topology TOPOLOGY = Nat64Rows.topology();
    static final String SYNTHESIZED = "2001:db8:6464::c633:640b";
    /** Every variant; happy-nat64 is the one client that synthesizes IPv4 literals itself (RFC 8305 §7). */
    static final List<Variant> VARIANTS = List.of(Variant.BOOK, Variant.LOOP, Variant.ALL, Variant.UNSPEC, Variant.HAPPY,
            Variant.HAPPY_NAT64);
    static Lab lab;
    static MatrixReport report;

    @BeforeAll
    static void measure() {
        LabExtension.assumeLabCanRun(NameSource.DNS);
        Prerequisite.require(Prerequisites.which("tayga").isPresent(), "tayga is not installed (bin/setup-packages --install)");
        Prerequisite.require(Prerequisites.which("unbound").isPresent() || java.nio.file.Files.isExecutable(java.nio.file.Path.of(
                "/usr/sbin/unbound")), "unbound is not installed (bin/setup-packages --install): the client host asks DNS64");
        Lab.cleanupLeftovers(System.err);
        lab = Lab.builder(TOPOLOGY).nameSource(NameSource.DNS).start();
        MatrixReport base = new MatrixRunner(lab, new MatrixRunner.Options(Duration.ofMillis(500), Duration.ofSeconds(3),
                Duration.ofSeconds(3)), System.err).nat64Prefix(TOPOLOGY.nat64().prefix()).run(List.of(Transport.values()), VARIANTS,
                null);
        report = JdkMatrix.extend(lab, base, JdkMatrix.Options.defaults(Duration.ofMillis(500)), System.err);
        for (MatrixReport.Table t : report.tables()) System.err.println(TextReport.table(t));
    }

    @AfterAll
    static void close() {
        if (lab != null) lab.close();
    }

    @Test
    void everyCellsEvidenceIsSelfConsistentWithTheTranslationTakenIntoAccount() {
        Nat64 prefix = TOPOLOGY.nat64().nat64();
        for (MatrixReport.Table t : report.tables()) Evidence.assertConsistent(t, prefix);
        assertTrue(report.consistent());
    }

    @Test
    void theNat64RowReachesTheIpv4OnlyServerThroughTheGatewayInEveryVariant() {
        int cells = 0;
        for (MatrixReport.Table t : report.tables()) {
            MatrixReport.Cell c = t.cell("ipv6-behind-nat64", "ipv4-on-ipv4only");
            String where = t.transport().id() + "/" + t.variant().id();
            assertEquals(Outcome.IPV4, c.outcome(), where + ": " + c.text() + " " + c.explanation());
            assertEquals(Outcome.NO, c.book().outcome(), where);
            MatrixReport.Attempt a = c.attempts().stream().filter(MatrixReport.Attempt::ok).findFirst().orElseThrow();
            assertEquals(SYNTHESIZED, a.destination().address(), where);
            assertEquals(Family.IPV4, a.addressProtocol(), where);
            assertServerSawThePool(a, where);
            assertTrue(a.wire().ipv4() > 0 && a.wire().ipv6() == 0, where + ": server host " + a.wire().deltas());
            if (!t.variant().connector()) {
                Map<String, Long> client = a.clientCounters();
                assertTrue(client.getOrDefault("Ip6OutRequests", 0L) > 0, where + ": client " + client);
                assertEquals(0L, client.getOrDefault("IpOutRequests", 0L), where + ": client " + client);
            }
            assertTrue(c.explanation().contains("NAT64 of 198.51.100.11") && c.explanation().contains(TOPOLOGY.nat64().pool()),
                    c.explanation());
            cells++;
        }
        assertEquals(3 * 4 + 2, cells, "three transports of four variants, and happy and happy-nat64 over TCP");
    }

    /** Every client but the connector that synthesizes IPv4 literals under the NAT64 prefix (happy-nat64). */
    @Test
    void theIpv4LiteralColumnFailsForEveryPlainClient() {
        for (MatrixReport.Table t : report.tables()) {
            if (t.variant() == Variant.HAPPY_NAT64) continue;
            for (MatrixReport.Row r : t.rows()) {
                MatrixReport.Cell c = t.cell(r.id(), "ipv4-literal");
                String where = t.transport().id() + "/" + t.variant().id() + " " + r.label();
                assertEquals(Outcome.NO, c.outcome(), where + ": " + c.text());
                assertTrue(c.text().contains("ENETUNREACH") || c.text().contains("EAI_ADDRFAMILY") || c.text().contains("Exception"),
                        where + ": " + c.text());
                assertFalse(c.attempts().stream().anyMatch(a -> a.wire().ipv4() > 0 || a.wire().ipv6() > 0),
                        where + ": nothing reaches the server host");
            }
        }
    }

    @Test
    void theConnectorThatSynthesizesReachesTheIpv4LiteralThroughTheGateway() {
        MatrixReport.Table t = report.tables().stream().filter(x -> x.variant() == Variant.HAPPY_NAT64).findFirst().orElseThrow();
        MatrixReport.Cell c = t.cell("ipv6-behind-nat64", "ipv4-literal");
        assertEquals(Outcome.IPV4, c.outcome(), c.text() + " " + c.explanation());
        MatrixReport.Attempt a = c.attempts().stream().filter(MatrixReport.Attempt::ok).findFirst().orElseThrow();
        assertEquals(SYNTHESIZED, a.destination().address());
        assertServerSawThePool(a, "happy-nat64 literal");
        assertTrue(a.wire().ipv4() > 0 && a.wire().ipv6() == 0, a.wire().deltas().toString());
    }

    @Test
    void theJavaClientThatPrefersIpv6GoesThroughTheGatewayToo() {
        MatrixReport.Table first = report.tables().stream().filter(t -> t.transport() == Transport.TCP).findFirst().orElseThrow();
        MatrixReport.Row java = first.rows().stream().filter(r -> r.label().contains("preferIPv6Addresses=true")).findFirst()
                .orElseThrow(() -> new AssertionError("no Java row in " + first.rows()));
        MatrixReport.Cell c = first.cell(java.id(), "ipv4-on-ipv4only");
        assertEquals(Outcome.IPV4, c.outcome(), c.text() + " " + c.explanation());
        MatrixReport.Attempt a = c.attempts().get(0);
        assertEquals(SYNTHESIZED, a.destination().address());
        assertServerSawThePool(a, "java");
    }

    @Test
    void theReportsRenderTheRowsAndTheJsonFollowsTheSchema() throws Exception {
        String text = TextReport.all(report);
        assertTrue(text.contains("IPv6 client, IPv6-only host behind NAT64/DNS64"), text);
        assertTrue(text.contains("by IPv4 literal"), text);
        assertTrue(HtmlReport.render(report).contains("behind NAT64/DNS64"));
        ObjectMapper m = new ObjectMapper();
        JsonNode doc = m.readTree(JsonReport.render(report));
        assertEquals("2001:db8:6464::/96", doc.path("topology").path("nat64").path("prefix").asText());
        JsonNode schema = m.readTree(java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("user.dir"))
                .resolveSibling("docs").resolve("lab-schema.json")));
        List<String> errors = SchemaCheck.validate(schema, doc);
        assertTrue(errors.isEmpty(), String.join("\n", errors.subList(0, Math.min(20, errors.size()))));
    }

    private static void assertServerSawThePool(MatrixReport.Attempt a, String where) {
        assertNotNull(a.serverPeer(), where);
        String peer = a.serverPeer().substring(0, a.serverPeer().lastIndexOf(':'));
        assertTrue(TOPOLOGY.nat64().inPool(peer), where + ": the server saw " + a.serverPeer());
    }
}
