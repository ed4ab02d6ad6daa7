package io.dualsock.cli.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.dualsock.Hints;
import io.dualsock.cli.clients.ClientsReport.Cell;
import io.dualsock.cli.clients.ClientsTable.Implementation;
import io.dualsock.cli.clients.ClientsTable.Situation;
import io.dualsock.lab.Family;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabExtension;
import io.dualsock.lab.NameSource;

/**
 * The whole clients table in one lab, as {@code dualsock matrix --clients} runs it. Outcomes and
 * order are asserted against the evidence (the server host's counters, the client host's SYNs,
 * the Connector's trace, libc's own order from the client host), never against the clock: the
 * times are printed (they go in docs/happy-eyeballs.md). Every client's limit is 2 s: below the
 * 3 s the kernel takes to give up on an unanswered neighbour (the ghost AAAA), so a first-address
 * client times out there instead of racing the kernel; with 7 rows and 7 columns the cells take
 * about half a minute, most of it the eight cells that wait out the limit.
 */
class ClientsTableLabTest {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(ClientsTable.topology(), NameSource.DNS);

    private static ClientsReport report;

    @BeforeAll
    static void runTheTable(Lab lab) {
        report = ClientsTable.run(lab, ClientsTable.Options.defaults(), System.out);
        System.out.println(report.toText());
        System.out.println(report.toMarkdown());
    }

    private static Cell cell(Implementation r, Situation s) {
        return report.cell(r, s);
    }

    /** The first address getaddrinfo(AF_UNSPEC, SOCK_STREAM) gives on the situation's client host: libc's order. */
    private static String libcFirst(Lab lab, Situation s) {
        List<String> a = lab.host(s.clientHost).resolve(s.name, "7007", Hints.builder().unspec().stream().build());
        return a.get(0);
    }

    @Test
    void everyCellsEvidenceAgreesAndEveryConnectionsProtocolWasMeasured() {
        for (Cell c : report.cells()) {
            assertTrue(c.problems().isEmpty(), () -> c.implementation() + "/" + c.situation() + ": " + c.problems());
            if (c.connected()) assertNotEquals(null, c.protocol(), c::toString);
        }
        assertEquals(ClientsTable.Implementation.values().length * ClientsTable.Situation.values().length, report.cells().size());
        for (String line : report.toText().split("\n")) assertTrue(line.length() <= 120, "longer than 120: " + line);
    }

    @Test
    void happyConnectsEverywhereOverIpv6WhenHealthyAndOverIpv4WhenTheIpv6PathDrops() {
        for (Situation s : Situation.values()) assertTrue(cell(Implementation.HAPPY, s).connected(), () -> cell(Implementation.HAPPY, s).toString());
        Cell healthy = cell(Implementation.HAPPY, Situation.HEALTHY);
        assertEquals(Family.IPV6, healthy.protocol(), healthy::toString);
        assertEquals(1, healthy.attempts(), healthy::toString);
        Cell b = cell(Implementation.HAPPY, Situation.BLACKHOLE);
        assertEquals(Family.IPV4, b.protocol(), b::toString);
        JsonNode a = b.trace().path("attempts");
        assertEquals("IPv6", a.get(0).path("family").asText(), b::toString);
        assertEquals("IPv4", a.get(1).path("family").asText(), b::toString);
        assertTrue(a.get(1).path("start_ms").asDouble() >= a.get(0).path("start_ms").asDouble() + 250,
                "the IPv4 attempt waited the attempt delay, measured by the trace: " + b.trace());
        assertEquals(2, b.synsSent(), "both attempts sent a SYN: " + b);
    }

    @Test
    void firstAddressClientsWaitOutTheirLimitOnTheDroppedIpv6Path(Lab lab) {
        String first = libcFirst(lab, Situation.BLACKHOLE);
        assertTrue(first.contains(":"), "libc puts the AAAA first on a dual-stack host: " + first);
        for (Implementation r : List.of(Implementation.SOCKET, Implementation.HTTPCLIENT, Implementation.NETTY, Implementation.SEQUENTIAL)) {
            Cell c = cell(r, Situation.BLACKHOLE);
            assertFalse(c.connected(), c::toString);
            assertTrue(List.of("TIMEOUT", "ETIMEDOUT").contains(c.outcome()), c::toString);
            assertEquals(1, c.synsSent(), "one address, one SYN sent (and retransmitted): " + c);
            if (!c.tried().isEmpty()) assertEquals(List.of(first), c.tried(), c::toString);
        }
        // The JDK's own default order (A first) never meets the drop.
        Cell jdk = cell(Implementation.SOCKET_JDK_ORDER, Situation.BLACKHOLE);
        assertTrue(jdk.connected(), jdk::toString);
        assertEquals(Family.IPV4, jdk.protocol(), jdk::toString);
    }

    @Test
    void okHttpRacesIpv6FirstAndFallsBackToIpv4() {
        Cell c = cell(Implementation.OKHTTP, Situation.BLACKHOLE);
        assertTrue(c.connected(), c::toString);
        assertEquals(Family.IPV4, c.protocol(), c::toString);
        assertTrue(c.tried().size() >= 2 && c.tried().get(0).contains(":") && !c.tried().get(1).contains(":"), c::toString);
        Cell healthy = cell(Implementation.OKHTTP, Situation.HEALTHY);
        assertEquals(Family.IPV6, healthy.protocol(), healthy::toString);
    }

    @Test
    void theGhostAaaaCostsFirstAddressClientsTheConnectionAndHappyOneAttemptDelay() {
        Cell h = cell(Implementation.HAPPY, Situation.GHOST);
        assertEquals(Family.IPV4, h.protocol(), h::toString);
        assertEquals("2001:db8::99", h.tried().get(0), h::toString);
        for (Implementation r : List.of(Implementation.SOCKET, Implementation.SEQUENTIAL)) {
            Cell c = cell(r, Situation.GHOST);
            assertFalse(c.connected(), c::toString);
            assertEquals("2001:db8::99", c.tried().get(0), c::toString);
        }
    }

    @Test
    void aLateAaaaAnswerSendsHappyToIpv4AfterTheResolutionDelay() {
        Cell c = cell(Implementation.HAPPY, Situation.LATE1000);
        JsonNode t = c.trace();
        double aEnd = -1;
        for (JsonNode q : t.path("resolutions")) if (q.path("query").asText().equals("A")) aEnd = q.path("end_ms").asDouble();
        JsonNode first = t.path("attempts").get(0);
        assertEquals("IPv4", first.path("family").asText(), t::toString);
        assertTrue(first.path("start_ms").asDouble() >= aEnd + 50, "IPv4 waited the Resolution Delay after the A answer: " + t);
        assertEquals(Family.IPV4, c.protocol(), c::toString);
    }

    @Test
    void singleStackHostsConnectOnlyOverTheirOwnProtocol() {
        for (Implementation r : Implementation.values()) {
            Cell six = cell(r, Situation.V6_ONLY);
            if (six.connected()) assertEquals(Family.IPV6, six.protocol(), six::toString);
            Cell four = cell(r, Situation.V4_ONLY);
            if (four.connected()) assertEquals(Family.IPV4, four.protocol(), four::toString);
        }
        assertEquals(Family.IPV6, cell(Implementation.HAPPY, Situation.V6_ONLY).protocol());
        assertEquals(Family.IPV4, cell(Implementation.HAPPY, Situation.V4_ONLY).protocol());
    }
}
