package io.dualsock.cli.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.dualsock.cli.compare.CompareReport.Difference;
import io.dualsock.cli.compare.CompareReport.IdnRow;
import io.dualsock.cli.compare.CompareReport.SocketRow;
import io.dualsock.cli.compare.ProbeOutput.CachePolicy;
import io.dualsock.cli.compare.ProbeOutput.JdkAddress;
import io.dualsock.cli.compare.ProbeOutput.JdkLookup;
import io.dualsock.cli.compare.ProbeOutput.SocketFact;

/**
 * Finds every way the JDK's answer differs from libc's, and says why. Each rule checks its
 * own explanation against the data before it claims it (the order rule recomputes the order
 * the documented JDK behaviour predicts, for instance); a difference no rule accounts for is
 * still listed, described, and marked {@code explained=false}.
 */
final class Differences {
    private Differences() {}

    /** One JDK answer: which JDK, which setting, what it said, its cache policy. */
    record Run(String jdk, JdkSetting setting, JdkLookup lookup, CachePolicy policy) {
        String label() {
            return jdk + " " + setting.label();
        }
    }

    static final String SOCKTYPE_DUPLICATES = "libc returns one entry per socket type (SOCK_STREAM, SOCK_DGRAM, SOCK_RAW) "
            + "because ai_socktype is 0, which is also what the JDK passes; the JDK keeps one InetAddress per distinct "
            + "address (Inet6AddressImpl.c skips duplicates).";

    static String jdkText(JdkLookup l) {
        if (!l.ok()) return l.error();
        if (l.addresses().isEmpty()) return "(empty)";
        return l.addresses().stream().map(a -> a.type() + " " + a.address()).collect(Collectors.joining(", "));
    }

    static String libcText(LibcLookup l) {
        if (l == null) return "(not asked)";
        if (!l.ok()) return l.error() + " (" + l.errorText() + ")";
        return String.join(", ", l.distinctKeys());
    }

