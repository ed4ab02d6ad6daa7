package io.dualsock.cli.clients;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.cli.output.Json;
import io.dualsock.cli.output.Table;
import io.dualsock.lab.Family;
import io.dualsock.lab.Wire;

/**
 * The clients table as measured, and its text (fits 120 columns), Markdown and JSON forms.
 *
 * @param durationMillis the cells and the peer agents' start, without building the lab
 * @param limitMillis every client's connect limit
 */
public record ClientsReport(String startedAt, long durationMillis, long setupMillis, Map<String, String> environment,
                            long limitMillis, long attemptDelayMillis, List<ClientsTable.Implementation> rows,
                            List<ClientsTable.Situation> columns, List<Cell> cells) {
    public ClientsReport {
        rows = List.copyOf(rows);
        columns = List.copyOf(columns);
        cells = List.copyOf(cells);
    }

    /**
     * One client in one situation.
     *
     * @param outcome {@code ok}, TIMEOUT, an errno name or an exception's class
     * @param protocol the IP version that reached the server host, from its counters; null when not connected
     * @param clientFamily the peer's family as the client saw it
     * @param ms from the start of the client's call to the connected socket (or the failure); for
     *     HttpClient, which does not tell when it connected, to the response
     * @param attemptsReported the attempts as the client reports them (the Connector's trace, OkHttp's
     *     and Netty's connect events, one for Socket); null when it cannot tell (HttpClient)
     * @param synsSent connects that sent a SYN from the client host ({@code TcpActiveOpens} there);
     *     a connect that failed before sending (ENETUNREACH) is not in it
     * @param tried the addresses tried, in order, where the client tells
     * @param serverPeer the peer the server reported (the kernel's accept), or null
     * @param trace the Connector's trace, or OkHttp's connect events, or null
     * @param problems where the evidence disagrees with itself
     */
    public record Cell(String implementation, String situation, String clientHost, String name, String outcome, boolean connected,
                       Family protocol, String clientFamily, double ms, boolean msIsResponse, Integer attemptsReported,
                       long synsSent, List<String> tried, String clientPeer, String serverPeer, Wire wire, String detail,
                       JsonNode trace, List<String> problems) {
        public Cell {
            tried = List.copyOf(tried);
            problems = List.copyOf(problems);
        }

        /** The client's own count where it tells, else the SYNs its host sent. */
        public long attempts() {
            return attemptsReported != null ? attemptsReported : synsSent;
        }
    }

    public Cell cell(ClientsTable.Implementation row, ClientsTable.Situation column) {
        for (Cell c : cells) if (c.implementation().equals(row.id) && c.situation().equals(column.id)) return c;
        throw new IllegalArgumentException("no cell " + row.id + " / " + column.id);
    }

    /** True when no cell's evidence disagrees with itself. */
    public boolean consistent() {
        return cells.stream().allMatch(c -> c.problems().isEmpty());
    }

    private static String ms(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** A cell in the text table: {@code v4 293ms 2} (protocol, ms, attempts) or {@code no 2001ms 1}. */
    static String text(Cell c) {
        String head = c.connected() ? (c.protocol() == null ? "ok?" : c.protocol() == Family.IPV4 ? "v4" : "v6") : "no";
        return head + " " + ms(c.ms()) + "ms " + c.attempts() + (c.problems().isEmpty() ? "" : " !");
    }

    /** The text form: one table, then what failed and why, then any inconsistency. */
    public String toText() {
        StringWriter sw = new StringWriter();
        PrintWriter out = new PrintWriter(sw);
        out.println("Connect implementations against network situations (dualsock matrix --clients)");
        out.println(wrap(String.format(Locale.ROOT, "Each cell: the protocol that reached the server host (its counters), ms to "
                + "connect, attempts; \"no\": not connected within the %d ms limit. dualsock happy: attempt delay %d ms. Peers "
                + "with libc's order (preferIPv6Addresses=system).", limitMillis, attemptDelayMillis), ""));
        out.println();
        List<String> heads = new ArrayList<>();
        heads.add("");
        for (ClientsTable.Situation s : columns) heads.add(s.label);
        Table t = new Table(heads.toArray(new String[0]));
        for (ClientsTable.Implementation r : rows) {
            List<Object> line = new ArrayList<>();
            line.add(r.label);
            for (ClientsTable.Situation s : columns) line.add(text(cell(r, s)));
            t.add(line.toArray());
        }
        t.print(out);
        out.println();
        List<String> notes = new ArrayList<>();
        for (Cell c : cells) {
            if (c.connected() && c.attempts() <= 1) continue;
            notes.add(label(c) + ": " + story(c));
        }
        if (!notes.isEmpty()) {
            out.println("Not connected, or more than one attempt:");
            for (String n : notes) out.println(wrap("  " + n, "    "));
        }
        out.println(wrap("Attempts: as each client reports them (the Connector's trace, OkHttp's and Netty's connect events, "
                + "Socket one); HttpClient tells nothing, so its count is the SYNs its host sent (TcpActiveOpens). "
                + "HttpClient's time is to its response.", ""));
        for (Cell c : cells) {
            if (!c.problems().isEmpty()) out.println(wrap("  ! " + label(c) + ": " + String.join("; ", c.problems()), "    "));
        }
        out.printf(Locale.ROOT, "%d cells in %.1f s (the lab's setup: %.1f s more).%n", cells.size(), durationMillis / 1000.0,
                setupMillis / 1000.0);
        out.flush();
        return sw.toString();
    }

    private String label(Cell c) {
        ClientsTable.Implementation r = rows.stream().filter(x -> x.id.equals(c.implementation())).findFirst().orElseThrow();
        ClientsTable.Situation s = columns.stream().filter(x -> x.id.equals(c.situation())).findFirst().orElseThrow();
        return r.label + " / " + s.label;
    }

    /** One sentence on a cell: the result, the time, the addresses tried. */
    static String story(Cell c) {
        StringBuilder sb = new StringBuilder();
        if (c.connected()) sb.append(c.protocol() == null ? "connected" : c.protocol().label()).append(" after ").append(ms(c.ms()))
                .append(" ms");
        else sb.append(c.outcome()).append(" after ").append(ms(c.ms())).append(" ms");
        sb.append(", ").append(c.attempts()).append(c.attempts() == 1 ? " attempt" : " attempts");
        if (!c.tried().isEmpty()) sb.append(" (").append(String.join(", ", c.tried())).append(')');
        sb.append(", ").append(c.synsSent()).append(c.synsSent() == 1 ? " SYN" : " SYNs").append(" sent");
        long accepted = c.wire().get("TcpPassiveOpens");
        if (!c.connected() && accepted > 0) {
            sb.append("; the server host accepted ").append(accepted).append(" connection(s) over ").append(c.wire().protocol())
                    .append(" all the same (TcpPassiveOpens), which the client gave up on");
        }
        return sb.toString();
    }

    static String wrap(String s, String indent) {
        StringBuilder out = new StringBuilder();
        String rest = s;
        while (rest.length() > 120) {
            int cut = rest.lastIndexOf(' ', 120);
            if (cut <= indent.length()) cut = 120;
            out.append(rest, 0, cut).append('\n');
            rest = indent + rest.substring(cut).stripLeading();
        }
        return out.append(rest).toString();
    }

    /** The Markdown form: the table with full words, then the rows and columns explained. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("## Connect implementations against network situations\n\n");
        sb.append(String.format(Locale.ROOT, "Each cell: the protocol that reached the server host (its kernel counters), the time "
                + "to connect and the attempts; every client's limit %d ms; dualsock happy's attempt delay %d ms.%n%n",
                limitMillis, attemptDelayMillis));
        sb.append("| |");
        for (ClientsTable.Situation s : columns) sb.append(' ').append(s.label).append(" |");
        sb.append("\n|---|");
        sb.append("---|".repeat(columns.size())).append('\n');
        for (ClientsTable.Implementation r : rows) {
            sb.append("| ").append(r.label).append(" |");
            for (ClientsTable.Situation s : columns) {
                Cell c = cell(r, s);
                String n = c.attempts() + (c.attempts() == 1 ? " attempt" : " attempts");
                sb.append(' ').append(c.connected() ? (c.protocol() == null ? "connected" : c.protocol().label())
                        : "**no** (" + c.outcome() + ")").append(", ").append(ms(c.ms())).append(" ms, ").append(n)
                        .append(c.problems().isEmpty() ? "" : " (!)").append(" |");
            }
            sb.append('\n');
        }
        sb.append("\nRows:\n\n");
        for (ClientsTable.Implementation r : rows) sb.append("- **").append(r.label).append("**: ").append(r.description).append('\n');
        sb.append("\nColumns:\n\n");
        for (ClientsTable.Situation s : columns) {
            sb.append("- **").append(s.label).append("**: ").append(s.description).append(" (client host `").append(s.clientHost)
                    .append("`, name `").append(s.name).append("`)\n");
        }
        return sb.toString();
    }

    /** The JSON form: every cell with its evidence. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("schema", "dualsock-clients-table/1");
        o.put("started_at", startedAt);
        o.put("duration_ms", durationMillis);
        o.put("setup_ms", setupMillis);
        ObjectNode env = o.putObject("environment");
        environment.forEach(env::put);
        o.put("limit_ms", limitMillis);
        o.put("attempt_delay_ms", attemptDelayMillis);
        ArrayNode rs = o.putArray("implementations");
        for (ClientsTable.Implementation r : rows) rs.addObject().put("id", r.id).put("label", r.label).put("description", r.description);
        ArrayNode cs = o.putArray("situations");
        for (ClientsTable.Situation s : columns) {
            cs.addObject().put("id", s.id).put("label", s.label).put("description", s.description).put("client_host", s.clientHost)
                    .put("name", s.name).put("server_host", s.serverHost);
        }
        ArrayNode cells = o.putArray("cells");
        for (Cell c : this.cells) {
            ObjectNode n = cells.addObject();
            n.put("implementation", c.implementation());
            n.put("situation", c.situation());
            n.put("outcome", c.outcome());
            n.put("connected", c.connected());
            n.put("protocol", c.protocol() == null ? null : c.protocol().id());
            n.put("client_family", c.clientFamily());
            n.put("ms", Math.round(c.ms() * 10) / 10.0);
            n.put("ms_until", c.msIsResponse() ? "response" : "connected");
            n.put("attempts", c.attempts());
            n.put("attempts_from", c.attemptsReported() != null ? "client" : "syns_sent");
            n.put("syns_sent", c.synsSent());
            ArrayNode tried = n.putArray("tried");
            c.tried().forEach(tried::add);
            n.put("client_peer", c.clientPeer());
            n.put("server_peer", c.serverPeer());
            ObjectNode w = n.putObject("server_wire");
            w.put("ipv4", c.wire().ipv4());
            w.put("ipv6", c.wire().ipv6());
            ObjectNode d = w.putObject("counters");
            c.wire().deltas().forEach(d::put);
            n.put("detail", c.detail());
            if (c.trace() != null) n.set("trace", c.trace());
            ArrayNode p = n.putArray("problems");
            c.problems().forEach(p::add);
        }
        o.put("consistent", consistent());
        return o;
    }
}
