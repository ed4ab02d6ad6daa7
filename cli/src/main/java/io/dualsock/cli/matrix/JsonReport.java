package io.dualsock.cli.matrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.lab.Lookup;
import io.dualsock.lab.TopologyJson;
import io.dualsock.lab.Wire;

/**
 * The report as JSON, every detail included. The format is described by the JSON Schema
 * {@code docs/lab-schema.json} ({@value #SCHEMA_ID}, version {@value MatrixReport#SCHEMA_VERSION});
 * fields are only ever added within a version.
 */
public final class JsonReport {
    private JsonReport() {}

    public static final String SCHEMA_ID = "https://dualsock.io/schemas/lab-matrix-1.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void write(MatrixReport r, Path file) throws IOException {
        Files.write(file, JSON.writeValueAsBytes(toJson(r)));
    }

    public static String render(MatrixReport r) {
        try {
            return JSON.writeValueAsString(toJson(r));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode toJson(MatrixReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("$schema", SCHEMA_ID);
        o.put("schemaVersion", MatrixReport.SCHEMA_VERSION);
        o.put("startedAt", r.startedAt());
        o.put("durationMillis", r.durationMillis());
        o.put("setupMillis", r.setupMillis());
        ObjectNode env = o.putObject("environment");
        r.environment().forEach(env::put);
        o.put("resolver", r.resolver().id());
        o.put("udpTimeoutMillis", r.udpTimeoutMillis());
        o.put("consistent", r.consistent());
        o.set("topology", TopologyJson.toJson(r.topology()));
        ArrayNode servers = o.putArray("servers");
        for (MatrixReport.ServerStatus s : r.servers()) {
            ObjectNode n = servers.addObject();
            n.put("id", s.id());
            n.put("host", s.host());
            n.put("family", s.family().id());
            n.put("v6onlyRequested", s.v6onlyRequested());
            if (s.v6onlyReadBack() == null) n.putNull("v6onlyReadBack");
            else n.put("v6onlyReadBack", s.v6onlyReadBack());
            n.put("tcp", s.tcp());
            n.put("udp", s.udp());
            n.put("tcpLocal", s.tcpLocal());
            n.put("udpLocal", s.udpLocal());
            n.put("detail", s.detail());
        }
        ArrayNode tables = o.putArray("tables");
        for (MatrixReport.Table t : r.tables()) tables.add(table(t));
        ArrayNode dns = o.putArray("dnsLog");
        r.dnsLog().forEach(dns::add);
        return o;
    }

    static ObjectNode table(MatrixReport.Table t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("transport", t.transport().id());
        n.put("transportLabel", t.transport().label());
        n.put("variant", t.variant().id());
        n.put("variantDescription", t.variant().description());
        n.put("consistent", t.consistent());
        ArrayNode rows = n.putArray("rows");
        for (MatrixReport.Row r : t.rows()) {
            rows.addObject().put("id", r.id()).put("label", r.label()).put("host", r.host()).put("family", r.family().id());
        }
        ArrayNode cols = n.putArray("columns");
        for (MatrixReport.Column c : t.columns()) {
            ObjectNode cn = cols.addObject().put("id", c.id()).put("label", c.label()).put("host", c.host())
                    .put("family", c.family().id()).put("v6only", c.v6only()).put("name", c.name());
            strings(cn.putArray("a"), c.a());
            strings(cn.putArray("aaaa"), c.aaaa());
        }
        ArrayNode cells = n.putArray("cells");
        for (MatrixReport.Cell c : t.cells()) cells.add(cell(c));
        ArrayNode diffs = n.putArray("differences");
        for (MatrixReport.Cell c : t.differences()) diffs.add(c.explanation());
        return n;
    }

    static ObjectNode cell(MatrixReport.Cell c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("row", c.row());
        n.put("column", c.column());
        n.put("text", c.text());
        n.put("outcome", c.outcome().name());
        if (c.successfulTry() == null) n.putNull("successfulTry");
        else n.put("successfulTry", c.successfulTry());
        n.putObject("book").put("text", c.book().text()).put("outcome", c.book().outcome().name()).put("source", c.book().source());
        n.put("differsFromBook", c.differsFromBook());
        n.put("consistent", c.consistent());
        n.put("explanation", c.explanation());
        strings(n.putArray("problems"), c.problems());
        Lookup lk = c.lookup();
        ObjectNode g = n.putObject("getaddrinfo");
        g.put("name", lk.name());
        g.put("service", lk.service());
        g.put("hints", lk.hints());
        ArrayNode addrs = g.putArray("addresses");
        for (Lookup.Resolved a : lk.addresses()) addrs.add(address(a));
        g.put("error", lk.error());
        g.put("errno", lk.errno());
        g.put("detail", lk.detail());
        ArrayNode attempts = n.putArray("attempts");
        for (MatrixReport.Attempt a : c.attempts()) {
            ObjectNode an = attempts.addObject();
            an.put("index", a.index());
            an.put("socketFamily", a.socketFamily().cName());
            ObjectNode dst = address(a.destination());
            String nat64Of = HappyCell.nat64Of(a.detail());
            if (nat64Of != null) dst.put("nat64Of", nat64Of); // synthesized by the Connector (RFC 8305 §7), as v4mapped marks a mapped one
            an.set("destination", dst);
            an.put("addressProtocol", a.addressProtocol().label());
            an.put("outcome", a.outcome());
            an.put("step", a.step());
            an.put("detail", a.detail());
            an.put("clientLocal", a.clientLocal());
            an.put("serverPeer", a.serverPeer());
            an.put("serverLocal", a.serverLocal());
            an.put("replyFrom", a.replyFrom());
            Wire w = a.wire();
            ObjectNode wn = an.putObject("wire");
            wn.put("protocol", w.protocol());
            wn.put("ipv4Packets", w.ipv4());
            wn.put("ipv6Packets", w.ipv6());
            counters(wn.putObject("counters"), w.deltas());
            counters(an.putObject("clientCounters"), a.clientCounters());
            strings(an.putArray("problems"), a.problems());
        }
        return n;
    }

    private static ObjectNode address(Lookup.Resolved a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("family", a.family());
        n.put("address", a.address());
        n.put("port", a.port());
        n.put("v4mapped", a.v4mapped());
        return n;
    }

    private static void strings(ArrayNode arr, List<String> values) {
        values.forEach(arr::add);
    }

    private static void counters(ObjectNode n, Map<String, Long> m) {
        new java.util.TreeMap<>(m).forEach(n::put);
    }
}
