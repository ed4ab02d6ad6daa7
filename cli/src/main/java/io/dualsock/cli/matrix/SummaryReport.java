package io.dualsock.cli.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default text output of {@code dualsock matrix}: per transport one table in the shape of
 * UNP Figure 12.5 with the book's value and the measured one in every cell, the IPv6 client's
 * variants folded into it, then one line per cell that differs from the book. Fits
 * {@link #WIDTH} columns; the full per-variant tables are {@link TextReport} ({@code --verbose}).
 */
public final class SummaryReport {
    private SummaryReport() {}

    /** Terminal width the summary fits. */
    public static final int WIDTH = 120;
    private static final int ROW_LABEL = 28;
    private static final int CELL = 12;

    public static String render(MatrixReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Each cell: the book's value, then the measured one (v4 = IPv4, v6 = IPv6, no = no connection);\n")
                .append("* = differs from the book; ! = evidence disagrees with itself; where the IPv6 client's variants\n")
                .append("disagree, those that measured something else follow, e.g. au:v4 (").append(legend(r)).append(").\n");
        for (Transport tr : transports(r)) sb.append('\n').append(transport(r, tr));
        sb.append('\n').append(wrapLine(TextReport.summary(r), "  ")).append('\n');
        sb.append("Every variant's own table and every explanation: --verbose, --json FILE, --markdown FILE.\n");
        return sb.toString();
    }

    /** The tables of one transport, the first one (with the JDK's rows and columns, when measured) first. */
    static List<MatrixReport.Table> tables(MatrixReport r, Transport tr) {
        return r.tables().stream().filter(t -> t.transport() == tr).toList();
    }

    private static List<Transport> transports(MatrixReport r) {
        List<Transport> out = new ArrayList<>();
        for (MatrixReport.Table t : r.tables()) if (!out.contains(t.transport())) out.add(t.transport());
        return out;
    }

    private static String legend(MatrixReport r) {
        List<String> parts = new ArrayList<>();
        for (MatrixReport.Table t : r.tables()) {
            String p = abbrev(t.variant()) + ": " + t.variant().id();
            if (!parts.contains(p)) parts.add(p);
        }
        return String.join(", ", parts);
    }

    static String abbrev(Variant v) {
        return v.id().substring(0, 1);
    }

    static String shortOutcome(Outcome o) {
        return switch (o) {
            case IPV4 -> "v4";
            case IPV6 -> "v6";
            default -> "no";
        };
    }

    private static String transport(MatrixReport r, Transport tr) {
        List<MatrixReport.Table> ts = tables(r, tr);
        MatrixReport.Table first = ts.get(0);
        List<MatrixReport.Column> all = first.columns();
        StringBuilder sb = new StringBuilder();
        sb.append(tr.label()).append(" (").append(tr.calls()).append(")\n");
        List<String> notes = new ArrayList<>();
        // as many columns side by side as fit; the JDK's columns, when measured, continue below
        int perBlock = Math.max(1, (WIDTH - ROW_LABEL) / (CELL + 3));
        for (int from = 0; from < all.size(); from += perBlock) {
            List<MatrixReport.Column> cols = all.subList(from, Math.min(all.size(), from + perBlock));
            if (from > 0) sb.append('\n');
            block(sb, first, ts, cols, notes);
        }
        sb.append('\n');
        if (notes.isEmpty()) {
            sb.append("Every cell is as in the book.\n");
        } else {
            sb.append(notes.size()).append(notes.size() == 1 ? " cell differs" : " cells differ").append(" from the book:\n");
            for (String n : notes) sb.append(wrapLine("  * " + n, "    ")).append('\n');
        }
        for (MatrixReport.Table t : ts) {
            for (MatrixReport.Cell c : t.cells()) {
                if (!c.consistent()) {
                    sb.append(wrapLine("  ! [" + t.variant().id() + "] " + String.join("; ", c.problems()), "    ")).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static void block(StringBuilder sb, MatrixReport.Table first, List<MatrixReport.Table> ts,
            List<MatrixReport.Column> cols, List<String> notes) {
        List<List<String>> heads = new ArrayList<>();
        int headLines = 1;
        for (MatrixReport.Column c : cols) {
            List<String> h = cut(TextReport.wrap(c.label(), CELL), CELL);
            heads.add(h);
            headLines = Math.max(headLines, h.size());
        }
        for (int l = 0; l < headLines; l++) {
            StringBuilder line = new StringBuilder(pad("", ROW_LABEL));
            for (List<String> h : heads) line.append(" | ").append(pad(l < h.size() ? h.get(l) : "", CELL));
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append("-".repeat(ROW_LABEL));
        for (int i = 0; i < cols.size(); i++) sb.append("-+-").append("-".repeat(CELL));
        sb.append('\n');
        for (MatrixReport.Row row : first.rows()) {
            List<String> label = rowLabel(row.label());
            List<String> texts = new ArrayList<>();
            for (MatrixReport.Column c : cols) {
                List<MatrixReport.Cell> cells = new ArrayList<>();
                List<Variant> vs = new ArrayList<>();
                for (MatrixReport.Table t : ts) {
                    for (MatrixReport.Cell cell : t.cells()) {
                        if (cell.row().equals(row.id()) && cell.column().equals(c.id())) {
                            cells.add(cell);
                            vs.add(t.variant());
                        }
                    }
                }
                texts.add(cells.isEmpty() ? "" : cellText(cells, vs, CELL));
                if (!cells.isEmpty()) note(row, c, cells, vs).ifPresent(notes::add);
            }
            for (int l = 0; l < label.size(); l++) {
                StringBuilder line = new StringBuilder(pad(label.get(l), ROW_LABEL));
                for (String t : texts) line.append(" | ").append(pad(l == 0 ? t : "", CELL));
                sb.append(line.toString().stripTrailing()).append('\n');
            }
        }
    }

    /** "book measured" plus "b:no" for each variant that measured something else than the others. */
    static String cellText(List<MatrixReport.Cell> cells, List<Variant> vs, int width) {
        Map<Outcome, Integer> counts = new LinkedHashMap<>();
        for (MatrixReport.Cell c : cells) counts.merge(c.outcome(), 1, Integer::sum);
        Outcome major = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        boolean differs = cells.stream().anyMatch(MatrixReport.Cell::differsFromBook);
        StringBuilder sb = new StringBuilder(shortOutcome(cells.get(0).book().outcome())).append(' ')
                .append(differs ? '*' : ' ').append(shortOutcome(major));
        Map<Outcome, StringBuilder> others = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).outcome() != major) {
                others.computeIfAbsent(cells.get(i).outcome(), k -> new StringBuilder()).append(abbrev(vs.get(i)));
            }
        }
        others.forEach((o, letters) -> sb.append(' ').append(letters).append(':').append(shortOutcome(o)));
        if (cells.stream().anyMatch(c -> !c.consistent())) sb.append('!');
        return sb.length() <= width ? sb.toString() : sb.substring(0, width - 1) + "+";
    }

    /** The line for a cell that differs from the book: where, what each variant measured, and why. */
    private static java.util.Optional<String> note(MatrixReport.Row row, MatrixReport.Column c, List<MatrixReport.Cell> cells,
            List<Variant> vs) {
        MatrixReport.Cell why = null;
        for (MatrixReport.Cell cell : cells) {
            if (cell.differsFromBook()) {
                why = cell;
                break;
            }
        }
        if (why == null) return java.util.Optional.empty();
        Map<String, List<String>> byText = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            byText.computeIfAbsent(cells.get(i).text(), k -> new ArrayList<>()).add(vs.get(i).id());
        }
        List<String> per = new ArrayList<>();
        // one table only (the JDK's rows and columns are measured with the book's variant): no variant names
        byText.forEach((text, ids) -> per.add(cells.size() == 1 ? text : String.join("/", ids) + " " + text));
        return java.util.Optional.of(row.label() + " -> " + c.label() + ": book " + why.book().text() + ", measured "
                + String.join(", ", per));
    }

    /** Word-wraps one line at {@link #WIDTH}, continuation lines indented. */
    static String wrapLine(String s, String indent) {
        StringBuilder out = new StringBuilder();
        String rest = s;
        while (rest.length() > WIDTH) {
            int cut = rest.lastIndexOf(' ', WIDTH);
            if (cut <= indent.length()) cut = WIDTH;
            out.append(rest, 0, cut).append('\n');
            rest = indent + rest.substring(cut).stripLeading();
        }
        return out.append(rest).toString();
    }

    /** A row label on one line when it fits, else split after its comma and word-wrapped. */
    private static List<String> rowLabel(String label) {
        if (label.length() <= ROW_LABEL) return List.of(label);
        List<String> lines = new ArrayList<>();
        for (String part : label.split("(?<=,) ")) TextReport.wordWrap(part, ROW_LABEL, lines);
        return cut(lines, ROW_LABEL);
    }

    /** Lines no longer than max: a longer one (one long word) continues on the next line. */
    static List<String> cut(List<String> lines, int max) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            String rest = l;
            while (rest.length() > max) {
                out.add(rest.substring(0, max));
                rest = rest.substring(max);
            }
            out.add(rest);
        }
        return out;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
