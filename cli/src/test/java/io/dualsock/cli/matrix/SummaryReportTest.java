package io.dualsock.cli.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dualsock.lab.Lookup;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Topology;

/** Layout of the default matrix output, from a hand-made report (the lab tests print real ones). */
class SummaryReportTest {
    private static final Topology FIG = Topology.figure125();

    @Test
    void variantsFoldIntoOneTableThatFits120Columns() {
        List<MatrixReport.Table> tables = new ArrayList<>();
        for (Variant v : List.of(Variant.BOOK, Variant.LOOP, Variant.ALL, Variant.UNSPEC)) {
            // the first table carries extra (JDK-like) columns with long labels, as JdkMatrix.extend makes
            tables.add(table(Transport.TCP, v, v == Variant.BOOK ? 4 : 0));
            tables.add(table(Transport.UDP, v, 0));
        }
        MatrixReport r = new MatrixReport("2026-12-01T00:00:00Z", 1000, 100, Map.of("kernel", "test"), FIG, NameSource.FILES,
                500, List.of(), tables, List.of());
        String text = SummaryReport.render(r);
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= SummaryReport.WIDTH, "over " + SummaryReport.WIDTH + " columns: " + line);
            assertEquals(line.stripTrailing(), line, "trailing blanks");
        }
        // IPv6 client, dual-stack host -> IPv4 server, dual-stack host: the book "(no)*"; the book and loop
        // variants get no connection, all and unspec reach it over IPv4
        assertTrue(text.contains("IPv6 client, dual-stack host | v4  v4       | v6  v6       | no *no au:v4 | v6  v6"), text);
        String joined = text.replace("\n    ", " ");
        assertTrue(joined.contains("2 cells differ from the book:\n  * IPv6 client, dual-stack host -> IPv4 server, dual-stack host"
                + " (A and AAAA): book (no)*, measured book/loop (no), all/unspec IPv4 [try 2]\n"), text);
        // a column of the first table only (as the JDK's are): no variant names
        assertTrue(joined.contains("  * IPv6 client, dual-stack host -> Java server (preferIPv4Stack=true), dual-stack host"
                + " (A and AAAA): book (no)*, measured IPv4 [try 2]\n"), text);
        assertTrue(text.contains("UDP, unconnected"), text);
        assertTrue(text.indexOf("TCP (") < text.indexOf("UDP, unconnected ("), text);
        assertTrue(text.contains("1 cell differs from the book:"), "UDP's one note:\n" + text);
        assertEquals(3, text.lines().filter(l -> l.startsWith("-----")).count(),
                "TCP's eight columns in two blocks, UDP's four in one:\n" + text);
        assertEquals(4, java.util.regex.Pattern.compile("\\(preferIPv4S( |$)", java.util.regex.Pattern.MULTILINE)
                .matcher(text).results().count(), "each extra column's heading once, its long word cut:\n" + text);
    }

    /** Cells as the book has them, except that the all and unspec variants (and the extra columns) reach the "(no)*" cell. */
    private static MatrixReport.Table table(Transport tr, Variant v, int extraColumns) {
        List<MatrixReport.Row> rows = new ArrayList<>();
        for (Topology.Client c : FIG.clients()) rows.add(new MatrixReport.Row(c.id(), c.label(), c.host(), c.family()));
        List<MatrixReport.Column> cols = new ArrayList<>();
        for (Topology.Server s : FIG.servers()) {
            cols.add(new MatrixReport.Column(s.id(), s.label(), s.host(), s.family(), s.v6only(), s.name(), List.of(), List.of()));
        }
        for (int i = 0; i < extraColumns; i++) {
            Topology.Server s = FIG.servers().get(i);
            cols.add(new MatrixReport.Column("java" + i, "Java server (preferIPv4Stack=true), dual-stack host (A and AAAA)",
                    s.host(), s.family(), false, s.name(), List.of(), List.of()));
        }
        List<MatrixReport.Cell> cells = new ArrayList<>();
        Lookup none = new Lookup("n", "7", "h", List.of(), null, null, null);
        for (Topology.Client c : FIG.clients()) {
            for (int i = 0; i < cols.size(); i++) {
                Topology.Server s = FIG.servers().get(i % FIG.servers().size());
                BookTable.Expectation book = BookTable.expect(FIG, c, s);
                boolean reached = book.outcome() == Outcome.NO && book.text().endsWith("*")
                        && (v == Variant.ALL || v == Variant.UNSPEC || i >= FIG.servers().size());
                Outcome o = reached ? Outcome.IPV4 : book.outcome();
                cells.add(new MatrixReport.Cell(c.id(), cols.get(i).id(), none, List.of(), o, reached ? 2 : null,
                        reached ? "IPv4 [try 2]" : o.text(), book, reached ? "why" : null, List.of()));
            }
        }
        return new MatrixReport.Table(tr, v, rows, cols, cells);
    }
}
