package io.dualsock.cli.demo;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.dualsock.Inet6SockAddr;
import io.dualsock.Names;
import io.dualsock.SockAddr;

/**
 * How the demo and the {@code serve}/{@code connect} commands show a socket address: exactly as
 * the kernel reported it, an IPv4-mapped address marked but never shortened to IPv4.
 */
public final class SockAddrView {
    private SockAddrView() {}

    /** The marker the CLI tables use too ({@code resolve}). */
    public static final String MAPPED_MARKER = "[v4-mapped]";

    /** {@code [::ffff:127.0.0.1]:5000 [v4-mapped]}, {@code 127.0.0.1:5000}, or {@code -} for none. */
    public static String text(SockAddr a) {
        if (a == null) return "-";
        return isMapped(a) ? a + " " + MAPPED_MARKER : a.toString();
    }

    /**
     * {@link #text(SockAddr)}, and {@code [2001:db8:6464::c633:640b]:7007 [NAT64 of 198.51.100.11]}
     * for an address inside {@code nat64} (null: none), the label {@code resolve} gives it.
     */
    public static String text(SockAddr a, io.dualsock.Nat64 nat64) {
        if (a == null || nat64 == null || !nat64.contains(a)) return text(a);
        return a + " [NAT64 of " + nat64.extract((Inet6SockAddr) a).address() + "]";
    }

    public static boolean isMapped(SockAddr a) {
        return a instanceof Inet6SockAddr a6 && a6.isV4Mapped();
    }

    /**
     * {@code {"family":"AF_INET6","address":"::ffff:127.0.0.1","port":5000,"v4_mapped":true,"scope_id":0}}
     * ({@code scope_id} for IPv6 only); JSON null for no address.
     */
    public static JsonNode json(SockAddr a) {
        if (a == null) return JsonNodeFactory.instance.nullNode();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("family", Names.family(a.family()));
        o.put("address", a.address());
        o.put("port", a.port());
        o.put("v4_mapped", isMapped(a));
        if (a instanceof Inet6SockAddr a6) o.put("scope_id", Integer.toUnsignedLong(a6.scopeId()));
        return o;
    }

    /** Payload bytes as text for a report: UTF-8 with replacement, cut at 200 characters. */
    public static String payload(byte[] b, int len) {
        String s = new String(b, 0, len, StandardCharsets.UTF_8);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** A payload quoted for a terminal: control characters as escapes ({@code "hello\n"}). */
    public static String quoted(String s) {
        if (s == null) return "-";
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
