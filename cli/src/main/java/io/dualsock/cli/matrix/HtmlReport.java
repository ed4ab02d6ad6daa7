package io.dualsock.cli.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code dualsock matrix --html FILE}: the report as one self-contained HTML page, the Figure 12.5
 * grid per transport coloured by outcome, the cells that differ from the book marked, each cell
 * opening its evidence, the JDK's rows and columns switchable. The page (markup, styles, script and
 * every word) is the resource {@value #TEMPLATE}; this class only embeds the data: the document
 * {@link JsonReport} writes for {@code --json}, and which rows and columns are the JDK's.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** The page, next to this class. */
    static final String TEMPLATE = "matrix-report.html";
    /** Where the template takes the data, inside a {@code <script type="application/json">}. */
    static final String SLOT = "{{report-json}}";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes the page for a report as {@code --json} would describe it. */
    public static void write(MatrixReport r, Path file) throws IOException {
        Files.writeString(file, render(r), StandardCharsets.UTF_8);
    }

    /** The page for a report. */
    public static String render(MatrixReport r) {
        return render(JsonReport.toJson(r));
    }

    /**
     * The page for a JSON report ({@code docs/lab-schema.json}), e.g. one read back from a
     * {@code --json} file.
     */
    public static String render(JsonNode report) {
        ObjectNode data = JSON.createObjectNode();
        data.set("report", report);
        Set<String> clients = ids(report.path("topology").path("clients"));
        Set<String> servers = ids(report.path("topology").path("servers"));
        Set<String> jdkRows = new LinkedHashSet<>();
        Set<String> jdkColumns = new LinkedHashSet<>();
        // rows and columns that are not the topology's own clients and servers are the JDK's (JdkMatrix)
        for (JsonNode t : report.path("tables")) {
            for (String row : ids(t.path("rows"))) if (!clients.contains(row)) jdkRows.add(row);
            for (String col : ids(t.path("columns"))) if (!servers.contains(col)) jdkColumns.add(col);
        }
        jdkRows.forEach(data.putArray("jdkRows")::add);
        jdkColumns.forEach(data.putArray("jdkColumns")::add);
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String page = template();
        int at = page.indexOf(SLOT);
        return page.substring(0, at) + scriptSafe(json) + page.substring(at + SLOT.length());
    }

    /**
     * JSON that can stand inside a script element: {@code <}, {@code >} and {@code &} occur in JSON
     * only inside strings, where their Unicode escapes mean the same, so no value (a name, an
     * error text) can close the element; U+2028/U+2029 likewise.
     */
    static String scriptSafe(String json) {
        StringBuilder sb = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char ch = json.charAt(i);
            switch (ch) {
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) ch));
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    static String template() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) throw new IllegalStateException(TEMPLATE + " is missing from the jar");
            String page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (page.indexOf(SLOT) < 0 || page.indexOf(SLOT) != page.lastIndexOf(SLOT)) {
                throw new IllegalStateException(TEMPLATE + " must hold " + SLOT + " exactly once");
            }
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> ids(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : array) out.add(n.path("id").asText());
        return out;
    }
}