    static String libcEntriesText(LibcLookup l) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (LibcLookup.Entry e : l.entries()) byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.socktype());
        return byKey.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue().size() + " (" + String.join(", ", e.getValue()) + ")")
                .collect(Collectors.joining(", "));
    }

    static String seconds(Integer s) {
        if (s == null) return "n/a";
        if (s < 0) return "forever";
        if (s == 0) return "not at all";
        return s + " s";
    }

    private static LibcLookup find(List<LibcLookup> libc, LibcVariant v) {
        return libc.stream().filter(l -> l.variant().equals(v.label())).findFirst().orElse(null);
    }

    private static String familyOf(String key) {
        return key.substring(0, key.indexOf(' '));
    }

    private static String addrOf(String key) {
        return key.substring(key.indexOf(' ') + 1);
    }

    /**
     * Every difference for one host, identical findings of different runs merged.
     *
     * @param literal libc reads host as a numeric address (AI_NUMERICHOST succeeds)
     * @param addrconfigFamilies what AI_ADDRCONFIG lets through where the lookups ran
     * @param nscd the environment's nscd description
     */
    static List<Difference> forHost(String host, boolean literal, List<LibcLookup> libc, List<Run> runs,
            List<String> addrconfigFamilies, String nscd) {
        List<Difference> raw = new ArrayList<>();
        for (Run r : runs) raw.addAll(forRun(host, literal, libc, r, addrconfigFamilies, nscd));
        return merge(raw);
    }

    private static Difference d(String kind, String host, LibcVariant v, String jdk, String libc, Run r, String why,
            boolean explained) {
        return new Difference(kind, host, v == null ? null : v.label(), jdk, libc, List.of(r.label()), why, explained);
    }

    static List<Difference> forRun(String host, boolean literal, List<LibcLookup> libc, Run r, List<String> addrconfigFamilies,
            String nscd) {
        List<Difference> out = new ArrayList<>();
        JdkLookup j = r.lookup();
        LibcVariant cv = LibcVariant.jdkCounterpart(r.setting());
        LibcLookup c = find(libc, cv);
        if (c == null) return out;
        String jt = jdkText(j);
        boolean jdkLiteral = j.ok() && j.addresses().stream().noneMatch(JdkAddress::fromName);

        if (j.ok() != c.ok()) {
            out.add(errorMismatch(host, literal, jdkLiteral, cv, j, c, r));
        } else if (j.ok()) {
            List<String> jKeys = j.addresses().stream().map(JdkAddress::key).toList();
            List<String> cKeys = new ArrayList<>(c.distinctKeys());
            // The literal ::ffff:a.b.c.d: libc keeps AF_INET6, the JDK makes an Inet4Address.
            for (JdkAddress a : j.addresses()) {
                String mappedKey = "AF_INET6 ::ffff:" + a.address();
                if (a.type().equals("Inet4Address") && !cKeys.contains(a.key()) && cKeys.contains(mappedKey)) {
                    out.add(d("MAPPED", host, cv, "Inet4Address " + a.address(), mappedKey, r,
                            (jdkLiteral ? "The JDK parses the literal itself (no getaddrinfo call) and turns an IPv4-mapped "
                                    + "address into an Inet4Address (IPAddressUtil.convertFromIPv4MappedAddress)"
                                    : "The JDK turned an IPv4-mapped answer into an Inet4Address")
                                    + "; libc keeps ::ffff:" + a.address() + " an AF_INET6 address, usable only on an "
                                    + "AF_INET6 socket, where the kernel sends IPv4.", true));
                    cKeys.set(cKeys.indexOf(mappedKey), a.key());
                }
            }
            List<String> onlyJdk = jKeys.stream().filter(Predicate.not(cKeys::contains)).toList();
            List<String> onlyLibc = cKeys.stream().filter(Predicate.not(jKeys::contains)).toList();
            if (!onlyJdk.isEmpty() || !onlyLibc.isEmpty()) {
                out.add(missing(host, jdkLiteral, cv, r, jt, c, onlyJdk, onlyLibc));
            } else if (!jKeys.equals(cKeys)) {
                out.add(order(host, cv, r, jKeys, cKeys, jt, c));
            }
            if (c.entries().size() > c.distinctKeys().size()) {
                out.add(duplicates(host, cv, r, j, c, jdkLiteral));
            }
            Difference kept = mappedKept(host, cv, r, j);
            if (kept != null) out.add(kept);
        }
        if (r.setting().ipv4Stack()) {
            Difference lost = ipv4StackLoss(host, r, j, find(libc, LibcVariant.UNSPEC));
            if (lost != null) out.add(lost);
        }
        if (j.ok()) {
            Difference ac = addrconfig(host, cv, r, j, c, find(libc, cv.withAddrconfig()), addrconfigFamilies);
            if (ac != null) out.add(ac);
            Difference m = v4mapped(host, r, j, find(libc, LibcVariant.INET6_MAPPED));
            if (m != null) out.add(m);
        }
        if (!literal) out.add(caching(host, r, j, nscd));
        return out;
    }

    private static Difference errorMismatch(String host, boolean literal, boolean jdkLiteral, LibcVariant cv, JdkLookup j,
            LibcLookup c, Run r) {
        String jt = jdkText(j);
        String ct = libcText(c);
        if (j.ok() && jdkLiteral) {
            return d("ERROR", host, cv, jt, ct, r, "The JDK parses IP literals itself and never asks getaddrinfo, so the "
                    + (r.setting().ipv4Stack() ? "IPv4-only lookup policy of preferIPv4Stack=true does not apply to them: "
                            + "it returns an " + j.addresses().get(0).type() + " that its AF_INET sockets cannot use"
                            : "family filter does not apply to them")
                    + "; libc asked with " + cv.label() + " refuses it (" + c.error() + ").", true);
        }
        if (j.ok() && host.equalsIgnoreCase("localhost")) {
            return d("ERROR", host, cv, jt, ct, r, "When the name service fails for \"localhost\", InetAddress falls back "
                    + "to the loopback address instead of throwing.", true);
        }
        if (!j.ok() && literal) {
            return d("ERROR", host, cv, jt, ct, r, "libc reads \"" + host + "\" as a numeric address (inet_aton/inet_pton "
                    + "rules), the JDK's own literal parser does not accept it and "
                    + (j.error().contains("UnknownHost") ? "fails" : "throws") + ".", true);
        }
        return d("ERROR", host, cv, jt, ct, r, "One side found the name and the other did not; no known rule accounts for "
                + "it: JDK " + jt + ", libc " + ct + ".", false);
    }

    private static Difference missing(String host, boolean jdkLiteral, LibcVariant cv, Run r, String jt, LibcLookup c,
            List<String> onlyJdk, List<String> onlyLibc) {
        String what = (onlyJdk.isEmpty() ? "" : "only the JDK has " + onlyJdk)
                + (onlyJdk.isEmpty() || onlyLibc.isEmpty() ? "" : "; ") + (onlyLibc.isEmpty() ? "" : "only libc has " + onlyLibc);
        if (jdkLiteral) {
            return d("MISSING", host, cv, jt, libcText(c), r, "The JDK answered from its own literal parser, libc by its "
                    + "rules for " + cv.label() + ": " + what + ".", true);
        }
        boolean familyOnly = !onlyLibc.isEmpty() && onlyJdk.isEmpty()
                && onlyLibc.stream().map(Differences::familyOf).distinct().count() == 1;
        return d("MISSING", host, cv, jt, libcText(c), r, (familyOnly ? "A whole family is missing on the JDK's side: "
                : "The address sets differ: ") + what + "; no known rule accounts for it.", false);
    }

    private static Difference order(String host, LibcVariant cv, Run r, List<String> jKeys, List<String> cKeys, String jt,
            LibcLookup c) {
        List<String> v4 = cKeys.stream().filter(k -> k.startsWith("AF_INET ")).toList();
        List<String> v6 = cKeys.stream().filter(k -> k.startsWith("AF_INET6 ")).toList();
        List<String> expected = new ArrayList<>();
        String rule;
        switch (r.setting()) {
            case DEFAULT, PREFER_IPV6_FALSE -> {
                expected.addAll(v4);
                expected.addAll(v6);
                rule = "With preferIPv6Addresses=false (also the default) the JDK puts every IPv4 address before every "
                        + "IPv6 address, keeping libc's order within each family, so libc's RFC 6724 order (gai.conf) is lost.";
            }
            case PREFER_IPV6_TRUE -> {
                expected.addAll(v6);
                expected.addAll(v4);
                rule = "With preferIPv6Addresses=true the JDK puts every IPv6 address before every IPv4 address, "
                        + "keeping libc's order within each family, so libc's RFC 6724 order (gai.conf) is lost.";
            }
            default -> {
                expected.addAll(cKeys);
                rule = "This setting should keep libc's order.";
            }
        }
        boolean ok = expected.equals(jKeys);
        String why = ok ? rule
                : "The order differs in a way the documented rule does not predict (" + rule + " Predicted " + expected + ").";
        return d("ORDER", host, cv, jt, libcText(c), r, why + OrderStep.reversed(c.order(), jKeys.stream().map(Differences::addrOf).toList()), ok);
    }

    private static Difference duplicates(String host, LibcVariant cv, Run r, JdkLookup j, LibcLookup c, boolean jdkLiteral) {
        Map<String, Long> perKeyAndType = c.entries().stream()
                .collect(Collectors.groupingBy(e -> e.key() + "/" + e.socktype(), LinkedHashMap::new, Collectors.counting()));
        boolean sourceDuplicates = perKeyAndType.values().stream().anyMatch(n -> n > 1);
        String why = jdkLiteral
                ? "libc returns one entry per socket type (SOCK_STREAM, SOCK_DGRAM, SOCK_RAW) because ai_socktype is 0; the "
                        + "JDK parsed the literal itself and made exactly one InetAddress."
                : sourceDuplicates
                ? "The name source lists the same address more than once and glibc passes every copy on (times three: one "
                        + "entry per socket type, ai_socktype being 0); the JDK keeps one InetAddress per distinct address "
                        + "(Inet6AddressImpl.c skips duplicates)."
                : SOCKTYPE_DUPLICATES;
        return d("DUPLICATES", host, cv, j.addresses().size() + " InetAddress: " + jdkText(j),
                c.entries().size() + " entries: " + libcEntriesText(c), r, why, true);
    }

    /** preferIPv4Stack=true: the JDK asks AF_INET only, so IPv6 answers that AF_UNSPEC gives are gone. */
    private static Difference ipv4StackLoss(String host, Run r, JdkLookup j, LibcLookup unspec) {
        if (unspec == null || !unspec.ok()) return null;
        List<String> jKeys = j.addresses().stream().map(JdkAddress::key).toList();
        List<String> lost = unspec.distinctKeys().stream()
                .filter(k -> k.startsWith("AF_INET6 ") && !k.startsWith("AF_INET6 ::ffff:") && !jKeys.contains(k)).toList();
        if (lost.isEmpty()) return null;
        return d("MISSING", host, LibcVariant.UNSPEC, jdkText(j), libcText(unspec), r,
                "preferIPv4Stack=true makes the JDK ask getaddrinfo for AF_INET only (and open only AF_INET sockets), so the "
                        + "IPv6 answers " + lost + " are gone" + (j.ok() ? "." : ", and a name with nothing but IPv6 answers "
                        + "fails with UnknownHostException."),
                true);
    }

    /** A mapped address that came from the name service stays an Inet6Address, unlike the same literal. */
    private static Difference mappedKept(String host, LibcVariant cv, Run r, JdkLookup j) {
        List<JdkAddress> kept = j.addresses().stream().filter(a -> a.v4MappedBytes() && a.fromName()).toList();
        if (kept.isEmpty()) return null;
        String jt = kept.stream().map(a -> "Inet6Address " + a.address() + " (mapped bytes kept)").collect(Collectors.joining(", "));
        return d("MAPPED", host, cv, jt, kept.stream().map(a -> "AF_INET6 " + a.address()).collect(Collectors.joining(", ")),
                r, "Here the JDK agrees with libc, and so disagrees with itself: an IPv4-mapped address that comes from the "
                        + "name service stays an Inet6Address (Inet6AddressImpl copies sin6_addr as it is), while the same text "
                        + "given as a literal becomes an Inet4Address. Code that tests instanceof Inet4Address sees two "
                        + "different answers for one address.",
                true);
    }

    private static Difference addrconfig(String host, LibcVariant cv, Run r, JdkLookup j, LibcLookup c, LibcLookup ca,
            List<String> families) {
        if (c == null || ca == null || !c.ok()) return null;
        List<String> kept = ca.ok() ? ca.distinctKeys() : List.of();
        List<String> dropped = c.distinctKeys().stream().filter(Predicate.not(kept::contains)).toList();
        if (dropped.isEmpty()) return null;
        List<String> jKeys = j.addresses().stream().map(JdkAddress::key).toList();
        List<String> jdkHas = dropped.stream().filter(jKeys::contains).toList();
        if (jdkHas.isEmpty()) return null;
        List<String> unmapped = dropped.stream().filter(k -> k.startsWith("AF_INET6 ::ffff:")
                && kept.contains("AF_INET " + addrOf(k).substring("::ffff:".length()))).toList();
        if (!unmapped.isEmpty() && unmapped.size() == dropped.size() && !families.contains("IPv6")) {
            return d("ADDRCONFIG", host, cv.withAddrconfig(), jdkText(j), libcText(ca), r,
                    "The JDK never passes AI_ADDRCONFIG, so it keeps " + jdkHas + " as an Inet6Address; libc with AI_ADDRCONFIG, "
                            + "finding no IPv6 address configured here, hands the IPv4-mapped entry out as the plain IPv4 "
                            + "address instead (configured: " + String.join(", ", families) + ").",
                    true);
        }
        String fams = dropped.stream().map(Differences::familyOf).distinct().map(f -> f.equals("AF_INET") ? "IPv4" : "IPv6")
                .collect(Collectors.joining(" and "));
        boolean consistent = dropped.stream().map(Differences::familyOf)
                .noneMatch(f -> families.contains(f.equals("AF_INET") ? "IPv4" : "IPv6"));
        return d("ADDRCONFIG", host, cv.withAddrconfig(), jdkText(j), libcText(ca), r,
                "The JDK never passes AI_ADDRCONFIG (its hints hold AI_CANONNAME and the family only), so it still returns "
                        + jdkHas + "; libc with AI_ADDRCONFIG drops the " + fams + " answers because no " + fams
                        + " address other than loopback is configured where this ran (configured: "
                        + (families.isEmpty() ? "none" : String.join(", ", families)) + ")."
                        + (consistent ? "" : " (The configured families do not account for this drop.)"),
                consistent);
    }

    private static Difference v4mapped(String host, Run r, JdkLookup j, LibcLookup m) {
        if (m == null || !m.ok()) return null;
        List<String> mappedV4 = new ArrayList<>();
        for (LibcLookup.Entry e : m.entries()) {
            if (!e.v4Mapped()) continue;
            String v4 = e.address().substring("::ffff:".length());
            boolean jdkHasV4 = j.addresses().stream().anyMatch(a -> a.type().equals("Inet4Address") && a.address().equals(v4));
            if (jdkHasV4 && !mappedV4.contains(v4)) mappedV4.add(v4);
        }
        if (mappedV4.isEmpty()) return null;
        String jt = mappedV4.stream().map(a -> "Inet4Address " + a).collect(Collectors.joining(", "));
        String lt = mappedV4.stream().map(a -> "AF_INET6 ::ffff:" + a).collect(Collectors.joining(", "));
        return d("MAPPED", host, LibcVariant.INET6_MAPPED, jt, lt, r,
                "Asked for AF_INET6 with AI_V4MAPPED (or AI_V4MAPPED|AI_ALL), libc hands the IPv4 answer out as ::ffff:a.b.c.d "
                        + "so that an AF_INET6 socket can connect to it (UNP §12.3). The JDK has no such question: it returns "
                        + "Inet4Address, and its AF_INET6 sockets build the mapped address themselves when they connect or "
                        + "send" + (r.setting().ipv4Stack() ? " (with preferIPv4Stack=true its sockets are AF_INET and use "
                        + "the IPv4 address as it is)." : "."),
                true);
    }

    private static Difference caching(String host, Run r, JdkLookup j, String nscd) {
        CachePolicy p = r.policy();
        String jdk = j.ok() ? "kept for " + seconds(p.positive()) + " (networkaddress.cache.ttl)"
                : "failure kept for " + seconds(p.negative()) + " (networkaddress.cache.negative.ttl)";
        String stale = p.stale() != null && p.stale() > 0 ? "; stale answers may stand in for " + seconds(p.stale()) : "";
        return d("CACHING", host, null, jdk + stale, "no cache in the process; nscd " + nscd, r,
                "InetAddress caches every name lookup (successes for " + seconds(p.positive()) + ", failures for "
                        + seconds(p.negative()) + ", policy from " + p.source() + "); getaddrinfo keeps nothing and reads the "
                        + "name sources on every call, so a changed name shows in libc at once and in the JDK only after the "
                        + "TTL. Literals are never cached because no lookup is made.",
                true);
    }

    /** Merges identical findings of different runs into one difference listing all of them. */
    static List<Difference> merge(List<Difference> raw) {
        Map<List<Object>, Difference> m = new LinkedHashMap<>();
        for (Difference x : raw) {
            List<Object> key = java.util.Arrays.asList(x.kind(), x.subject(), x.libcVariant(), x.jdk(), x.libc(),
                    x.explanation(), x.explained());
            Difference have = m.get(key);
            if (have == null) {
                m.put(key, x);
            } else {
                List<String> a = new ArrayList<>(have.appliesTo());
                for (String s : x.appliesTo()) if (!a.contains(s)) a.add(s);
                m.put(key, new Difference(have.kind(), have.subject(), have.libcVariant(), have.jdk(), have.libc(), a,
                        have.explanation(), have.explained()));
            }
        }
        return new ArrayList<>(m.values());
    }

    /** Socket facts of all runs: identical rows merged, in order of first appearance. */
    static List<SocketRow> socketRows(Map<String, List<SocketFact>> factsByRun) {
        Map<List<String>, SocketRow> m = new LinkedHashMap<>();
        for (Map.Entry<String, List<SocketFact>> e : factsByRun.entrySet()) {
            for (SocketFact f : e.getValue()) {
                List<String> key = List.of(f.id(), f.jdk(), f.kernel(), f.note());
                SocketRow have = m.get(key);
                List<String> applies = new ArrayList<>(have == null ? List.of() : have.appliesTo());
                applies.add(e.getKey());
                m.put(key, new SocketRow(f.id(), f.topic(), f.jdk(), f.kernel(), f.note(), applies));
            }
        }
        return new ArrayList<>(m.values());
    }

    // ---- internationalised names ---------------------------------------------------------------

    /** The rows of one name, in report order (JDK, then LANG). */
    static Map<String, List<IdnRow>> idnByName(List<IdnRow> rows) {
        Map<String, List<IdnRow>> m = new LinkedHashMap<>();
        for (IdnRow r : rows) m.computeIfAbsent(r.lookup().name(), k -> new ArrayList<>()).add(r);
        return m;
    }

    static String localeText(IdnRow r) {
        return "LANG=" + r.lang() + " (LC_CTYPE " + r.lcCtype() + ", codeset " + r.codeset() + ")";
    }

    /**
     * Why libc and the JDK answer as they do for one internationalised name, written from the
     * measured rows only: what libc did with AI_IDN in each locale, without it, and what the JDK
     * did with the name and with its IDN.toASCII form.
     */
    static String idnExplanation(List<IdnRow> rows) {
        Map<String, String> withIdn = new LinkedHashMap<>();
        for (IdnRow r : rows) withIdn.putIfAbsent(localeText(r), libcAnswer(r.lookup().libcIdn()));
        boolean dependsOnLocale = withIdn.values().stream().distinct().count() > 1;
        StringBuilder b = new StringBuilder("With AI_IDN libc converts the name from the character set of its LC_CTYPE "
                + "locale, which the JVM sets from LANG at start-up, to its IDNA (punycode) form before it looks it up: ");
        b.append(withIdn.entrySet().stream().map(e -> "under " + e.getKey() + " it " + e.getValue())
                .collect(Collectors.joining("; ")));
        b.append(dependsOnLocale ? ", so the same call answers differently in different locales. "
                : ", the same in every locale measured. ");
        b.append("Without AI_IDN libc looks the UTF-8 bytes up unchanged and ")
                .append(byLang(rows, r -> libcAnswer(r.lookup().libcPlain()))).append(". ");
        b.append("The JDK never passes AI_IDN (its getaddrinfo hints hold AI_CANONNAME and the family only) and hands the "
                + "name over encoded in sun.jnu.encoding, ").append(byLang(rows, IdnRow::jnuEncoding))
                .append(": InetAddress.getAllByName gave ").append(byLang(rows, r -> jdkText(r.lookup().jdkName())))
                .append(". Its callers must convert the name themselves: after java.net.IDN.toASCII (")
                .append(byLang(rows, r -> r.lookup().ascii())).append(") it gave ")
                .append(byLang(rows, r -> jdkText(r.lookup().jdkAscii()))).append('.');
        return b.toString();
    }

    private static String libcAnswer(LibcLookup l) {
        return l.ok() ? "found " + String.join(", ", l.distinctKeys()) : "failed with " + l.error() + " (" + l.errorText() + ")";
    }

    /**
     * "X in every JDK and locale"; "X under LANG=C, Y under LANG=C.UTF-8" when every JDK agrees
     * within a LANG; else every JDK and LANG with its value.
     */
    private static String byLang(List<IdnRow> rows, java.util.function.Function<IdnRow, String> f) {
        if (rows.stream().map(f).distinct().count() == 1) return f.apply(rows.get(0)) + " in every JDK and locale";
        Map<String, List<String>> perLang = new LinkedHashMap<>();
        for (IdnRow r : rows) perLang.computeIfAbsent(r.lang(), k -> new ArrayList<>()).add(f.apply(r));
        if (perLang.values().stream().allMatch(v -> v.stream().distinct().count() == 1)) {
            return perLang.entrySet().stream().map(e -> e.getValue().get(0) + " under LANG=" + e.getKey())
                    .collect(Collectors.joining(", "));
        }
        return rows.stream().map(r -> f.apply(r) + " (JDK " + r.jdk() + ", LANG=" + r.lang() + ")")
                .collect(Collectors.joining("; "));
    }

    static String policyText(CachePolicy p) {
        return "positive " + seconds(p.positive()) + ", negative " + seconds(p.negative()) + ", stale "
                + (p.stale() == null ? "(no such policy)" : seconds(p.stale()));
    }
}
