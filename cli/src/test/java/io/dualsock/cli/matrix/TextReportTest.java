package io.dualsock.cli.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dualsock.lab.Family;
import io.dualsock.lab.Lookup;
import io.dualsock.lab.Topology;
import io.dualsock.lab.Wire;

/** Layout of the printed table, from a hand-made one-row report (the lab tests print real ones). */
class TextReportTest {

    @Test
    void headingsWrapAtCommasAndParentheses() {
        assertEquals(List.of("IPv4 server", "IPv4-only host", "(A only)"), TextReport.wrap("IPv4 server, IPv4-only host (A only)", 18));
        assertEquals(List.of("a very long", "heading"), TextReport.wrap("a very long heading", 12));
    }

    @Test
    void rowsLineUpUnderTheirHeadings() {
        Topology t = Topology.figure125();
        Topology.Client client = t.clients().get(3);
        Topology.Server server = t.servers().get(2);
        Lookup.Resolved v6 = new Lookup.Resolved("AF_INET6", "2001:db8::13", 7007, false);
        Lookup.Resolved mapped = new Lookup.Resolved("AF_INET6", "::ffff:198.51.100.13", 7007, true);
        Lookup lookup = new Lookup("d4.ds.test", "7007", "hints", List.of(v6, mapped), null, null, null);
        MatrixReport.Attempt refused = new MatrixReport.Attempt(1, Family.IPV6, v6, Family.IPV6, "ECONNREFUSED", "connect",
                null, null, null, null, null, new Wire(0, 1, Map.of("Ip6InDelivers", 1L, "TcpOutRsts", 1L)), Map.of(), List.of());
        MatrixReport.Attempt ok = new MatrixReport.Attempt(2, Family.IPV6, mapped, Family.IPV4, "ok", null, null,
                "[::ffff:198.51.100.23]:40000", "198.51.100.23:40000", null, null,
                new Wire(5, 0, Map.of("IpInDelivers", 5L, "TcpPassiveOpens", 1L)), Map.of(), List.of());
        MatrixReport.Cell cell = MatrixRunner.cell(t, Transport.TCP, Variant.ALL, client, server, lookup, List.of(refused, ok));
        assertEquals("IPv4 [try 2]", cell.text());
        assertTrue(cell.differsFromBook());
        assertTrue(cell.explanation().startsWith("IPv6 client, dual-stack host -> IPv4 server, dual-stack host (A and AAAA): "
                + "book (no)*, measured IPv4 [try 2]."), cell.explanation());
        MatrixReport.Table table = new MatrixReport.Table(Transport.TCP, Variant.ALL,
                List.of(new MatrixReport.Row(client.id(), client.label(), client.host(), client.family())),
                List.of(new MatrixReport.Column(server.id(), server.label(), server.host(), server.family(), false, server.name(),
                        List.of("198.51.100.13"), List.of("2001:db8::13"))),
                List.of(cell));
        String text = TextReport.table(table);
        List<String> lines = text.lines().toList();
        assertEquals("                             | IPv4 server", lines.get(2));
        assertEquals("IPv6 client, dual-stack host | IPv4 [try 2]", lines.get(6));
        assertTrue(text.contains("1 cell differs from the book:\n  * IPv6 client, dual-stack host -> "), text);
        assertTrue(lines.stream().noneMatch(l -> l.endsWith(" ")), "no trailing blanks");
    }
}
