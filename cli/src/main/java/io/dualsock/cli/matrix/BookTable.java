package io.dualsock.cli.matrix;

import io.dualsock.lab.Family;
import io.dualsock.lab.Stack;
import io.dualsock.lab.Topology;

/**
 * What UNP says a cell should be, the reference only for which cells get an explanation line:
 * Figure 12.5 itself ({@link #FIGURE}) for its sixteen cells, else the book's rules of §12.2–§12.4
 * ({@link #rules}, spelled out in docs/lab.md; a unit test holds them to the figure).
 */
public final class BookTable {
    private BookTable() {}

    /**
     * @param outcome what the book expects
     * @param text as the book prints it: "IPv4", "IPv6", "(no)", "(no)*"
     * @param source "Figure 12.5" or "rules of UNP 12.2-12.4"
     */
    public record Expectation(Outcome outcome, String text, String source) {}

    public static final String FIGURE_SOURCE = "Figure 12.5";
    public static final String RULES_SOURCE = "rules of UNP 12.2-12.4";

    /** Figure 12.5, rows and columns in the book's order (see {@link #rowIndex}, {@link #columnIndex}). */
    static final String[][] FIGURE = {
        // IPv4 server       IPv6 server       IPv4 server        IPv6 server
        // IPv4-only host    IPv6-only host    dual-stack host    dual-stack host
        // (A only)          (AAAA only)       (A and AAAA)       (A and AAAA)
        {"IPv4",             "(no)",           "IPv4",            "IPv4"},  // IPv4 client, IPv4-only host
        {"(no)",             "IPv6",           "(no)",            "IPv6"},  // IPv6 client, IPv6-only host
        {"IPv4",             "(no)",           "IPv4",            "IPv4"},  // IPv4 client, dual-stack host
        {"IPv4",             "IPv6",           "(no)*",           "IPv6"},  // IPv6 client, dual-stack host
    };

    /** The book's row for a client, or -1 when the combination is not in the figure. */
    static int rowIndex(Family client, Stack host) {
        if (client == Family.IPV4 && host == Stack.IPV4_ONLY) return 0;
        if (client == Family.IPV6 && host == Stack.IPV6_ONLY) return 1;
        if (client == Family.IPV4 && host == Stack.DUAL) return 2;
        if (client == Family.IPV6 && host == Stack.DUAL) return 3;
        return -1;
    }

    /** The book's column for a server, or -1 when the combination is not in the figure. */
    static int columnIndex(Family server, Stack host, boolean hasA, boolean hasAaaa, boolean v6only) {
        if (v6only) return -1;
        if (server == Family.IPV4 && host == Stack.IPV4_ONLY && hasA && !hasAaaa) return 0;
        if (server == Family.IPV6 && host == Stack.IPV6_ONLY && !hasA && hasAaaa) return 1;
        if (server == Family.IPV4 && host == Stack.DUAL && hasA && hasAaaa) return 2;
        if (server == Family.IPV6 && host == Stack.DUAL && hasA && hasAaaa) return 3;
        return -1;
    }

    public static Expectation expect(Topology t, Topology.Client c, Topology.Server s) {
        Topology.NameRecord r = t.recordsOf(s);
        Stack clientStack = t.host(c.host()).stack();
        Stack serverStack = t.host(s.host()).stack();
        boolean hasA = !r.a().isEmpty();
        boolean hasAaaa = !r.aaaa().isEmpty();
        // Records that point elsewhere than the server's host are outside the book's model.
        Topology.Host sh = t.host(s.host());
        boolean ownRecords = r.a().stream().allMatch(a -> a.equals(sh.ipv4())) && r.aaaa().stream().allMatch(a -> a.equals(sh.ipv6()));
        int row = rowIndex(c.family(), clientStack);
        int col = columnIndex(s.family(), serverStack, hasA, hasAaaa, s.v6only());
        if (row >= 0 && col >= 0 && ownRecords) {
            String text = FIGURE[row][col];
            return new Expectation(parse(text), text, FIGURE_SOURCE);
        }
        Outcome o = rules(c.family(), clientStack, s.family(), serverStack, s.v6only(), hasA, hasAaaa);
        return new Expectation(o, o.text(), RULES_SOURCE);
    }

    /** The book's reasoning, as described in the class comment. */
    static Outcome rules(Family client, Stack clientStack, Family server, Stack serverStack, boolean v6only,
                         boolean hasA, boolean hasAaaa) {
        if (client == Family.IPV4 || !hasAaaa) {
            if (!hasA) return Outcome.NO;
            boolean v4path = clientStack.hasIpv4() && serverStack.hasIpv4();
            boolean takesV4 = server == Family.IPV4 || !v6only;
            return v4path && takesV4 ? Outcome.IPV4 : Outcome.NO;
        }
        boolean v6path = clientStack.hasIpv6() && serverStack.hasIpv6();
        return v6path && server == Family.IPV6 ? Outcome.IPV6 : Outcome.NO;
    }

    static Outcome parse(String text) {
        if (text.startsWith("IPv4")) return Outcome.IPV4;
        if (text.startsWith("IPv6")) return Outcome.IPV6;
        return Outcome.NO;
    }
}
