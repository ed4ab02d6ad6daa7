package io.dualsock.cli.matrix;

import java.util.Map;

/** The report as Markdown: environment, one table per transport and variant, the differences. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(MatrixReport r) {
        StringBuilder sb = new StringBuilder("# Interoperability matrix (UNP Figure 12.5), measured\n\n");
        sb.append("Measured ").append(r.startedAt()).append(" with names from ").append(r.resolver().id())
                .append(r.topology().description().isEmpty() ? "" : "; topology: " + r.topology().description()).append(".\n\n");
        for (Map.Entry<String, String> e : r.environment().entrySet()) {
            sb.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        sb.append('\n');
        for (MatrixReport.Table t : r.tables()) {
            sb.append("## ").append(t.transport().label()).append(", IPv6 client `").append(t.variant().id()).append("`\n\n");
            sb.append(t.variant().description()).append("; ").append(t.transport().calls()).append(".\n\n");
            sb.append("| |");
            for (MatrixReport.Column c : t.columns()) sb.append(' ').append(esc(c.label())).append(" |");
            sb.append("\n|---|");
            sb.append("---|".repeat(t.columns().size()));
            sb.append('\n');
            for (MatrixReport.Row row : t.rows()) {
                sb.append("| ").append(esc(row.label())).append(" |");
                for (MatrixReport.Column c : t.columns()) {
                    MatrixReport.Cell cell = t.cell(row.id(), c.id());
                    String text = esc(cell.text());
                    if (cell.differsFromBook()) text = "**" + text + "** (book: " + esc(cell.book().text()) + ")";
                    if (!cell.consistent()) text += " ⚠";
                    sb.append(' ').append(text).append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
            for (MatrixReport.Cell c : t.cells()) {
                if (c.explanation() != null) sb.append("- ").append(esc(c.explanation())).append('\n');
            }
            if (t.differences().isEmpty()) sb.append("Every cell is as in the book.\n");
            sb.append('\n');
        }
        sb.append(TextReport.summary(r)).append('\n');
        return sb.toString();
    }

    private static String esc(String s) {
        return s.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_");
    }
}
