package io.dualsock;

import java.util.List;
import java.util.Locale;

/**
 * What one {@link Connector} run did, in milliseconds from its start: each resolver query and
 * each connection attempt with its result. As a record, as text ({@link #toText()}) and as
 * JSON ({@link #toJson()}).
 *
 * @param host the name asked for
 * @param port the port
 * @param mode the algorithm used
 * @param attemptDelayMs the Connection Attempt Delay in force (HAPPY only)
 * @param resolutions the resolver queries: AAAA and A for HAPPY, one AF_UNSPEC for SEQUENTIAL
 * @param attempts every connection attempt, in the order started
 * @param winner the address connected to, or null
 * @param elapsedMs from the start to the connection (or to the failure)
 * @param failure why no connection was made (an errno or EAI name and words), or null
 * @param nat64 what RFC 8305 §7 synthesis did on an IPv6-only host, or null when it was not
 *     needed (the host has IPv4, an address was found, or NAT64 is off)
 */
public record ConnectTrace(String host, int port, ConnectOptions.Mode mode, long attemptDelayMs,
        List<Resolution> resolutions, List<Attempt> attempts, SockAddr winner, double elapsedMs, String failure,
        Synthesis nat64) {

    /** Result of an attempt that is closed because another one won. */
    public static final String ABANDONED = "abandoned";
    /** Result of the winning attempt. */
    public static final String CONNECTED = "connected";

    /**
     * One resolver query.
     *
     * @param query "AAAA" ({@code AF_INET6}), "A" ({@code AF_INET}) or "AF_UNSPEC"
     * @param endMs when its answer arrived, or -1 when it had not when the connect ended
     * @param addresses what it returned, in libc's order (empty on failure)
     * @param error the {@code EAI_*} name of a failure, or null
     */
    public record Resolution(String query, double endMs, List<SockAddr> addresses, String error) {
        /** Copies {@code addresses}, which is immutable afterwards. */
        public Resolution {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * One connection attempt.
     *
     * @param address where to
     * @param family "IPv6" or "IPv4"
     * @param startMs when {@code connect(2)} was called
     * @param endMs when its result was known (or it was closed)
     * @param result {@link #CONNECTED}, an errno name ({@code ECONNREFUSED}), {@link #ABANDONED},
     *     {@code ETIMEDOUT} when the overall time limit ended it, {@code ECANCELED} when cancelled
     */
    public record Attempt(SockAddr address, String family, double startMs, double endMs, String result,
            Inet4SockAddr synthesizedFrom) {
        /** An attempt to an address that was not synthesized. */
        public Attempt(SockAddr address, String family, double startMs, double endMs, String result) {
            this(address, family, startMs, endMs, result, null);
        }
    }

    /**
     * RFC 8305 §7 on an IPv6-only host (no routable IPv4 address, a routable IPv6 one): the IPv4
     * addresses to reach, the NAT64 prefixes and the IPv6 addresses synthesized from them (RFC
     * 6052), which join the IPv6 addresses to try.
     *
     * @param source "given" ({@link ConnectOptions#withNat64}) or "discovered" (RFC 7050 or another
     *     {@link ConnectOptions.Nat64Source})
     * @param endMs when the prefixes (and, for a name, the A query without {@code AI_ADDRCONFIG}) were known
     * @param ipv4 the IPv4 addresses: the literal asked for, or the A answer
     * @param prefixes the NAT64 prefixes used
     * @param synthesized the addresses made, each prefix in turn for each IPv4 address
     * @param note why nothing (or not everything) was synthesized, or null
     */
    public record Synthesis(String source, double endMs, List<Inet4SockAddr> ipv4, List<Nat64> prefixes,
            List<Inet6SockAddr> synthesized, String note) {
        /** Copies the lists, which are immutable afterwards. */
        public Synthesis {
            ipv4 = List.copyOf(ipv4);
            prefixes = List.copyOf(prefixes);
            synthesized = List.copyOf(synthesized);
        }
    }

    /** Copies the lists, which are immutable afterwards. */
    public ConnectTrace {
        resolutions = List.copyOf(resolutions);
        attempts = List.copyOf(attempts);
    }

    /** A trace without NAT64 synthesis. */
    public ConnectTrace(String host, int port, ConnectOptions.Mode mode, long attemptDelayMs,
            List<Resolution> resolutions, List<Attempt> attempts, SockAddr winner, double elapsedMs, String failure) {
        this(host, port, mode, attemptDelayMs, resolutions, attempts, winner, elapsedMs, failure, null);
    }

    /** True when a connection was made. */
    public boolean connected() {
        return winner != null;
    }

    /**
     * The failure's name for scripts: its leading errno name ({@code ETIMEDOUT},
     * {@code ECONNREFUSED}, {@code ECANCELED}), {@code NO_ADDRESS} when no query gave an address,
     * {@code INTERRUPTED}; null when connected.
     */
    public String failureName() {
        if (failure == null) return null;
        int colon = failure.indexOf(':');
        String head = colon < 0 ? failure : failure.substring(0, colon);
        if (head.matches("E[A-Z0-9]+")) return head;
        return head.equals("interrupted") ? "INTERRUPTED" : "NO_ADDRESS";
    }

    /** A timeline, one line per query and attempt. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("connect ").append(host).append(" port ").append(port).append(" (")
                .append(mode.name().toLowerCase(Locale.ROOT));
        if (mode == ConnectOptions.Mode.HAPPY) sb.append(", attempt delay ").append(attemptDelayMs).append(" ms");
        sb.append(")\n");
        for (Resolution r : resolutions) {
            sb.append(String.format(Locale.ROOT, "  %-9s %9s ms  ", r.query(), r.endMs() < 0 ? "-" : ms(r.endMs())));
            if (r.endMs() < 0) sb.append("no answer yet");
            else if (r.error() != null) sb.append(r.error());
            else sb.append(r.addresses().size()).append(r.addresses().size() == 1 ? " address" : " addresses");
            sb.append('\n');
        }
        if (nat64 != null) sb.append(String.format(Locale.ROOT, "  %-9s %9s ms  %s%n", "NAT64", ms(nat64.endMs()), nat64Text()));
        int i = 1;
        for (Attempt a : attempts) {
            sb.append(String.format(Locale.ROOT, "  #%-2d %-4s %-40s %9s .. %9s ms  %s", i++, a.family(),
                    a.address(), ms(a.startMs()), ms(a.endMs()), a.result()));
            if (a.synthesizedFrom() != null) sb.append("  (NAT64 of ").append(a.synthesizedFrom().address()).append(')');
            sb.append(String.format("%n"));
        }
        if (winner != null) sb.append("connected to ").append(winner);
        else sb.append("not connected: ").append(failure);
        sb.append(" after ").append(ms(elapsedMs)).append(" ms\n");
        return sb.toString();
    }

    /** The NAT64 line of {@link #toText()}: what was synthesized from what, or why nothing. */
    private String nat64Text() {
        StringBuilder sb = new StringBuilder("IPv6-only host");
        if (!nat64.ipv4().isEmpty()) {
            sb.append(", IPv4 ");
            for (int i = 0; i < nat64.ipv4().size(); i++) sb.append(i > 0 ? ", " : "").append(nat64.ipv4().get(i).address());
        }
        if (!nat64.prefixes().isEmpty()) sb.append(" through ").append(nat64.prefixes().get(0)).append(nat64.prefixes().size() > 1
                ? " (+" + (nat64.prefixes().size() - 1) + ")" : "").append(" (").append(nat64.source()).append(')');
        sb.append(": ").append(nat64.synthesized().size()).append(nat64.synthesized().size() == 1 ? " address synthesized" : " addresses synthesized");
        if (nat64.note() != null) sb.append("; ").append(nat64.note());
        return sb.toString();
    }

    /**
     * JSON: {@code host, port, mode, attempt_delay_ms, resolutions[] (query, end_ms, addresses,
     * error), attempts[] (address, family, start_ms, end_ms, result, and {@code nat64_of} for a
     * synthesized address), connected, winner, elapsed_ms, failure}, and {@code nat64} (source,
     * end_ms, ipv4, prefixes, synthesized, note) when synthesis was tried.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"host\":").append(str(host)).append(",\"port\":").append(port)
                .append(",\"mode\":").append(str(mode.name().toLowerCase(Locale.ROOT)))
                .append(",\"attempt_delay_ms\":").append(attemptDelayMs).append(",\"resolutions\":[");
        for (int i = 0; i < resolutions.size(); i++) {
            Resolution r = resolutions.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"query\":").append(str(r.query())).append(",\"end_ms\":")
                    .append(r.endMs() < 0 ? "null" : ms(r.endMs())).append(",\"addresses\":[");
            for (int j = 0; j < r.addresses().size(); j++) {
                if (j > 0) sb.append(',');
                sb.append(str(r.addresses().get(j).address()));
            }
            sb.append("],\"error\":").append(str(r.error())).append('}');
        }
        sb.append("],\"attempts\":[");
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"address\":").append(str(a.address().address())).append(",\"port\":")
                    .append(a.address().port()).append(",\"family\":").append(str(a.family()))
                    .append(",\"start_ms\":").append(ms(a.startMs())).append(",\"end_ms\":").append(ms(a.endMs()))
                    .append(",\"result\":").append(str(a.result()));
            if (a.synthesizedFrom() != null) sb.append(",\"nat64_of\":").append(str(a.synthesizedFrom().address()));
            sb.append('}');
        }
        sb.append("],\"connected\":").append(connected()).append(",\"winner\":")
                .append(str(winner == null ? null : winner.toString())).append(",\"elapsed_ms\":").append(ms(elapsedMs))
                .append(",\"failure\":").append(str(failure));
        if (nat64 != null) {
            sb.append(",\"nat64\":{\"source\":").append(str(nat64.source())).append(",\"end_ms\":").append(ms(nat64.endMs()))
                    .append(",\"ipv4\":").append(strings(nat64.ipv4())).append(",\"prefixes\":").append(strings(nat64.prefixes()))
                    .append(",\"synthesized\":").append(strings(nat64.synthesized())).append(",\"note\":").append(str(nat64.note()))
                    .append('}');
        }
        return sb.append('}').toString();
    }

    /** Addresses as bare address text, prefixes as {@code 64:ff9b::/96}. */
    private static String strings(List<?> items) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            Object o = items.get(i);
            sb.append(i > 0 ? "," : "").append(str(o instanceof SockAddr a ? a.address() : o.toString()));
        }
        return sb.append(']').toString();
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String str(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
