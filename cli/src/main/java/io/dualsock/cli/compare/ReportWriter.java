package io.dualsock.cli.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.dualsock.cli.compare.CompareReport.CacheRun;
import io.dualsock.cli.compare.CompareReport.Difference;
import io.dualsock.cli.compare.CompareReport.HostReport;
import io.dualsock.cli.compare.CompareReport.JdkRow;
import io.dualsock.cli.compare.CompareReport.JdkRun;
import io.dualsock.cli.compare.CompareReport.SocketRow;
import io.dualsock.cli.compare.ProbeOutput.CacheStep;

/** Writes a {@link CompareReport} as plain text, Markdown or JSON. */
public final class ReportWriter {
    private ReportWriter() {}

    /** The command that regenerates docs/jdk-vs-libc.md (README and the document itself quote it). */
    public static final String REGENERATE = "bin/dualsock compare --report --markdown --output docs/jdk-vs-libc.md";

    public static String json(CompareReport r) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- shared helpers ------------------------------------------------------------------------

    /** "all runs", or per JDK: "17.0.15 (all settings)", "25.0.3 (default, preferIPv4Stack=true)". */
    static String appliesTo(List<String> runs, CompareReport r, List<String> settings) {
        Map<String, List<String>> byJdk = new LinkedHashMap<>();
        for (JdkRun j : r.jdks()) byJdk.put(j.label(), new ArrayList<>());
        List<String> other = new ArrayList<>();
        for (String run : runs) {
            int sp = run.indexOf(' ');
            String jdk = sp < 0 ? run : run.substring(0, sp);
            if (byJdk.containsKey(jdk)) byJdk.get(jdk).add(run.substring(sp + 1));
            else other.add(run);
        }
        boolean all = byJdk.values().stream().allMatch(l -> l.containsAll(settings)) && other.isEmpty();
        if (all && !settings.isEmpty()) return "all JDKs, all settings";
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byJdk.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            parts.add(e.getKey() + " (" + settingsText(e.getValue(), settings) + ")");
        }
        if (parts.size() > 1 && byJdk.values().stream().filter(l -> !l.isEmpty()).map(l -> settingsText(l, settings))
                .distinct().count() == 1) {
            return "all JDKs (" + settingsText(byJdk.values().stream().filter(l -> !l.isEmpty()).findFirst().orElseThrow(),
                    settings) + ")" + (other.isEmpty() ? "" : "; " + String.join("; ", other));
        }
        parts.addAll(other);
        return String.join("; ", parts);
    }

    /** "all settings", "all settings but preferIPv4Stack=true", or the list. */
    static String settingsText(List<String> have, List<String> all) {
        if (all.isEmpty()) return String.join(", ", have);
        if (have.containsAll(all)) return "all settings";
        List<String> missing = all.stream().filter(s -> !have.contains(s)).toList();
        if (missing.size() <= 2 && have.size() > missing.size()) return "all settings but " + String.join(", ", missing);
        return String.join(", ", have);
    }

    static List<String> settingsSeen(CompareReport r) {
        Set<String> s = new LinkedHashSet<>();
        for (HostReport h : r.hosts()) for (JdkRow row : h.jdk()) s.add(row.setting());
        if (s.isEmpty()) {
            for (SocketRow row : r.sockets()) {
                for (String run : row.appliesTo()) s.add(run.substring(run.indexOf(' ') + 1));
            }
        }
        return new ArrayList<>(s);
    }

    /** The libc answers the JDK's settings are compared with (AF_UNSPEC, AF_INET) that have an order to explain. */
    static List<LibcLookup> orderExplained(HostReport h) {
        Set<String> counterparts = new LinkedHashSet<>();
        for (JdkSetting s : JdkSetting.values()) counterparts.add(LibcVariant.jdkCounterpart(s).label());
        return h.libc().stream().filter(l -> counterparts.contains(l.variant()) && !l.order().isEmpty()).toList();
    }

    static String libcAnswer(LibcLookup l) {
        if (!l.ok()) return l.error() + " (" + l.errorText() + ")";
        return Differences.libcEntriesText(l);
    }

    static Map<String, Long> kindCounts(CompareReport r) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (HostReport h : r.hosts()) for (Difference d : h.differences()) m.merge(d.kind(), 1L, Long::sum);
        return m;
    }

    static long unexplained(CompareReport r) {
        return r.hosts().stream().flatMap(h -> h.differences().stream()).filter(d -> !d.explained()).count()
                + r.jdkVersionDifferences().stream().filter(d -> !d.explained()).count();
    }

    // ---- Markdown ------------------------------------------------------------------------------

    private static String md(String s) {
        if (s == null) return "";
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String code(String s) {
        return "`" + s.replace("`", "'") + "`";
    }

    public static String markdown(CompareReport r) {
        StringBuilder b = new StringBuilder();
        List<String> settings = settingsSeen(r);
        b.append("# JDK versus libc: name resolution and sockets\n\n");
        b.append("Generated by ").append(code(r.command() == null ? "dualsock compare" : r.command()))
                .append(" from a real run on the machine described below; do not edit by hand. Regenerate with:\n\n");
        b.append("```\n").append(REGENERATE).append("\n```\n\n");

        b.append("## Environment\n\n| | |\n|---|---|\n");
        for (JdkRun j : r.jdks()) {
            b.append("| JDK ").append(md(j.label())).append(" | ").append(md(j.runtimeVersion())).append(", ")
                    .append(md(j.vendor())).append(", ").append(code(j.home())).append(" |\n");
        }
        EnvironmentInfo e = r.environment();
        b.append("| glibc | ").append(md(e.glibc())).append(" |\n");
        b.append("| kernel | ").append(md(e.kernel())).append(" (").append(md(e.arch())).append(") |\n");
        b.append("| name service | ").append(code(e.nsswitchHosts())).append(" |\n");
        b.append("| /etc/gai.conf | ").append(e.gaiConf().isEmpty() ? "no active lines (glibc's built-in RFC 6724 table)"
                : md(String.join("; ", e.gaiConf()))).append(" |\n");
        b.append("| nscd | ").append(md(e.nscd())).append(" |\n");
        b.append("| net.ipv6.bindv6only | ").append(md(e.bindv6only())).append(" |\n");
        b.append("| AI_ADDRCONFIG lets through (root namespace) | ").append(md(String.join(", ", e.addrconfigFamilies())))
                .append(" |\n\n");

        b.append("## Key findings\n\n");
        for (String f : keyFindings(r)) b.append("- ").append(f).append('\n');
        b.append('\n');

        b.append("## Name resolution\n\n");
        b.append("libc is asked with `ai_socktype` 0 and no service unless one is given (the JDK asks the same way, with "
                + "`AI_CANONNAME`); the JDK side is `InetAddress.getAllByName` in a fresh JVM per JDK and setting. "
                + "Root-namespace hosts are only literals and names `/etc/hosts` lists, so nothing leaves the machine; the "
                + "`.lab` names are looked up inside a throw-away lab namespace with its own `/etc/hosts` and "
                + "`hosts: files`.\n\n");
        for (HostReport h : r.hosts()) {
            b.append("### ").append(code(h.host())).append(h.service() != null ? " service " + code(h.service()) : "")
                    .append("\n\n");
            b.append("Where: ").append(md(h.where())).append(".\n\n");
            if (h.refused() != null) {
                b.append("Not looked up: ").append(md(h.refused())).append(".\n\n");
                continue;
            }
            b.append("| libc getaddrinfo | answer (in libc's order) |\n|---|---|\n");
            for (LibcLookup l : h.libc()) b.append("| ").append(md(l.variant())).append(" | ").append(md(libcAnswer(l))).append(" |\n");
            b.append('\n');
            for (LibcLookup l : orderExplained(h)) {
                b.append("Why libc's ").append(code(l.variant())).append(" order: ")
                        .append(md(l.order().stream().map(OrderStep::sentence).collect(Collectors.joining("; ")))).append(".\n\n");
            }
            List<String> jdks = r.jdks().stream().map(JdkRun::label).toList();
            b.append("| InetAddress.getAllByName |");
            for (String j : jdks) b.append(" JDK ").append(md(j)).append(" |");
            b.append("\n|---|").append("---|".repeat(jdks.size())).append('\n');
            for (String s : settings) {
                b.append("| ").append(md(s)).append(" |");
                for (String j : jdks) {
                    String cell = h.jdk().stream().filter(x -> x.jdk().equals(j) && x.setting().equals(s)).findFirst()
                            .map(x -> Differences.jdkText(x.lookup())).orElse("");
                    b.append(' ').append(md(cell)).append(" |");
                }
                b.append('\n');
            }
            b.append('\n');
            if (h.differences().isEmpty()) {
                b.append("No differences.\n\n");
                continue;
            }
            b.append("| difference | JDK | libc | why | seen in |\n|---|---|---|---|---|\n");
            for (Difference d : h.differences()) {
                b.append("| ").append(d.kind()).append(d.libcVariant() != null ? " vs " + md(d.libcVariant()) : "").append(" | ")
                        .append(md(d.jdk())).append(" | ").append(md(d.libc())).append(" | ")
                        .append(d.explained() ? "" : "**unexplained:** ").append(md(d.explanation())).append(" | ")
                        .append(md(appliesTo(d.appliesTo(), r, settings))).append(" |\n");
            }
            b.append('\n');
        }

        if (!r.idn().isEmpty()) markdownIdn(b, r);

        b.append("## Sockets\n\n");
        b.append("Each row puts one question to a JDK socket and the same question to the kernel about that very "
                + "descriptor (found through `/proc/net` and `/proc/self/fd`; asked with `getsockopt`, `getsockname`, "
                + "`getpeername`, `recvfrom(MSG_PEEK)`), on loopback. The IPv4 client is a plain `socket(AF_INET)`. "
                + "Ports are shown by role.\n\n");
        if (r.sockets().isEmpty()) b.append("Not run.\n\n");
        else {
            b.append("| item | JDK | libc/kernel | note | seen in |\n|---|---|---|---|---|\n");
            for (SocketRow s : r.sockets()) {
                b.append("| ").append(md(s.topic())).append(" | ").append(md(s.jdk())).append(" | ").append(md(s.kernel()))
                        .append(" | ").append(md(s.note())).append(" | ").append(md(appliesTo(s.appliesTo(), r, settings)))
                        .append(" |\n");
            }
            b.append('\n');
        }

        b.append("## Caching\n\n");
        if (r.cache().isEmpty()) b.append("The cache demonstration did not run (see the notes).\n\n");
        for (CacheRun c : r.cache()) {
            b.append("### JDK ").append(md(c.jdk())).append(", cache policy: ").append(md(c.policy())).append("\n\n");
            if (c.demo() == null) continue;
            b.append("In force: ").append(md(Differences.policyText(c.demo().policy()))).append(" (from ")
                    .append(md(c.demo().policy().source())).append(").\n\n");
            if (c.demo().skipped() != null) {
                b.append("Not run: ").append(md(c.demo().skipped())).append(".\n\n");
                continue;
            }
            b.append("| change to the lab's /etc/hosts | the file says | JDK | libc | JDK current? | libc current? |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (CacheStep s : c.demo().steps()) {
                b.append("| ").append(md(s.change())).append(" | ").append(md(s.file())).append(" | ").append(md(s.jdk()))
                        .append(" | ").append(md(s.libc())).append(" | ").append(s.jdkCurrent() ? "yes" : "**no (cache)**")
                        .append(" | ").append(s.libcCurrent() ? "yes" : "**no**").append(" |\n");
            }
            b.append('\n');
        }

        b.append("## JDK versus JDK\n\n");
        if (r.jdkVersionDifferences().isEmpty()) {
            b.append(r.jdks().size() < 2 ? "Only one JDK was compared.\n\n" : "The JDKs answered alike everywhere.\n\n");
        } else {
            b.append("| subject | settings | first JDK | second JDK | why |\n|---|---|---|---|---|\n");
            for (Difference d : r.jdkVersionDifferences()) {
                b.append("| ").append(md(d.subject())).append(" | ").append(md(settingsText(d.appliesTo(), settings))).append(" | ")
                        .append(md(d.jdk())).append(" | ").append(md(d.libc())).append(" | ")
                        .append(d.explained() ? "" : "**unexplained:** ").append(md(d.explanation())).append(" |\n");
            }
            b.append('\n');
        }
        if (!r.notes().isEmpty()) {
            b.append("## Notes\n\n");
            for (String n : r.notes()) b.append("- ").append(md(n)).append('\n');
            b.append('\n');
        }
        return b.toString();
    }

    private static void markdownIdn(StringBuilder b, CompareReport r) {
        b.append("## Internationalised names\n\n");
        b.append("Each JDK runs in a child JVM started under `LANG=C` and under `LANG=C.UTF-8` (no `LC_*` variable) inside "
                + "the lab namespace, whose `/etc/hosts` lists only the name's IDNA form. In that JVM libc is asked with "
                + "`AI_IDN` and without it (`AF_UNSPEC`, `ai_socktype` 0), and the JDK with the name as given and after "
                + "`java.net.IDN.toASCII`; the locale columns are what libc and the JDK reported in that JVM.\n\n");
        for (Map.Entry<String, List<CompareReport.IdnRow>> e : Differences.idnByName(r.idn()).entrySet()) {
            CompareReport.IdnRow first = e.getValue().get(0);
            b.append("### ").append(code(e.getKey())).append(" (`IDN.toASCII`: ").append(code(first.lookup().ascii()))
                    .append(")\n\n");
            b.append("| JDK | LANG | libc LC_CTYPE (codeset) | sun.jnu.encoding | getaddrinfo ")
                    .append(md(IdnProbe.WITH_IDN.label())).append(" | getaddrinfo ").append(md(IdnProbe.WITHOUT_IDN.label()))
                    .append(" | getAllByName(name) | getAllByName(IDN.toASCII(name)) |\n|---|---|---|---|---|---|---|---|\n");
            for (CompareReport.IdnRow row : e.getValue()) {
                b.append("| ").append(md(row.jdk())).append(" | ").append(code(row.lang())).append(" | ").append(md(row.lcCtype()))
                        .append(" (").append(md(row.codeset())).append(") | ").append(md(row.jnuEncoding())).append(" | ")
                        .append(md(libcAnswer(row.lookup().libcIdn()))).append(" | ").append(md(libcAnswer(row.lookup().libcPlain())))
                        .append(" | ").append(md(Differences.jdkText(row.lookup().jdkName()))).append(" | ")
                        .append(md(Differences.jdkText(row.lookup().jdkAscii()))).append(" |\n");
            }
            b.append("\nWhy: ").append(md(Differences.idnExplanation(e.getValue()))).append("\n\n");
        }
    }

    /** Short findings computed from the report (never typed in): what differs, how often, in which JDKs. */
    static List<String> keyFindings(CompareReport r) {
        List<String> settings = settingsSeen(r);
        List<String> out = new ArrayList<>();
        Map<String, Long> kinds = kindCounts(r);
        if (!kinds.isEmpty()) {
            out.add("Differences between the JDK and libc, by kind (identical findings of different JDKs and settings "
                    + "merged): " + kinds.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")) + "; every one carries its explanation"
                    + (unexplained(r) == 0 ? "." : ", " + unexplained(r) + " of them only as a description (no known rule)."));
        }
        // One line per distinct rule: the first example of each explanation.
        Set<String> seen = new LinkedHashSet<>();
        for (HostReport h : r.hosts()) {
            for (Difference d : h.differences()) {
                String head = d.explanation().length() > 50 ? d.explanation().substring(0, 50) : d.explanation();
                if (!seen.add(d.kind() + head)) continue;
                out.add("**" + d.kind() + "**" + (d.libcVariant() != null ? " (vs " + code(d.libcVariant()) + ")" : "") + ", "
                        + code(h.host()) + ": JDK " + code(d.jdk()) + ", libc " + code(d.libc()) + ". " + d.explanation()
                        + " Seen in: " + appliesTo(d.appliesTo(), r, settings) + ".");
            }
        }
        for (Map.Entry<String, List<CompareReport.IdnRow>> e : Differences.idnByName(r.idn()).entrySet()) {
            out.add("**IDN**, " + code(e.getKey()) + ": " + Differences.idnExplanation(e.getValue()));
        }
        for (SocketRow s : r.sockets()) {
            if (s.id().equals("tcp.accept.peer.ServerSocketChannel") || s.id().equals("udp.receive.source.DatagramChannel")
                    || s.id().equals("v6only") || s.id().equals("opt.DatagramChannel-bound.SO_RCVBUF.set")
                    || s.id().equals("mapped.connect") || s.id().equals("family.ServerSocket")) {
                out.add("**Sockets**, " + s.topic() + ": JDK " + code(s.jdk()) + "; kernel " + code(s.kernel()) + ". "
                        + s.note() + " Seen in: " + appliesTo(s.appliesTo(), r, settings) + ".");
            }
        }
        for (CacheRun c : r.cache()) {
            if (c.demo() == null || c.demo().steps().isEmpty()) continue;
            long stale = c.demo().steps().stream().filter(s -> !s.jdkCurrent()).count();
            long libcStale = c.demo().steps().stream().filter(s -> !s.libcCurrent()).count();
            out.add("**Caching**, JDK " + c.jdk() + " with " + c.policy() + ": the JDK answered from its cache in " + stale
                    + " of " + c.demo().steps().size() + " steps after the lab's /etc/hosts changed; libc was out of date in "
                    + libcStale + ".");
        }
        if (r.jdks().size() > 1) {
            String list = r.jdkVersionDifferences().stream().map(d -> d.subject()).distinct().collect(Collectors.joining("; "));
            out.add("**JDK " + r.jdks().get(0).label() + " versus " + r.jdks().get(1).label() + "**: "
                    + (r.jdkVersionDifferences().isEmpty() ? "no difference." : r.jdkVersionDifferences().size()
                            + " difference(s): " + list + " (see \"JDK versus JDK\")."));
        }
        return out;
    }

    // ---- plain text ----------------------------------------------------------------------------

    public static String text(CompareReport r) {
        StringBuilder b = new StringBuilder();
        List<String> settings = settingsSeen(r);
        EnvironmentInfo e = r.environment();
        b.append("dualsock compare: JDK versus libc\n");
        for (JdkRun j : r.jdks()) b.append("  JDK    ").append(j.runtimeVersion()).append(" (").append(j.vendor()).append(") ")
                .append(j.home()).append('\n');
        b.append("  glibc  ").append(e.glibc()).append("\n  kernel ").append(e.kernel()).append("\n  hosts  ")
                .append(e.nsswitchHosts()).append("; nscd ").append(e.nscd()).append("\n\n");
        for (HostReport h : r.hosts()) {
            b.append("== ").append(h.host()).append(h.service() != null ? " " + h.service() : "").append("  [").append(h.where())
                    .append("]\n");
            if (h.refused() != null) {
                b.append("   not looked up: ").append(h.refused()).append("\n\n");
                continue;
            }
            b.append("   libc getaddrinfo:\n");
            for (LibcLookup l : h.libc()) b.append(String.format("     %-38s %s%n", l.variant(), libcAnswer(l)));
            for (LibcLookup l : orderExplained(h)) {
                b.append("   why libc's ").append(l.variant()).append(" order:\n");
                for (OrderStep st : l.order()) b.append("     ").append(st.sentence()).append('\n');
            }
            b.append("   JDK InetAddress.getAllByName:\n");
            for (JdkRow row : h.jdk()) {
                b.append(String.format("     %-8s %-28s %s%n", row.jdk(), row.setting(), Differences.jdkText(row.lookup())));
            }
            b.append("   differences (JDK | libc | why):\n");
            if (h.differences().isEmpty()) b.append("     none\n");
            for (Difference d : h.differences()) {
                b.append("     ").append(d.kind()).append(d.libcVariant() != null ? " vs " + d.libcVariant() : "").append(" [")
                        .append(appliesTo(d.appliesTo(), r, settings)).append("]\n");
                b.append("       JDK:  ").append(d.jdk()).append("\n       libc: ").append(d.libc()).append("\n       why:  ")
                        .append(d.explained() ? "" : "(unexplained) ").append(d.explanation()).append('\n');
            }
            b.append('\n');
        }
        for (Map.Entry<String, List<CompareReport.IdnRow>> n : Differences.idnByName(r.idn()).entrySet()) {
            b.append("== ").append(n.getKey()).append("  [internationalised name, lab namespace, IDN.toASCII: ")
                    .append(n.getValue().get(0).lookup().ascii()).append("]\n");
            for (CompareReport.IdnRow row : n.getValue()) {
                b.append("   JDK ").append(row.jdk()).append(", ").append(Differences.localeText(row)).append(", sun.jnu.encoding ")
                        .append(row.jnuEncoding()).append('\n');
                b.append(String.format("     libc %-22s %s%n", IdnProbe.WITH_IDN.label(), libcAnswer(row.lookup().libcIdn())));
                b.append(String.format("     libc %-22s %s%n", IdnProbe.WITHOUT_IDN.label(), libcAnswer(row.lookup().libcPlain())));
                b.append(String.format("     JDK  %-22s %s%n", "getAllByName(name)", Differences.jdkText(row.lookup().jdkName())));
                b.append(String.format("     JDK  %-22s %s%n", "getAllByName(ascii)", Differences.jdkText(row.lookup().jdkAscii())));
            }
            b.append("   why: ").append(Differences.idnExplanation(n.getValue())).append("\n\n");
        }
        if (!r.sockets().isEmpty()) {
            b.append("== sockets (JDK | libc/kernel | note)\n");
            for (SocketRow s : r.sockets()) {
                b.append("   ").append(s.topic()).append("  [").append(appliesTo(s.appliesTo(), r, settings)).append("]\n")
                        .append("     JDK:    ").append(s.jdk()).append("\n     kernel: ").append(s.kernel()).append("\n     note:   ")
                        .append(s.note()).append('\n');
            }
            b.append('\n');
        }
        for (CacheRun c : r.cache()) {
            b.append("== cache, JDK ").append(c.jdk()).append(", ").append(c.policy()).append('\n');
            if (c.demo() == null) continue;
            b.append("   in force: ").append(Differences.policyText(c.demo().policy())).append('\n');
            if (c.demo().skipped() != null) b.append("   not run: ").append(c.demo().skipped()).append('\n');
            for (CacheStep s : c.demo().steps()) {
                b.append(String.format("   %-40s file: %-28s JDK: %-16s%s libc: %-16s%s%n", s.change(), s.file(), s.jdk(),
                        s.jdkCurrent() ? "" : " (cache)", s.libc(), s.libcCurrent() ? "" : " (stale)"));
            }
            b.append('\n');
        }
        if (!r.jdkVersionDifferences().isEmpty()) {
            b.append("== JDK versus JDK\n");
            for (Difference d : r.jdkVersionDifferences()) {
                b.append("   ").append(d.subject()).append(" [").append(String.join(", ", d.appliesTo())).append("]\n     ")
                        .append(d.jdk()).append("\n     ").append(d.libc()).append("\n     why: ").append(d.explanation())
                        .append('\n');
            }
            b.append('\n');
        }
        for (String n : r.notes()) b.append("note: ").append(n).append('\n');
        return b.toString();
    }
}
