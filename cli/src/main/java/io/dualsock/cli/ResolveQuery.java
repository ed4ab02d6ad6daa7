package io.dualsock.cli;

import io.dualsock.cli.output.AddrInfoView;
import io.dualsock.cli.output.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Names;
import io.dualsock.Nat64;
import io.dualsock.ResolverException;
import io.dualsock.bindings.Errors;
import io.dualsock.bindings.LibcLocale;

/**
 * One {@code getaddrinfo} question as the command line understands it, read from options or from
 * a JSON line, and the JSON answer to it. Hint values are passed to libc unchanged.
 *
 * @param host the node argument, null for NULL
 * @param service the service argument, null for NULL
 * @param hints exactly what libc will get
 */
public record ResolveQuery(String host, String service, Hints hints) {

    /** Fields a JSON query may have; {@code id} is the caller's own and only echoed. */
    static final Set<String> FIELDS = Set.of("host", "service", "family", "socktype", "protocol", "flags", "id");

    /**
     * Reads a JSON query object. Missing or null hint fields are 0 (AF_UNSPEC, any type, any
     * protocol, no flags), as in a zeroed {@code struct addrinfo}.
     *
     * @throws IllegalArgumentException with the reason, when the object is no valid query
     */
    public static ResolveQuery fromJson(JsonNode q) {
        if (q == null || !q.isObject()) {
            throw new IllegalArgumentException("a query must be a JSON object, got " + kind(q));
        }
        for (Iterator<String> it = q.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field \"" + f
                        + "\" (a query has host, service, family, socktype, protocol, flags, and an optional id)");
            }
        }
        String host = string(q, "host", false);
        String service = string(q, "service", true);
        Hints hints = Hints.builder()
                .family(hint(q, "family", HintNames.Kind.FAMILY))
                .socktype(hint(q, "socktype", HintNames.Kind.SOCKTYPE))
                .protocol(hint(q, "protocol", HintNames.Kind.PROTOCOL))
                .rawFlags(hint(q, "flags", HintNames.Kind.FLAG))
                .build();
        return new ResolveQuery(host, service, hints);
    }

    private static String string(JsonNode q, String field, boolean numberAllowed) {
        JsonNode v = q.get(field);
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) return v.textValue();
        if (numberAllowed && v.isIntegralNumber()) return v.asText();
        throw new IllegalArgumentException(field + " must be a string" + (numberAllowed ? ", an integer" : "")
                + " or null, got " + kind(v));
    }

    private static int hint(JsonNode q, String field, HintNames.Kind kind) {
        JsonNode v = q.get(field);
        if (v == null || v.isNull()) return 0;
        if (v.isTextual()) {
            try {
                return kind == HintNames.Kind.FLAG ? HintNames.flags(v.textValue()) : HintNames.value(kind, v.textValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
            }
        }
        if (v.isIntegralNumber() && v.canConvertToLong()
                && v.longValue() >= Integer.MIN_VALUE && v.longValue() <= 0xffffffffL) {
            return (int) v.longValue();
        }
        throw new IllegalArgumentException(field + " must be a " + kind.what() + " name, a number or null, got "
                + kind(v) + " " + Json.compact(v));
    }

    private static String kind(JsonNode v) {
        return v == null ? "nothing" : v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * This query as a batch line would give it: host, service, family and socktype as platform
     * names (numbers when there is none), protocol as a number, and flags as the user wrote them.
     */
    public ObjectNode toJson(String flagsAsGiven) {
        ObjectNode o = Json.object();
        o.put("host", host);
        o.put("service", service);
        o.set("family", AddrInfoView.family(hints.family()));
        o.set("socktype", AddrInfoView.socktype(hints.socktype()));
        o.put("protocol", hints.protocol());
        o.put("flags", flagsAsGiven);
        return o;
    }

    /**
     * What libc gets: {@code {"family":"AF_INET6","socktype":0,"protocol":0,"flags":"AI_V4MAPPED","ai_flags":8}},
     * plus {@code "locale":{"lc_ctype":..,"codeset":..}} when AI_IDN or AI_CANONIDN is set: libc
     * then converts names with the process's locale, so the same query can answer differently
     * under another LANG. Other answers stay as they were.
     */
    public ObjectNode hintsJson() {
        ObjectNode o = AddrInfoView.hints(hints);
        if (has(AiFlag.IDN) || has(AiFlag.CANONIDN)) {
            o.putObject("locale").put("lc_ctype", LibcLocale.ctype()).put("codeset", LibcLocale.codeset());
        }
        return o;
    }

    private boolean has(AiFlag f) {
        return f.isDefined() && (hints.flags() & f.value()) != 0;
    }

    /** {@code getaddrinfo("localhost", NULL, {family=AF_INET6, socktype=0, protocol=0, flags=AI_V4MAPPED})}. */
    public String describe() {
        return "getaddrinfo(" + quote(host) + ", " + quote(service) + ", {family=" + Names.family(hints.family())
                + ", socktype=" + Names.socktype(hints.socktype()) + ", protocol=" + AddrInfoView.protocol(hints.protocol())
                + ", flags=" + AiFlag.describe(hints.flags()) + "})";
    }

    private static String quote(String s) {
        if (s == null) return "NULL";
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Asks libc. */
    public List<AddrInfo> resolve() throws ResolverException {
        return io.dualsock.Resolver.getaddrinfo(host, service, hints);
    }

    // ---- answers: {"query":…, "hints":…, "error":…, "message":…, "results":[…]} ----

    /** A successful answer. */
    public static ObjectNode answer(JsonNode queryEcho, ResolveQuery q, List<AddrInfo> results) {
        return answer(queryEcho, q, results, null);
    }

    /** A successful answer, results inside {@code nat64} (may be null) with a {@code "nat64"} field. */
    public static ObjectNode answer(JsonNode queryEcho, ResolveQuery q, List<AddrInfo> results, Nat64 nat64) {
        ObjectNode o = head(queryEcho, q);
        o.putNull("error");
        o.putNull("message");
        o.set("results", AddrInfoView.json(results, nat64));
        return o;
    }

    /** libc said no: the EAI_* name, gai_strerror text, and for EAI_SYSTEM the errno name. */
    public static ObjectNode answer(JsonNode queryEcho, ResolveQuery q, ResolverException e) {
        ObjectNode o = head(queryEcho, q);
        o.put("error", e.codeName());
        o.put("message", Errors.gaiStrerror(e.code()));
        if (e.errnoName() != null) o.put("errno", e.errnoName());
        o.set("results", JsonNodeFactory.instance.arrayNode());
        return o;
    }

    /** The query itself was not understood; libc was not asked. */
    public static ObjectNode badQuery(JsonNode queryEcho, String reason) {
        ObjectNode o = head(queryEcho, null);
        o.put("error", "BAD_QUERY: " + reason);
        o.putNull("message");
        o.set("results", JsonNodeFactory.instance.arrayNode());
        return o;
    }

    private static ObjectNode head(JsonNode queryEcho, ResolveQuery q) {
        ObjectNode o = Json.object();
        o.set("query", queryEcho);
        if (q != null) o.set("hints", q.hintsJson());
        return o;
    }
}
