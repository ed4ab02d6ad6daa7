package io.dualsock.cli.matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints a table in the form of UNP Figure 12.5: clients down, servers across, cells like
 * {@code IPv4}, {@code (no) ECONNREFUSED}, {@code IPv4 [try 2]}; then one line per cell that
 * differs from the book and one per cell whose evidence disagrees with itself.
 */
public final class TextReport {
    private TextReport() {}

    private static final int HEADER_WIDTH = 18;

    public static String table(MatrixReport.Table t) {
        StringBuilder sb = new StringBuilder();
        sb.append(t.title()).append('\n').append('\n');
        int rowWidth = 0;
        for (MatrixReport.Row r : t.rows()) rowWidth = Math.max(rowWidth, r.label().length());
        int n = t.columns().size();
        List<List<String>> heads = new ArrayList<>();
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            List<String> lines = wrap(t.columns().get(i).label(), HEADER_WIDTH);
            heads.add(lines);
            for (String l : lines) width[i] = Math.max(width[i], l.length());
        }
        for (MatrixReport.Cell c : t.cells()) {
            int i = columnIndex(t, c.column());
            width[i] = Math.max(width[i], c.text().length());
        }
        int headLines = heads.stream().mapToInt(List::size).max().orElse(1);
        for (int l = 0; l < headLines; l++) {
            sb.append(pad("", rowWidth));
            for (int i = 0; i < n; i++) {
                List<String> h = heads.get(i);
                sb.append(" | ").append(pad(l < h.size() ? h.get(l) : "", width[i]));
            }
            sb.append('\n');
        }
        sb.append("-".repeat(rowWidth));
        for (int i = 0; i < n; i++) sb.append("-+-").append("-".repeat(width[i]));
        sb.append('\n');
        for (MatrixReport.Row r : t.rows()) {
            sb.append(pad(r.label(), rowWidth));
            for (int i = 0; i < n; i++) {
                MatrixReport.Cell c = t.cell(r.id(), t.columns().get(i).id());
                sb.append(" | ").append(pad(c.text(), width[i]));
            }
            sb.append('\n');
        }
        List<MatrixReport.Cell> diffs = t.differences();
        sb.append('\n');
        if (diffs.isEmpty()) {
            sb.append("Every cell is as in the book.\n");
        } else {
            sb.append(diffs.size()).append(diffs.size() == 1 ? " cell differs" : " cells differ").append(" from the book:\n");
            for (MatrixReport.Cell c : diffs) sb.append("  * ").append(c.explanation()).append('\n');
        }
        for (MatrixReport.Cell c : t.cells()) {
            if (!c.consistent() && !c.differsFromBook()) sb.append("  ! ").append(c.explanation()).append('\n');
        }
        return strip(sb.toString());
    }

    static int columnIndex(MatrixReport.Table t, String id) {
        for (int i = 0; i < t.columns().size(); i++) if (t.columns().get(i).id().equals(id)) return i;
        throw new IllegalArgumentException(id);
    }

    /** Splits a heading at ", " and " (" first, then at spaces, into lines of at most {@code max} characters. */
    static List<String> wrap(String label, int max) {
        List<String> parts = new ArrayList<>();
        for (String p : label.replace(" (", ",(").split(",\\s*")) parts.add(p.trim());
        List<String> lines = new ArrayList<>();
        for (String p : parts) wordWrap(p, max, lines);
        return lines;
    }

    /** Adds text to lines, broken at spaces into lines of at most max characters (a longer word stays whole). */
    static void wordWrap(String text, int max, List<String> lines) {
        StringBuilder cur = new StringBuilder();
        for (String w : text.split(" ")) {
            if (cur.length() > 0 && cur.length() + 1 + w.length() > max) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) cur.append(' ');
            cur.append(w);
        }
        if (cur.length() > 0) lines.add(cur.toString());
    }

    /** Lines without the padding of the last column. */
    private static String strip(String table) {
        StringBuilder sb = new StringBuilder();
        for (String line : table.split("\n", -1)) sb.append(line.stripTrailing()).append('\n');
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** Every table, then a summary line. */
    public static String all(MatrixReport r) {
        StringBuilder sb = new StringBuilder();
        for (MatrixReport.Table t : r.tables()) sb.append(table(t)).append('\n');
        sb.append(summary(r)).append('\n');
        return sb.toString();
    }

    public static String summary(MatrixReport r) {
        int cells = 0;
        int diffs = 0;
        int bad = 0;
        for (MatrixReport.Table t : r.tables()) {
            cells += t.cells().size();
            diffs += t.differences().size();
            bad += (int) t.cells().stream().filter(c -> !c.consistent()).count();
        }
        return String.format("%d tables, %d cells, %d differ from the book, %d with inconsistent evidence; resolver %s; "
                        + "lab setup %d ms, matrix %d ms", r.tables().size(), cells, diffs, bad, r.resolver().id(),
                r.setupMillis(), r.durationMillis());
    }
}
