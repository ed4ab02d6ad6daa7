package io.dualsock.cli.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import io.dualsock.lab.Lookup;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Topology;

/**
 * The page {@code --html} writes, from a hand-made report: self-contained, its data the
 * {@code --json} document, no value able to end the script element. The browser checks (every
 * cell drawn, clicks, the JDK toggle) are {@link HtmlReportBrowserLabTest}'s, on a real run.
 */
class HtmlReportTest {
    private static final Topology FIG = Topology.figure125();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "</script><script>alert(1)</script> & <!-- \u2028";

    static MatrixReport report() {
        List<MatrixReport.Row> rows = new ArrayList<>();
        for (Topology.Client c : FIG.clients()) rows.add(new MatrixReport.Row(c.id(), c.label(), c.host(), c.family()));
        rows.add(new MatrixReport.Row("java-default-on-dual", "Java client (default), dual-stack host",
                FIG.clients().get(3).host(), FIG.clients().get(3).family()));
        List<MatrixReport.Column> cols = new ArrayList<>();
        for (Topology.Server s : FIG.servers()) {
            cols.add(new MatrixReport.Column(s.id(), s.label(), s.host(), s.family(), s.v6only(), s.name(), List.of(), List.of()));
        }
        Lookup lookup = new Lookup("d4.ds.test", "7007", "AF_INET6, AI_V4MAPPED", List.of(), null, null, HOSTILE);
        List<MatrixReport.Cell> cells = new ArrayList<>();
        for (MatrixReport.Row r : rows) {
            for (int i = 0; i < cols.size(); i++) {
                Topology.Client c = FIG.clients().get(Math.min(rows.indexOf(r), 3));
                BookTable.Expectation book = BookTable.expect(FIG, c, FIG.servers().get(i));
                boolean differs = book.text().endsWith("*");
                Outcome o = differs ? Outcome.IPV4 : book.outcome();
                cells.add(new MatrixReport.Cell(r.id(), cols.get(i).id(), lookup, List.of(), o, differs ? 2 : null,
                        differs ? "IPv4 [try 2]" : o.text(), book, differs ? HOSTILE : null, List.of()));
            }
        }
        MatrixReport.Table t = new MatrixReport.Table(Transport.TCP, Variant.ALL, rows, cols, cells);
        return new MatrixReport("2026-12-01T00:00:00Z", 1000, 100, Map.of("kernel", "test"), FIG, NameSource.FILES, 500,
                List.of(), List.of(t), List.of());
    }

    private static JsonNode embedded(String page) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(page);
        assertTrue(m.find(), "the data element");
        return JSON.readTree(m.group(1));
    }

    @Test
    void theDataIsTheJsonReportAndTheJdkRowsAreNamed() throws Exception {
        MatrixReport r = report();
        JsonNode data = embedded(HtmlReport.render(r));
        assertEquals(JSON.readTree(JsonReport.render(r)), data.get("report"));
        assertEquals(List.of("java-default-on-dual"), JSON.convertValue(data.get("jdkRows"), List.class));
        assertEquals(0, data.get("jdkColumns").size());
    }

    @Test
    void noValueCanCloseTheScriptElement() throws Exception {
        String page = HtmlReport.render(report());
        assertFalse(page.contains("<script>alert"), "the data ended the script element");
        assertEquals(2, page.split("</script>", -1).length - 1, "the data and the code element, nothing more");
        assertTrue(embedded(page).toString().contains(HOSTILE), "the value itself survives the escaping");
    }

    @Test
    void thePageFetchesNothing() {
        String page = HtmlReport.render(report());
        for (String fetch : List.of(" src=", " href=", "url(", "@import", "<link", "<iframe", "fetch(", "XMLHttpRequest")) {
            assertFalse(page.contains(fetch), "the page must not load anything: " + fetch);
        }
        assertTrue(page.startsWith("<!DOCTYPE html>"), page.substring(0, 40));
    }
}
