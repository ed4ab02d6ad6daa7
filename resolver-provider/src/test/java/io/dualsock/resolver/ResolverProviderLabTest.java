package io.dualsock.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dualsock.lab.ExecResult;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabExtension;
import io.dualsock.lab.LabHost;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.TopologyJson;
import io.dualsock.testsupport.ChildJvm;

/**
 * The acceptance test: in lab hosts with glibc's default sorting, with a {@code gai.conf} that
 * prefers IPv4 and on an IPv6-only host, {@code InetAddress.getAllByName} through the provider
 * returns exactly {@code getent ahosts}' order (getent runs in the same host), and the JDK's
 * built-in resolver does not. Every expectation is read from getent; none is typed in. The
 * child JVMs run on the JDK these tests run on (Java 25 in the build), so the same runs show
 * that the JVM prints nothing on stderr with the provider, and count the provider's calls
 * against the JDK's cache.
 *
 * <p>Names (files only in the lab: nothing reaches DNS): {@code both} has two A and two AAAA
 * records; {@code far} has an A record no lab host has a route to (169.254.0.0/16: glibc's rule
 * 1, avoid unusable destinations, sorts it last whatever the precedences); {@code mapped} has an
 * IPv4-mapped AAAA record.
 */
class ResolverProviderLabTest {
    static final String TOPOLOGY = """
            {"description": "resolver provider: libc's order against the JDK's",
             "hosts": [
               {"name": "dflt", "stack": "dual-stack", "ipv4": "198.51.100.71", "ipv6": "2001:db8::71", "names": ["dflt.rp.test"]},
               {"name": "v4pref", "stack": "dual-stack", "ipv4": "198.51.100.72", "ipv6": "2001:db8::72", "names": ["v4pref.rp.test"],
                "gai_conf": "precedence ::ffff:0:0/96 100\\n"},
               {"name": "v6only", "stack": "ipv6-only", "ipv6": "2001:db8::73", "names": ["v6only.rp.test"]}
             ],
             "records": [
               {"name": "both.rp.test", "a": ["198.51.100.61", "198.51.100.62"], "aaaa": ["2001:db8::61", "2001:db8::62"]},
               {"name": "far.rp.test", "a": ["169.254.9.9", "198.51.100.66"], "aaaa": ["2001:db8::66"]},
               {"name": "mapped.rp.test", "a": ["198.51.100.67"], "aaaa": ["::ffff:198.51.100.68", "2001:db8::67"]}
             ]}
            """;
    static final List<String> HOSTS = List.of("dflt", "v4pref", "v6only");
    static final List<String> NAMES = List.of("both.rp.test", "far.rp.test", "mapped.rp.test");
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** host and name → getent, built-in, provider: printed as a Markdown table after the tests (the README's before/after). */
    static final Map<String, String[]> TABLE = new java.util.TreeMap<>();

    static void record(String host, String name, int column, List<String> addresses) {
        TABLE.computeIfAbsent(host + " | `" + name + "`", k -> new String[3])[column] = String.join(", ", addresses);
    }

    @org.junit.jupiter.api.AfterAll
    static void printTable() {
        if (TABLE.isEmpty()) return;
        StringBuilder b = new StringBuilder("| host | name | getent ahosts | JDK built-in | JDK + dualsock-resolver-provider |\n"
                + "|---|---|---|---|---|\n");
        TABLE.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v[0]).append(" | ").append(v[1]).append(" | ")
                .append(v[2]).append(" |\n"));
        System.out.print(b);
    }

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(TopologyJson.parse(TOPOLOGY, "ResolverProviderLabTest"), NameSource.FILES);

    /** getent ahosts' distinct addresses in order, a mapped one written as the IPv4 address (the provider's rule). */
    static List<String> getent(LabHost h, String name) {
        ExecResult r = h.exec(TIMEOUT, "getent", "ahosts", name);
        assertEquals(0, r.exitCode(), "getent ahosts " + name + " in " + h.name() + ": " + r);
        Set<String> out = new LinkedHashSet<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isBlank()) continue;
            String a = line.trim().split("\\s+")[0];
            out.add(a.startsWith("::ffff:") && a.indexOf('.') > 0 ? a.substring(7) : a);
        }
        return new ArrayList<>(out);
    }

    /** The probe's lines: name to its addresses (or the "! ..." error), plus the count line under "count". */
    static Map<String, List<String>> probe(LabHost h, List<String> jvmArgs, List<String> names, StringBuilder stderr) {
        List<String> cmd = ChildJvm.command(LookupProbe.class);
        List<String> c = new ArrayList<>(cmd.subList(0, cmd.size() - 3));
        c.removeIf(a -> a.startsWith("-Ddualsock.resolver"));
        c.addAll(jvmArgs);
        c.addAll(cmd.subList(cmd.size() - 3, cmd.size()));
        c.addAll(names);
        ExecResult r = h.exec(TIMEOUT, c);
        assertEquals(0, r.exitCode(), "probe in " + h.name() + ": " + r);
        if (stderr != null) stderr.append(r.stderr());
        Map<String, List<String>> m = new LinkedHashMap<>();
        int i = 0;
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("dualsockNameLookups=")) m.put("count", List.of(line.substring(line.indexOf('=') + 1)));
            else m.put(i++ + " " + line.split(" ")[0], Arrays.asList(line.split(" ")).subList(1, line.split(" ").length));
        }
        return m;
    }

    static List<String> addresses(Map<String, List<String>> m, int index, String name) {
        return m.get(index + " " + name);
    }

    @Test
    void throughTheProviderGetAllByNameIsGetentsOrderAndTheJvmPrintsNothing(Lab lab) {
        for (String hn : HOSTS) {
            LabHost h = lab.host(hn);
            StringBuilder err = new StringBuilder();
            Map<String, List<String>> p = probe(h, List.of(), NAMES, err);
            for (int i = 0; i < NAMES.size(); i++) {
                List<String> g = getent(h, NAMES.get(i));
                record(hn, NAMES.get(i), 0, g);
                record(hn, NAMES.get(i), 2, addresses(p, i, NAMES.get(i)));
                assertEquals(g, addresses(p, i, NAMES.get(i)), NAMES.get(i) + " in " + hn);
            }
            assertEquals(List.of(String.valueOf(NAMES.size())), p.get("count"), "every lookup reached the provider");
            assertEquals("", err.toString(), "the JVM printed on stderr in " + hn);
        }
    }

    @Test
    void theBuiltInResolverDoesNotGiveGetentsOrder(Lab lab) {
        for (String hn : HOSTS) {
            LabHost h = lab.host(hn);
            Map<String, List<String>> builtin = probe(h, List.of("-Ddualsock.resolver=off"), NAMES, null);
            assertEquals(List.of("0"), builtin.get("count"), "switched off, the provider is never asked");
            for (int i = 0; i < NAMES.size(); i++) record(hn, NAMES.get(i), 1, addresses(builtin, i, NAMES.get(i)));
            // far.rp.test differs everywhere: the JDK puts the unusable IPv4 address before IPv6 ones
            assertNotEquals(getent(h, "far.rp.test"), addresses(builtin, 1, "far.rp.test"), "far.rp.test in " + hn);
        }
        assertNotEquals(getent(lab.host("dflt"), "both.rp.test"),
                addresses(probe(lab.host("dflt"), List.of("-Ddualsock.resolver=off"), NAMES, null), 0, "both.rp.test"));
    }

    @Test
    void verboseNamesTheActiveResolver(Lab lab) {
        StringBuilder on = new StringBuilder();
        probe(lab.host("dflt"), List.of("-Ddualsock.resolver.verbose=true"), List.of("both.rp.test"), on);
        assertTrue(on.toString().contains("dualsock resolver: on: InetAddress lookups go to libc's getaddrinfo"), on.toString());
        assertEquals(1, on.toString().split("dualsock resolver:", -1).length - 1, on.toString());
        StringBuilder off = new StringBuilder();
        probe(lab.host("dflt"), List.of("-Ddualsock.resolver.verbose", "-Ddualsock.resolver=off"), List.of("both.rp.test"), off);
        assertTrue(off.toString().contains("dualsock resolver: off"), off.toString());
    }

    @Test
    void theProviderIsAskedOnlyOnACacheMiss(Lab lab) {
        List<String> names = List.of("both.rp.test", "both.rp.test", "both.rp.test", "nosuch.rp.test", "nosuch.rp.test",
                "nosuch.rp.test");
        // the JDK's defaults: 30 s for answers, 10 s for failures: one call each
        Map<String, List<String>> cached = probe(lab.host("dflt"), List.of(), names, null);
        assertEquals(List.of("2"), cached.get("count"), cached.toString());
        String first = String.join(" ", addresses(cached, 3, "nosuch.rp.test"));
        assertTrue(first.startsWith("! DualsockUnknownHostException nosuch.rp.test: getaddrinfo(") && first.contains("EAI_NONAME"),
                first);
        assertEquals(addresses(cached, 0, "both.rp.test"), addresses(cached, 2, "both.rp.test"));
        // cache off: every lookup reaches libc
        Map<String, List<String>> uncached = probe(lab.host("dflt"), List.of("-Dprobe.ttl=0", "-Dprobe.negativeTtl=0"), names, null);
        assertEquals(List.of("6"), uncached.get("count"), uncached.toString());
        assertTrue(String.join(" ", addresses(uncached, 5, "nosuch.rp.test")).contains("EAI_NONAME"), uncached.toString());
    }
}
