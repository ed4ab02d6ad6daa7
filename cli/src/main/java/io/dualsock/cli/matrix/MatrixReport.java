package io.dualsock.cli.matrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dualsock.lab.Family;
import io.dualsock.lab.Lookup;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Topology;
import io.dualsock.lab.Wire;

/**
 * Everything one {@code dualsock matrix} run measured; written as JSON by
 * {@link JsonReport} (schema: {@code docs/lab-schema.json}).
 *
 * @param startedAt ISO-8601 instant
 * @param durationMillis the whole run, lab setup and teardown included
 * @param setupMillis building the lab (namespaces, agents, servers)
 * @param environment kernel, libc, java, and the like
 * @param servers each server as started (socket outcome, IPV6_V6ONLY read back)
 * @param dnsLog dnsmasq's query log (resolver dns), else empty
 */
public record MatrixReport(String startedAt, long durationMillis, long setupMillis, Map<String, String> environment,
                           Topology topology, NameSource resolver, long udpTimeoutMillis, List<ServerStatus> servers,
                           List<Table> tables, List<String> dnsLog) {

    public static final int SCHEMA_VERSION = 1;

    public MatrixReport {
        environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment)); // Map.copyOf would shuffle it per run
        servers = List.copyOf(servers);
        tables = List.copyOf(tables);
        dnsLog = List.copyOf(dnsLog);
    }

    /** True when every cell's evidence agrees with itself (see {@link Cell#problems()}). */
    public boolean consistent() {
        return tables.stream().allMatch(Table::consistent);
    }

    public MatrixReport withTiming(long durationMillis) {
        return new MatrixReport(startedAt, durationMillis, setupMillis, environment, topology, resolver, udpTimeoutMillis,
                servers, tables, dnsLog);
    }

    /** A server as the lab started it: "ok" or the errno name per socket. */
    public record ServerStatus(String id, String host, Family family, boolean v6onlyRequested, Boolean v6onlyReadBack,
                               String tcp, String udp, String tcpLocal, String udpLocal, String detail) {}

    /** A row: a client. */
    public record Row(String id, String label, String host, Family family) {}

    /** A column: a server and the name clients resolve to reach it, with that name's records. */
    public record Column(String id, String label, String host, Family family, boolean v6only, String name,
                         List<String> a, List<String> aaaa) {
        public Column {
            a = List.copyOf(a);
            aaaa = List.copyOf(aaaa);
        }
    }

    /**
     * One client attempt at one address.
     *
     * @param index 1-based, in getaddrinfo's order
     * @param socketFamily the family of the socket the client opened for it
     * @param destination the address tried
     * @param addressProtocol the IP version the destination implies (IPv4 for a mapped address)
     * @param outcome "ok" or an errno name (see {@link io.dualsock.lab.ExchangeResult})
     * @param step the call that failed
     * @param clientLocal {@code getsockname} after connect/sendto
     * @param serverPeer the peer the server saw, or null when it saw nothing
     * @param serverLocal the accepted socket's local address (TCP)
     * @param wire the server namespace's counter changes during the attempt
     * @param clientCounters the client namespace's counter changes during the attempt
     * @param problems where the evidence disagrees with itself (empty when consistent)
     */
    public record Attempt(int index, Family socketFamily, Lookup.Resolved destination, Family addressProtocol, String outcome,
                          String step, String detail, String clientLocal, String serverPeer, String serverLocal,
                          String replyFrom, Wire wire, Map<String, Long> clientCounters, List<String> problems) {
        public Attempt {
            clientCounters = Map.copyOf(clientCounters);
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return "ok".equals(outcome);
        }
    }

    /**
     * One cell.
     *
     * @param lookup what getaddrinfo returned on the client host
     * @param attempts in order; empty when getaddrinfo failed
     * @param outcome IPv4/IPv6 when an attempt succeeded (the version measured on the wire),
     *     NO otherwise
     * @param successfulTry the 1-based index of the attempt that worked, or null
     * @param text as printed: "IPv4", "IPv6 [try 2]", "(no) ECONNREFUSED"
     * @param book what the book expects
     * @param explanation why the cell differs from the book (null when it does not)
     * @param problems where the evidence disagrees with itself (empty when consistent)
     */
    public record Cell(String row, String column, Lookup lookup, List<Attempt> attempts, Outcome outcome,
                       Integer successfulTry, String text, BookTable.Expectation book, String explanation,
                       List<String> problems) {
        public Cell {
            attempts = List.copyOf(attempts);
            problems = List.copyOf(problems);
        }

        public boolean differsFromBook() {
            return outcome != book.outcome();
        }

        public boolean consistent() {
            return problems.isEmpty();
        }
    }

    /** One table: a transport and a variant of the IPv6 client; cells row by row. */
    public record Table(Transport transport, Variant variant, List<Row> rows, List<Column> columns, List<Cell> cells) {
        public Table {
            rows = List.copyOf(rows);
            columns = List.copyOf(columns);
            cells = List.copyOf(cells);
        }

        public Cell cell(String row, String column) {
            for (Cell c : cells) if (c.row().equals(row) && c.column().equals(column)) return c;
            throw new IllegalArgumentException("no cell " + row + " x " + column);
        }

        public boolean consistent() {
            return cells.stream().allMatch(Cell::consistent);
        }

        public List<Cell> differences() {
            List<Cell> d = new ArrayList<>();
            for (Cell c : cells) if (c.differsFromBook()) d.add(c);
            return d;
        }

        public String title() {
            return transport.label() + " (" + transport.calls() + "); IPv6 client: " + variant.id() + " ("
                    + variant.description() + ")";
        }
    }
}
