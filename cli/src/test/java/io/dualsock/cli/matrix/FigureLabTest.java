package io.dualsock.cli.matrix;

import io.dualsock.lab.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.dualsock.cli.matrix.JsonReport;
import io.dualsock.cli.matrix.MarkdownReport;
import io.dualsock.cli.matrix.MatrixReport;
import io.dualsock.cli.matrix.MatrixRunner;
import io.dualsock.cli.matrix.Outcome;
import io.dualsock.cli.matrix.TextReport;
import io.dualsock.cli.matrix.Transport;
import io.dualsock.cli.matrix.Variant;

/**
 * Figure 12.5 on the real kernel: one lab with hosts files and one with the lab's DNS server,
 * each running every transport and variant once; the tests read the two reports.
 * Runs as root (CI); elsewhere it is skipped with the reason.
 */
class FigureLabTest {
    static final Topology FIGURE = Topology.figure125();
    static final MatrixRunner.Options OPTIONS = new MatrixRunner.Options(Duration.ofMillis(400), Duration.ofSeconds(3),
            Duration.ofSeconds(3));
    static MatrixReport files;
    static MatrixReport dns;
    static java.util.Map<String, String> rootBefore;

    @BeforeAll
    static void measure() throws Exception {
        LabExtension.assumeLabCanRun(NameSource.DNS);
        Lab.cleanupLeftovers(System.err);
        rootBefore = RootNamespace.snapshot();
        files = run(NameSource.FILES);
        Leftovers.assertNoLab();
        dns = run(NameSource.DNS);
        Leftovers.assertNoLab();
    }

    private static MatrixReport run(NameSource source) {
        try (Lab lab = Lab.builder(FIGURE).nameSource(source).log(System.err).start()) {
            Leftovers.assertAll(lab.namespaces());
            return new MatrixRunner(lab, OPTIONS, System.err).run(List.of(Transport.values()), Variant.defaults(),
                    t -> System.err.println(TextReport.table(t)));
        }
    }

    @AfterAll
    static void nothingOfTheLabIsLeft() throws Exception {
        if (rootBefore == null) return; // skipped
        Leftovers.assertNoLab();
        java.util.Map<String, String> after = RootNamespace.snapshot();
        for (String k : rootBefore.keySet()) {
            assertEquals(rootBefore.get(k), after.get(k), "the lab changed the root namespace's " + k);
        }
    }

    static MatrixReport.Table table(MatrixReport r, Transport t, Variant v) {
        return r.tables().stream().filter(x -> x.transport() == t && x.variant() == v).findFirst().orElseThrow();
    }

    /** UNP Figure 12.5, typed in from the book (rows: clients, columns: servers, in the topology's order). */
    static final String[][] BOOK_FIGURE = {
        {"IPv4", "(no)", "IPv4", "IPv4"},
        {"(no)", "IPv6", "(no)", "IPv6"},
        {"IPv4", "(no)", "IPv4", "IPv4"},
        {"IPv4", "IPv6", "(no)", "IPv6"},
    };

