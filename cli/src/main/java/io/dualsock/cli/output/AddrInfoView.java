package io.dualsock.cli.output;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.AddrInfo;
import io.dualsock.AiFlag;
import io.dualsock.Hints;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.Names;
import io.dualsock.Nat64;
import io.dualsock.SockAddr;

/**
 * How one {@code getaddrinfo} result is shown: a JSON object with fixed field names and a table
 * row, both marking IPv4-mapped addresses (the JSON by the address text alone, {@code ::ffff:a.b.c.d};
 * the table also with {@value #MAPPED_MARKER}). Given a NAT64 prefix, addresses inside it are
 * labelled too: {@code [NAT64 of 198.51.100.11]} in the table, a {@code "nat64"} field in JSON.
 */
public final class AddrInfoView {
    private AddrInfoView() {}

    public static final String MAPPED_MARKER = "[v4-mapped]";

    /** Column headers matching {@link #row}. */
    public static final String[] HEADERS = {
        "#", "family", "socktype", "protocol", "address", "port", "flowinfo", "scope", "canonname", ""};

    /** Columns of {@link #HEADERS} holding numbers. */
    public static final int[] NUMERIC_COLUMNS = {0, 5, 6, 7};

    public static Table table() {
        return new Table(HEADERS).rightAlign(NUMERIC_COLUMNS);
    }

    /** One table row; index counts from 1 as people do. */
    public static Object[] row(int index, AddrInfo ai) {
        return row(index, ai, null);
    }

    /**
     * One table row, the last cell {@code [NAT64 of 198.51.100.11]} when {@code nat64} is not null
     * and {@link Nat64#contains contains} the address (never for a mapped one).
     */
    public static Object[] row(int index, AddrInfo ai, Nat64 nat64) {
        SockAddr a = ai.address();
        Inet6SockAddr a6 = a instanceof Inet6SockAddr x ? x : null;
        return new Object[] {
            index,
            Names.family(ai.family()),
            Names.socktype(ai.socktype()),
            protocol(ai.protocol()),
            a == null ? null : a.address(),
            a == null ? null : a.port(),
            a6 == null ? 0 : Integer.toUnsignedString(a6.flowinfo()),
            a6 == null ? 0 : Integer.toUnsignedString(a6.scopeId()),
            ai.canonicalName(),
            ai.isV4Mapped() ? MAPPED_MARKER : isNat64(ai, nat64) ? "[NAT64 of " + embedded(ai, nat64).address() + "]" : "",
        };
    }

    /** True when {@code nat64} is not null and the result's address lies inside it. */
    public static boolean isNat64(AddrInfo ai, Nat64 nat64) {
        return nat64 != null && ai.address() != null && nat64.contains(ai.address());
    }

    private static Inet4SockAddr embedded(AddrInfo ai, Nat64 nat64) {
        return nat64.extract((Inet6SockAddr) ai.address());
    }

    /**
     * {@code {"family":"AF_INET6","socktype":"SOCK_STREAM","protocol":6,"canonname":null,
     * "address":"::ffff:192.0.2.1","port":80,"flowinfo":0,"scope_id":0}}; family and socktype
     * are numbers when the platform has no name for them; flowinfo and scope_id are unsigned.
     */
    public static ObjectNode json(AddrInfo ai) {
        return json(ai, null);
    }

    /**
     * As {@link #json(AddrInfo)}, plus {@code "nat64":{"prefix":"64:ff9b::/96","ipv4":"198.51.100.11"}}
     * when {@code nat64} is not null and contains the address; other results are unchanged.
     */
    public static ObjectNode json(AddrInfo ai, Nat64 nat64) {
        ObjectNode o = Json.object();
        o.set("family", family(ai.family()));
        o.set("socktype", socktype(ai.socktype()));
        o.put("protocol", ai.protocol());
        o.put("canonname", ai.canonicalName());
        SockAddr a = ai.address();
        if (a == null) {
            // Not AF_INET/AF_INET6: Linux getaddrinfo never returns one, but the shape stays fixed.
            o.putNull("address");
            o.putNull("port");
            o.putNull("flowinfo");
            o.putNull("scope_id");
        } else {
            o.put("address", a.address());
            o.put("port", a.port());
            Inet6SockAddr a6 = a instanceof Inet6SockAddr x ? x : null;
            o.put("flowinfo", a6 == null ? 0 : Integer.toUnsignedLong(a6.flowinfo()));
            o.put("scope_id", a6 == null ? 0 : Integer.toUnsignedLong(a6.scopeId()));
        }
        if (isNat64(ai, nat64)) {
            o.putObject("nat64").put("prefix", nat64.toString()).put("ipv4", embedded(ai, nat64).address());
        }
        return o;
    }

    public static ArrayNode json(List<AddrInfo> results) {
        return json(results, null);
    }

    /** Each result as {@link #json(AddrInfo, Nat64)}; {@code nat64} may be null. */
    public static ArrayNode json(List<AddrInfo> results, Nat64 nat64) {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (AddrInfo ai : results) arr.add(json(ai, nat64));
        return arr;
    }

    /** What libc gets: {@code {"family":"AF_INET6","socktype":0,"protocol":0,"flags":"AI_V4MAPPED","ai_flags":8}}. */
    public static ObjectNode hints(Hints h) {
        ObjectNode o = Json.object();
        o.set("family", family(h.family()));
        o.set("socktype", socktype(h.socktype()));
        o.put("protocol", h.protocol());
        o.put("flags", AiFlag.describe(h.flags()));
        o.put("ai_flags", Integer.toUnsignedLong(h.flags()));
        return o;
    }

    /** IPPROTO_TCP for the table; 0 stays "0", because there it means "any", not IPPROTO_IP. */
    public static String protocol(int v) {
        return v == 0 ? "0" : Names.protocol(v);
    }

    public static JsonNode family(int v) {
        return Json.nameOrNumber(Names.family(v), v);
    }

    public static JsonNode socktype(int v) {
        return Json.nameOrNumber(Names.socktype(v), v);
    }
}
