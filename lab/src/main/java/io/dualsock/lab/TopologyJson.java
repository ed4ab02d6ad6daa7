package io.dualsock.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.lab.Topology.Client;
import io.dualsock.lab.Topology.Address;
import io.dualsock.lab.Topology.Host;
import io.dualsock.lab.Topology.NameRecord;
import io.dualsock.lab.Topology.Server;

/**
 * The topology file format ({@code docs/lab.md}): JSON with comments, read into a
 * {@link Topology} with every default filled in, and written back. Every error is a
 * {@link TopologyException} that names the file and the field ({@code $.hosts[2].stack}).
 */
public final class TopologyJson {
    private TopologyJson() {}

    /** The resource holding Figure 12.5's topology, in the file format. */
    public static final String FIGURE_12_5_RESOURCE = "/io/dualsock/lab/figure-12.5.json";

    /** The text of {@link Topology#figure125()} in the file format (a starting point for other topologies). */
    public static String figure125Json() {
        try (InputStream in = TopologyJson.class.getResourceAsStream(FIGURE_12_5_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + FIGURE_12_5_RESOURCE + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + FIGURE_12_5_RESOURCE, e);
        }
    }

    /** Reads a topology file; the message of a {@link TopologyException} names the file and field. */
    public static Topology read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonParser.Feature.ALLOW_COMMENTS);

    /**
     * Parses the JSON format.
     *
     * @param source named in error messages (a file name)
     * @throws TopologyException for malformed JSON, unknown fields, wrong types and every rule
     *     that {@link Topology} checks
     */
    public static Topology parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TopologyException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")" : ""), e);
        }
        try {
            return fromJson(root);
        } catch (TopologyException e) {
            throw new TopologyException(source + ": " + e.getMessage(), e);
        }
    }

    static Topology fromJson(JsonNode root) {
        ObjectNode o = object(root, "$");
        known(o, "$", "description", "port", "hosts", "servers", "clients", "records", "dns_delays", "nat64");
        String description = o.has("description") ? text(o.get("description"), "$.description") : "";
        int port = o.has("port") ? integer(o.get("port"), "$.port") : 7007;
        List<Host> hosts = new ArrayList<>();
        for (Item item : items(o, "hosts", true, "name", "stack", "ipv4", "ipv6", "names", "addresses", "gai_conf", "ipv4_path",
                "ipv6_path", "dns64")) {
            String p = item.path();
            ObjectNode h = item.object();
            String name = text(required(h, "name", p), p + ".name");
            Stack stack;
            try {
                stack = Stack.parse(text(required(h, "stack", p), p + ".stack"));
            } catch (IllegalArgumentException e) {
                throw new TopologyException(p + ".stack: " + e.getMessage());
            }
            String v4 = h.has("ipv4") && !h.get("ipv4").isNull() ? TopologyAddresses.check4(text(h.get("ipv4"), p + ".ipv4"), p + ".ipv4") : null;
            String v6 = h.has("ipv6") && !h.get("ipv6").isNull() ? TopologyAddresses.check6(text(h.get("ipv6"), p + ".ipv6"), p + ".ipv6") : null;
            List<String> names = new ArrayList<>();
            if (h.has("names")) {
                int i = 0;
                for (JsonNode nn : array(h.get("names"), p + ".names")) names.add(text(nn, p + ".names[" + i++ + "]"));
            } else {
                names.add(name + ".ds.test");
            }
            hosts.add(new Host(name, stack, v4 == null ? auto4(stack, hosts.size()) : v4,
                    v6 == null ? auto6(stack, hosts.size()) : v6, names, addresses(h.get("addresses"), p + ".addresses"),
                    gaiConf(h.get("gai_conf"), p + ".gai_conf"), path(h, "ipv4_path", p), path(h, "ipv6_path", p),
                    h.has("dns64") && bool(h.get("dns64"), p + ".dns64")));
        }
        List<Server> servers = new ArrayList<>();
        for (Item item : items(o, "servers", false, "id", "host", "family", "v6only", "name", "port", "label")) {
            String p = item.path();
            ObjectNode s = item.object();
            String host = text(required(s, "host", p), p + ".host");
            Family family = family(required(s, "family", p), p + ".family");
            String id = s.has("id") ? text(s.get("id"), p + ".id") : host + "-" + family.id();
            boolean v6only = s.has("v6only") && bool(s.get("v6only"), p + ".v6only");
            String name = s.has("name") ? text(s.get("name"), p + ".name") : firstName(hosts, host, p);
            int sport = s.has("port") ? integer(s.get("port"), p + ".port") : port;
            String label = s.has("label") ? text(s.get("label"), p + ".label") : null;
            servers.add(new Server(id, host, family, v6only, name, sport, label));
        }
        List<Client> clients = new ArrayList<>();
        for (Item item : items(o, "clients", false, "id", "host", "family", "label")) {
            String p = item.path();
            ObjectNode c = item.object();
            String host = text(required(c, "host", p), p + ".host");
            Family family = family(required(c, "family", p), p + ".family");
            String id = c.has("id") ? text(c.get("id"), p + ".id") : host + "-" + family.id();
            String label = c.has("label") ? text(c.get("label"), p + ".label") : null;
            clients.add(new Client(id, host, family, label));
        }
        List<NameRecord> records = new ArrayList<>();
        for (Item item : items(o, "records", false, "name", "a", "aaaa")) {
            String p = item.path();
            ObjectNode r = item.object();
            List<String> a = new ArrayList<>();
            for (String t : texts(r.get("a"), p + ".a")) a.add(TopologyAddresses.checkRecord(t, false, p + ".a"));
            List<String> aaaa = new ArrayList<>();
            for (String t : texts(r.get("aaaa"), p + ".aaaa")) aaaa.add(TopologyAddresses.checkRecord(t, true, p + ".aaaa"));
            records.add(new NameRecord(text(required(r, "name", p), p + ".name"), a, aaaa));
        }
        List<Topology.DnsDelay> delays = new ArrayList<>();
        for (Item item : items(o, "dns_delays", false, "name", "a_ms", "aaaa_ms")) {
            String p = item.path();
            ObjectNode d = item.object();
            String name = text(required(d, "name", p), p + ".name");
            delays.add(new Topology.DnsDelay(name, delayMs(d, "a_ms", p), delayMs(d, "aaaa_ms", p)));
        }
        Nat64Spec nat64 = o.has("nat64") && !o.get("nat64").isNull() ? nat64(o.get("nat64")) : null;
        Topology t = new Topology(description, port, hosts, servers, clients, records, delays, nat64).withDefaultLabels();
        for (int i = 0; i < delays.size(); i++) {
            String name = delays.get(i).name();
            if (!name.equals("*") && !t.nameTable().containsKey(name)) {
                throw new TopologyException("$.dns_delays[" + i + "].name: \"" + name + "\" is not a name of the topology (or \"*\")");
            }
        }
        return t;
    }

    /** {@code {"prefix": "2001:db8:6464::/96", "pool": "198.51.100.240/29", "ipv4": ..., "ipv6": ...}}, each field optional. */
    private static Nat64Spec nat64(JsonNode n) {
        ObjectNode o = object(n, "$.nat64");
        known(o, "$.nat64", "prefix", "pool", "ipv4", "ipv6");
        String prefix = o.has("prefix") ? text(o.get("prefix"), "$.nat64.prefix") : Nat64Spec.DEFAULT_PREFIX;
        String pool = o.has("pool") ? text(o.get("pool"), "$.nat64.pool") : Nat64Spec.DEFAULT_POOL;
        String v4 = o.has("ipv4") ? text(o.get("ipv4"), "$.nat64.ipv4") : Nat64Spec.DEFAULT_IPV4;
        String v6 = o.has("ipv6") ? text(o.get("ipv6"), "$.nat64.ipv6") : Nat64Spec.DEFAULT_IPV6;
        try {
            return new Nat64Spec(prefix, pool, v4, v6);
        } catch (TopologyException e) {
            throw new TopologyException("$." + e.getMessage(), e);
        }
    }

    /** {@code "198.51.100.200/26"} or {@code {"address": "2001:db8:1::10/64", "deprecated": true, "home": false}}. */
    private static List<Address> addresses(JsonNode n, String p) {
        List<Address> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        int i = 0;
        for (JsonNode e : array(n, p)) {
            String q = p + "[" + i++ + "]";
            String text;
            boolean deprecated = false;
            boolean home = false;
            if (e.isObject()) {
                ObjectNode o = (ObjectNode) e;
                known(o, q, "address", "deprecated", "home");
                text = text(required(o, "address", q), q + ".address");
                if (o.has("deprecated")) deprecated = bool(o.get("deprecated"), q + ".deprecated");
                if (o.has("home")) home = bool(o.get("home"), q + ".home");
            } else {
                text = text(e, q);
            }
            int slash = text.indexOf('/');
            if (slash < 0) throw new TopologyException(q + ": write the prefix length, e.g. " + text + "/64");
            int len;
            try {
                len = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException ex) {
                throw new TopologyException(q + ": \"" + text.substring(slash + 1) + "\" is not a prefix length");
            }
            out.add(new Address(text.substring(0, slash), len, deprecated, home));
        }
        return out;
    }

    /** The file's text, given as one string or as an array of lines. */
    private static int delayMs(ObjectNode d, String field, String p) {
        if (!d.has(field)) return 0;
        JsonNode v = d.get(field);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 10_000) {
            throw new TopologyException(p + "." + field + ": must be a whole number of ms, 0..10000");
        }
        return v.asInt();
    }

    private static Topology.PathState path(ObjectNode h, String field, String p) {
        if (!h.has(field) || h.get(field).isNull()) return Topology.PathState.OPEN;
        String word = text(h.get(field), p + "." + field);
        Topology.PathState state = Words.find(Topology.PathState.class, word);
        if (state == null) throw new TopologyException(p + "." + field + ": must be \"open\" or \"blackhole\", got \"" + word + "\"");
        return state;
    }

    private static String gaiConf(JsonNode n, String p) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return n.asText();
        StringBuilder sb = new StringBuilder();
        for (String line : texts(n, p)) sb.append(line).append('\n');
        return sb.toString();
    }

    /** The topology as JSON in the file format (every default filled in). */
    public static ObjectNode toJson(Topology t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("description", t.description());
        o.put("port", t.port());
        ArrayNode ha = o.putArray("hosts");
        for (Host h : t.hosts()) {
            ObjectNode n = ha.addObject();
            n.put("name", h.name());
            n.put("stack", h.stack().id());
            if (h.ipv4() != null) n.put("ipv4", h.ipv4());
            if (h.ipv6() != null) n.put("ipv6", h.ipv6());
            ArrayNode names = n.putArray("names");
            h.names().forEach(names::add);
            if (!h.addresses().isEmpty()) {
                ArrayNode extra = n.putArray("addresses");
                for (Address a : h.addresses()) {
                    if (!a.deprecated() && !a.home()) {
                        extra.add(a.address() + "/" + a.prefixLength());
                        continue;
                    }
                    ObjectNode x = extra.addObject().put("address", a.address() + "/" + a.prefixLength());
                    if (a.deprecated()) x.put("deprecated", true);
                    if (a.home()) x.put("home", true);
                }
            }
            if (h.gaiConf() != null) n.put("gai_conf", h.gaiConf());
            if (h.ipv4Path() != Topology.PathState.OPEN) n.put("ipv4_path", h.ipv4Path().id());
            if (h.ipv6Path() != Topology.PathState.OPEN) n.put("ipv6_path", h.ipv6Path().id());
            if (h.dns64()) n.put("dns64", true);
        }
        ArrayNode sa = o.putArray("servers");
        for (Server s : t.servers()) {
            ObjectNode n = endpoint(sa, s.id(), s.host(), s.family()).put("v6only", s.v6only()).put("name", s.name())
                    .put("port", s.port());
            if (s.label() != null) n.put("label", s.label());
        }
        ArrayNode ca = o.putArray("clients");
        for (Client c : t.clients()) {
            ObjectNode n = endpoint(ca, c.id(), c.host(), c.family());
            if (c.label() != null) n.put("label", c.label());
        }
        ArrayNode ra = o.putArray("records");
        for (NameRecord r : t.records()) {
            ObjectNode n = ra.addObject();
            n.put("name", r.name());
            ArrayNode a = n.putArray("a");
            r.a().forEach(a::add);
            ArrayNode aaaa = n.putArray("aaaa");
            r.aaaa().forEach(aaaa::add);
        }
        if (!t.dnsDelays().isEmpty()) {
            ArrayNode da = o.putArray("dns_delays");
            for (Topology.DnsDelay d : t.dnsDelays()) da.addObject().put("name", d.name()).put("a_ms", d.aMs()).put("aaaa_ms", d.aaaaMs());
        }
        Nat64Spec n = t.nat64();
        if (n != null) o.putObject("nat64").put("prefix", n.prefix()).put("pool", n.pool()).put("ipv4", n.ipv4()).put("ipv6", n.ipv6());
        return o;
    }

    private static String auto4(Stack stack, int index) {
        return stack.hasIpv4() ? "198.51.100." + (100 + index) : null;
    }

    private static String auto6(Stack stack, int index) {
        return stack.hasIpv6() ? "2001:db8::" + (100 + index) : null;
    }

    private static String firstName(List<Host> hosts, String host, String p) {
        for (Host h : hosts) {
            if (h.name().equals(host)) {
                if (h.names().isEmpty()) throw new TopologyException(p + ".name: host \"" + host + "\" has no names; give the server a name");
                return h.names().get(0);
            }
        }
        throw new TopologyException(p + ".host: no host \"" + host + "\"");
    }

    private static ObjectNode object(JsonNode n, String p) {
        if (n == null || !n.isObject()) throw new TopologyException(p + ": expected an object");
        return (ObjectNode) n;
    }

    /** What a server and a client have in common, as the first fields of a new object in {@code into}. */
    private static ObjectNode endpoint(ArrayNode into, String id, String host, Family family) {
        return into.addObject().put("id", id).put("host", host).put("family", family.id());
    }

    /** One object of a top-level array field and its path ({@code $.servers[2]}). */
    private record Item(String path, ObjectNode object) {}

    /**
     * The objects of the array field {@code name} of {@code o}, each checked for unknown fields;
     * none when an optional field is absent.
     */
    private static List<Item> items(ObjectNode o, String name, boolean required, String... known) {
        List<Item> out = new ArrayList<>();
        if (!required && !o.has(name)) return out;
        int i = 0;
        for (JsonNode n : array(o.get(name), "$." + name)) {
            String p = "$." + name + "[" + i++ + "]";
            ObjectNode x = object(n, p);
            known(x, p, known);
            out.add(new Item(p, x));
        }
        return out;
    }

    private static ArrayNode array(JsonNode n, String p) {
        if (n == null) throw new TopologyException(p + ": missing (an array)");
        if (!n.isArray()) throw new TopologyException(p + ": expected an array");
        return (ArrayNode) n;
    }

    private static JsonNode required(ObjectNode o, String field, String p) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) throw new TopologyException(p + "." + field + ": missing");
        return n;
    }

    private static String text(JsonNode n, String p) {
        if (!n.isTextual()) throw new TopologyException(p + ": expected a string, got " + n.getNodeType().toString().toLowerCase(Locale.ROOT));
        return n.asText();
    }

    private static List<String> texts(JsonNode n, String p) {
        if (n == null || n.isNull()) return List.of();
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : array(n, p)) out.add(text(e, p + "[" + i++ + "]"));
        return out;
    }

    private static int integer(JsonNode n, String p) {
        if (!n.isInt()) throw new TopologyException(p + ": expected an integer");
        return n.asInt();
    }

    private static boolean bool(JsonNode n, String p) {
        if (!n.isBoolean()) throw new TopologyException(p + ": expected true or false");
        return n.asBoolean();
    }

    private static Family family(JsonNode n, String p) {
        try {
            return Family.parse(text(n, p));
        } catch (IllegalArgumentException e) {
            if (e instanceof TopologyException) throw e;
            throw new TopologyException(p + ": " + e.getMessage());
        }
    }

    private static void known(ObjectNode o, String p, String... fields) {
        Set<String> ok = Set.of(fields);
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ok.contains(f)) throw new TopologyException(p + ": unknown field \"" + f + "\" (known: " + String.join(", ", fields) + ")");
        }
    }
}