    @Test
    void bookTablesEqualFigure125CellForCell() {
        for (Transport tr : Transport.values()) {
            MatrixReport.Table t = table(files, tr, Variant.BOOK);
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 4; c++) {
                    MatrixReport.Cell cell = t.cell(FIGURE.clients().get(r).id(), FIGURE.servers().get(c).id());
                    String where = tr.id() + " " + cell.row() + " -> " + cell.column() + ": " + cell.text();
                    assertEquals(BOOK_FIGURE[r][c], cell.outcome().text(), where);
                    if (cell.outcome() != Outcome.NO) assertEquals(1, cell.successfulTry(), where + ": the book's client tries one address");
                }
            }
        }
    }

    /**
     * UDP's counters are the server host's: in the footnote cell the datagram to 2001:db8::13
     * finds no socket at the IPv4 server's host, which counts Udp6NoPorts there (the client host
     * counts an ICMPv6 error in, nothing in Udp6NoPorts), and the server host's counters show no IPv4.
     */
    @Test
    void udpFootnoteCellIsCountedAtTheServerHost() {
        for (Transport tr : List.of(Transport.UDP, Transport.UDP_CONNECTED)) {
            MatrixReport.Attempt a = table(files, tr, Variant.BOOK).cell("ipv6-on-dual", "ipv4-on-dual").attempts().get(0);
            assertEquals("2001:db8::13", a.destination().address(), tr.id());
            // connected: ECONNREFUSED, or EAGAIN if the host's ICMPv6 rate limit held the error back
            assertTrue(a.outcome().equals("EAGAIN") || tr == Transport.UDP_CONNECTED && a.outcome().equals("ECONNREFUSED"),
                    tr.id() + ": " + a.outcome());
            assertEquals(1, a.wire().get("Udp6NoPorts"), tr.id() + ": " + a.wire().deltas());
            assertEquals(0, a.wire().get("IpInDelivers"), tr.id() + ": " + a.wire().deltas());
            assertEquals(0, a.clientCounters().getOrDefault("Udp6NoPorts", 0L), tr.id() + ": " + a.clientCounters());
        }
    }

    @Test
    void everyCellsEvidenceIsSelfConsistent() {
        assertEquals(13, files.tables().size()); // 4 variants x 3 transports, and happy (TCP only)
        for (MatrixReport.Table t : files.tables()) Evidence.assertConsistent(t);
        for (MatrixReport.Table t : dns.tables()) Evidence.assertConsistent(t);
        assertTrue(files.consistent() && dns.consistent());
    }

    @Test
    void theKernelMapsAndUnmapsAsSection12Says() {
        MatrixReport.Table t = table(files, Transport.TCP, Variant.BOOK);
        // IPv4 client, IPv6 server on a dual-stack host: the server sees an IPv4-mapped peer.
        MatrixReport.Attempt a = t.cell("ipv4-on-ipv4only", "ipv6-on-dual").attempts().get(0);
        assertTrue(a.serverPeer().startsWith("[::ffff:198.51.100.21]:"), a.serverPeer());
        assertEquals(Family.IPV4, a.wire().family());
        // IPv6 client, IPv4 server: the resolver maps the A record, the kernel sends IPv4.
        MatrixReport.Cell c = t.cell("ipv6-on-dual", "ipv4-on-ipv4only");
        assertEquals("::ffff:198.51.100.11", c.lookup().addresses().get(0).address());
        assertTrue(c.attempts().get(0).serverPeer().startsWith("198.51.100.23:"), c.attempts().get(0).serverPeer());
        // The same from an IPv6-only host: no IPv4 route, nothing sent.
        MatrixReport.Attempt noRoute = t.cell("ipv6-on-ipv6only", "ipv4-on-ipv4only").attempts().get(0);
        assertEquals("ENETUNREACH", noRoute.outcome());
        assertEquals("none", noRoute.wire().protocol());
        // The footnote cell: the book's client gets the AAAA record only, and the IPv4 server refuses it.
        MatrixReport.Cell star = t.cell("ipv6-on-dual", "ipv4-on-dual");
        assertEquals("(no)*", star.book().text());
        assertEquals(List.of("2001:db8::13"), star.lookup().addresses().stream().map(Lookup.Resolved::address).toList());
        assertEquals("ECONNREFUSED", star.attempts().get(0).outcome());
        assertEquals(1, star.attempts().get(0).wire().get("TcpOutRsts"));
    }

    @Test
    void tryingEveryAddressReachesTheFootnoteCell() {
        for (Variant v : List.of(Variant.ALL, Variant.UNSPEC)) {
            for (Transport tr : Transport.values()) {
                MatrixReport.Cell c = table(files, tr, v).cell("ipv6-on-dual", "ipv4-on-dual");
                assertEquals(Outcome.IPV4, c.outcome(), tr + "/" + v + ": " + c.text());
                assertEquals(2, c.successfulTry());
                assertTrue(c.differsFromBook());
                assertTrue(c.explanation().contains("try 1 [2001:db8::13]:7007"), c.explanation());
                // The client loops, so the explanation says why libc gave it the AAAA record first.
                String second = v == Variant.ALL ? "::ffff:198.51.100.13" : "198.51.100.13";
                assertTrue(c.explanation().contains("libc put 2001:db8::13 before " + second
                        + " by rule 6 (prefer higher precedence): precedence 40 vs 10. try 1"), c.explanation());
            }
        }
        // loop has the book's hints: the AAAA record only, so nothing else to try.
        assertEquals(Outcome.NO, table(files, Transport.TCP, Variant.LOOP).cell("ipv6-on-dual", "ipv4-on-dual").outcome());
    }

    @Test
    void dnsGivesTheSameTablesAsHostsFiles() {
        assertEquals(files.tables().size(), dns.tables().size());
        List<String> eaiDifferences = new ArrayList<>();
        for (int i = 0; i < files.tables().size(); i++) {
            MatrixReport.Table f = files.tables().get(i);
            MatrixReport.Table d = dns.tables().get(i);
            for (int k = 0; k < f.cells().size(); k++) {
                MatrixReport.Cell fc = f.cells().get(k);
                MatrixReport.Cell dc = d.cells().get(k);
                String where = f.transport().id() + "/" + f.variant().id() + " " + fc.row() + " -> " + fc.column();
                assertEquals(fc.outcome(), dc.outcome(), where);
                assertEquals(fc.successfulTry(), dc.successfulTry(), where);
                // The Connector (happy) starts on the AAAA answer without waiting for the A answer, so
                // whether the A answer made it into its trace is a race: compare the other variants' answers.
                if (f.variant() != Variant.HAPPY) {
                    assertEquals(fc.lookup().addresses(), dc.lookup().addresses(), where + ": getaddrinfo's answer");
                }
                assertEquals(fc.attempts().stream().map(MatrixReport.Attempt::outcome).toList(),
                        dc.attempts().stream().map(MatrixReport.Attempt::outcome).toList(), where);
                if (!fc.text().equals(dc.text())) eaiDifferences.add(where + ": " + fc.text() + " / " + dc.text());
                // glibc says "no such name" for a hosts file and "no address of that type" for DNS NODATA.
                assertEquals(fc.text().replace("EAI_NONAME", "EAI_NODATA"), dc.text(), where);
            }
        }
        System.err.println("files vs dns, getaddrinfo error names only: " + eaiDifferences.size() + " cells");
        assertTrue(dns.dnsLog().stream().anyMatch(l -> l.contains("query[AAAA] d4.ds.test")), "the clients asked the lab's DNS server");
    }

    @Test
    void jsonFollowsTheDocumentedSchema() throws Exception {
        ObjectMapper m = new ObjectMapper();
        Path schema = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("lab-schema.json");
        JsonNode s = m.readTree(Files.readString(schema));
        for (MatrixReport r : List.of(files, dns)) {
            JsonNode doc = m.readTree(JsonReport.render(r));
            List<String> errors = SchemaCheck.validate(s, doc);
            assertTrue(errors.isEmpty(), String.join("\n", errors.subList(0, Math.min(20, errors.size()))));
        }
    }

    @Test
    void textAndMarkdownShowTheFigure() {
        String text = TextReport.table(table(files, Transport.TCP, Variant.ALL));
        assertTrue(text.contains("IPv6 client, dual-stack host | IPv4"), text);
        assertTrue(text.contains("IPv4 [try 2]"), text);
        assertTrue(text.contains("1 cell differs from the book"), text);
        String md = MarkdownReport.render(files);
        assertTrue(md.contains("| IPv4 client, IPv4-only host | IPv4 |"), md);
        assertTrue(md.contains("**IPv4 [try 2]** (book: (no)\\*)"), md);
    }
}
