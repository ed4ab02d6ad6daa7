package io.dualsock.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: columns padded to their widest cell, two spaces apart, trailing blanks
 * trimmed, null cells shown as {@code -}. Made for terminals and for diffing, not for parsing
 * (that is what {@code --json} is for).
 */
public final class Table {
    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private boolean[] right = new boolean[0];

    /** A table with a header row; no headers gives a bare key/value style table. */
    public Table(String... headers) {
        this.headers = headers.length == 0 ? null : headers.clone();
    }

    /** Right-aligns these columns (0-based), for numbers. */
    public Table rightAlign(int... columns) {
        for (int c : columns) {
            if (c >= right.length) right = Arrays.copyOf(right, c + 1);
            right[c] = true;
        }
        return this;
    }

    public Table add(Object... cells) {
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) row[i] = cells[i] == null ? "-" : String.valueOf(cells[i]);
        rows.add(row);
        return this;
    }

    public int rows() {
        return rows.size();
    }

    public void print(PrintWriter out) {
        int n = headers == null ? 0 : headers.length;
        for (String[] r : rows) n = Math.max(n, r.length);
        int[] width = new int[n];
        List<String[]> all = new ArrayList<>();
        if (headers != null) all.add(headers);
        all.addAll(rows);
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        }
        for (String[] r : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) sb.append("  ");
                String cell = r[i];
                String pad = " ".repeat(width[i] - cell.length());
                if (i < right.length && right[i]) sb.append(pad).append(cell);
                else sb.append(cell).append(pad);
            }
            out.println(sb.toString().stripTrailing());
        }
        out.flush();
    }
}
