package io.dualsock.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.dualsock.AiFlag;
import io.dualsock.Inet4SockAddr;
import io.dualsock.Inet6SockAddr;
import io.dualsock.Names;
import io.dualsock.NativeSocket;
import io.dualsock.bindings.Errors;
import io.dualsock.cli.compare.CompareReport.CacheRun;
import io.dualsock.cli.compare.CompareReport.Difference;
import io.dualsock.cli.compare.CompareReport.HostReport;
import io.dualsock.cli.compare.CompareReport.IdnRow;
import io.dualsock.cli.compare.CompareReport.JdkRow;
import io.dualsock.cli.compare.CompareReport.SocketRow;
import io.dualsock.cli.compare.ProbeOutput.CacheStep;
import io.dualsock.lab.Stack;
import io.dualsock.testsupport.GaiRef;

/**
 * The acceptance tests: the comparison on localhost, 127.0.0.1, ::1, ::ffff:127.0.0.1 and lab
 * names, every fact each side reports held against the system itself (libc asked directly and
 * through the C reference program, InetAddress asked by an independent child JVM with the same
 * property, sockets opened by the test), and every difference explained.
 */
class CompareAgainstSystemTest {

    // ---- libc side ---------------------------------------------------------------------------

    // The libc side is held against the C reference program below, not against LibcLookup.run
    // again (the same code that made it).

    @Test
    void libcSideOfRootHostsIsWhatTheCReferenceProgramPrints() throws Exception {
        Prerequisites.require(GaiRef.available(), "the C reference program " + GaiRef.path() + " is not built");
        for (String h : SharedRun.ROOT) assertMatchesGaiRef(h, SharedRun.host(h).libc(), GaiRef.here());
    }

    @Test
    void libcSideOfLabNamesIsWhatTheCReferenceProgramPrintsInTheSameLab() throws Exception {
        Prerequisites.requireLab();
        Prerequisites.require(GaiRef.available(), "the C reference program " + GaiRef.path() + " is not built");
        try (Sandbox s = Sandbox.create(Stack.IPV4_ONLY)) {
            for (String h : SharedRun.LAB) {
                List<LibcLookup> libc = SharedRun.host(h).libc();
                assertEquals(LibcVariant.standard().size(), libc.size(), h);
                assertMatchesGaiRef(h, libc, GaiRef.here().wrappedBy(s::wrap));
            }
        }
    }

    private static void assertMatchesGaiRef(String h, List<LibcLookup> libc, GaiRef gai) {
        assertMatchesGaiRef(h, libc, gai, LibcVariant.standard());
    }

    private static void assertMatchesGaiRef(String h, List<LibcLookup> libc, GaiRef gai, List<LibcVariant> variants) {
        for (LibcLookup l : libc) {
            LibcVariant v = variants.stream().filter(x -> x.label().equals(l.variant())).findFirst().orElseThrow();
            GaiRef.Output out = gai.getaddrinfo(h, null, v.hints().family(), 0, 0, v.hints().flags());
            List<String> lines = out.lines();
            if (!l.ok()) {
                assertTrue(out.isError(), h + " " + v.label() + ": " + lines);
                assertEquals(l.error(), Errors.eaiName(out.errorCode()), h + " " + v.label());
                continue;
            }
            List<String> c = new ArrayList<>();
            for (String line : lines) {
                String[] f = line.split(" ");
                c.add(Names.family(Integer.parseInt(f[0])) + " " + Names.socktype(Integer.parseInt(f[1])) + " " + f[3]);
            }
            List<String> j = l.entries().stream().map(e -> e.family() + " " + e.socktype() + " " + e.address()).toList();
            assertEquals(c, j, h + " " + v.label());
        }
    }

    // ---- internationalised names --------------------------------------------------------------

    /**
     * Each IDN row (one JVM per JDK and LANG in the lab namespace) against the C reference program
     * started under the same LANG in the same lab: the same locale, and libc's answers with and
     * without AI_IDN; the JDK's IDN.toASCII answer against an independent JVM in the lab.
     */
    @Test
    void idnRowsAreWhatGaiRefSaysUnderTheSameLangInTheSameLab() throws Exception {
        Prerequisites.requireLab();
        Prerequisites.require(GaiRef.available(), "the C reference program " + GaiRef.path() + " is not built");
        List<IdnRow> rows = SharedRun.report().idn();
        assertEquals(Jdk.defaults().size() * IdnRun.LANGS.size(), rows.size(), rows.toString());
        Map<String, String> libcByLang = new LinkedHashMap<>();
        try (Sandbox s = Sandbox.create(Stack.IPV4_ONLY)) {
            for (IdnRow row : rows) {
                GaiRef ref = GaiRef.here().wrappedBy(s::wrap);
                for (Map.Entry<String, String> e : IdnRun.env(row.lang()).entrySet()) ref = ref.withEnv(e.getKey(), e.getValue());
                String what = row.jdk() + " LANG=" + row.lang();
                assertMatchesGaiRef(row.lookup().name(), List.of(row.lookup().libcIdn(), row.lookup().libcPlain()), ref,
                        List.of(IdnProbe.WITH_IDN, IdnProbe.WITHOUT_IDN));
                GaiRef.Locale c = ref.getaddrinfo("127.0.0.1", null, 0, 0, 0, AiFlag.NUMERICHOST.value()).locale();
                assertEquals(c.ctype(), row.lcCtype(), what);
                assertEquals(c.codeset(), row.codeset(), what);
                String libc = Differences.libcText(row.lookup().libcIdn());
                assertEquals(libc, libcByLang.computeIfAbsent(row.lang(), k -> libc), what + ": one libc, one answer per LANG");
                assertFalse(row.lookup().jdkName().ok(), what + ": the JDK passed AI_IDN? " + row);
            }
            // the locale decided: ASCII cannot hold the name, UTF-8 reaches the hosts file's IDNA line
            assertTrue(libcByLang.get("C").startsWith("EAI_IDN_ENCODE"), libcByLang.toString());
            assertEquals("AF_INET 198.51.100.14", libcByLang.get("C.UTF-8"));
            for (Jdk jdk : Jdk.defaults()) {
                IdnRow row = rows.stream().filter(r -> r.jdk().equals(jdk.label())).findFirst().orElseThrow();
                Map<String, String> seen = hostLines(SharedRun.independentCheck(jdk, JdkSetting.DEFAULT,
                        List.of(row.lookup().ascii()), s));
                assertEquals(seen.get(row.lookup().ascii()), asCheckLine(row.lookup().jdkAscii()), jdk.label());
            }
        }
    }

    // ---- JDK side ------------------------------------------------------------------------------

    @Test
    void jdkSideIsWhatInetAddressSaysInAnIndependentJvmWithTheSameProperty() throws Exception {
        for (Jdk jdk : Jdk.defaults()) {
            for (JdkSetting s : JdkSetting.values()) {
                if (s.unavailableOn(jdk) != null) continue; // dualsock's resolver on Java 17: not compared
                List<String> out = SharedRun.rootCheck(jdk, s);
                assertPropertyLine(out, s);
                Map<String, String> seen = hostLines(out);
                for (String h : SharedRun.ROOT) {
                    JdkRow row = row(SharedRun.host(h), jdk, s);
                    assertEquals(seen.get(h), asCheckLine(row), jdk.label() + " " + s.label() + " " + h);
                }
            }
        }
    }

    @Test
    void jdkSideOfLabNamesIsWhatInetAddressSaysInTheSameLab() throws Exception {
        Prerequisites.requireLab();
        Jdk jdk = Jdk.current();
        try (Sandbox sb = Sandbox.create(Stack.IPV4_ONLY)) {
            for (JdkSetting s : SharedRun.LAB_SETTINGS) {
                Map<String, String> seen = hostLines(SharedRun.independentCheck(jdk, s, SharedRun.LAB, sb));
                for (String h : SharedRun.LAB) {
                    assertEquals(seen.get(h), asCheckLine(row(SharedRun.host(h), jdk, s)), s.label() + " " + h);
                }
            }
        }
    }

    @Test
    void defaultRowOfTheRunningJdkIsWhatInetAddressSaysHere() throws Exception {
        Prerequisites.require(System.getProperty("java.net.preferIPv4Stack") == null
                && System.getProperty("java.net.preferIPv6Addresses") == null, "this test JVM runs with default properties");
        for (String h : SharedRun.ROOT) {
            assertEquals(IndependentJdkCheck.lookup(h), asCheckLine(row(SharedRun.host(h), Jdk.current(), JdkSetting.DEFAULT)), h);
        }
    }

    private static void assertPropertyLine(List<String> out, JdkSetting s) {
        String prop = out.get(0);
        String v4 = s == JdkSetting.PREFER_IPV4_STACK ? "true" : "null";
        String v6 = switch (s) {
            case PREFER_IPV6_FALSE -> "false";
            case PREFER_IPV6_TRUE -> "true";
            case PREFER_IPV6_SYSTEM -> "system";
            default -> "null";
        };
        assertEquals("PROP preferIPv4Stack=" + v4 + " preferIPv6Addresses=" + v6, prop);
    }

    private static Map<String, String> hostLines(List<String> out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : out) {
            if (!l.startsWith("HOST ")) continue;
            int bar = l.indexOf('|');
            m.put(l.substring(5, bar), l.substring(bar + 1));
        }
        return m;
    }

    private static JdkRow row(HostReport h, Jdk jdk, JdkSetting s) {
        return h.jdk().stream().filter(r -> r.jdk().equals(jdk.label()) && r.setting().equals(s.label())).findFirst()
                .orElseThrow(() -> new AssertionError("no JDK row " + jdk.label() + " " + s.label() + " for " + h.host()));
    }

    private static String asCheckLine(JdkRow row) {
        return asCheckLine(row.lookup());
    }

    private static String asCheckLine(ProbeOutput.JdkLookup l) {
        if (!l.ok()) return "ERROR";
        return String.join(",", l.addresses().stream().map(a -> a.type() + " " + a.hostAddress()).toList());
    }

    // ---- differences ---------------------------------------------------------------------------

    @Test
    void everyDifferenceCarriesItsExplanation() {
        CompareReport r = SharedRun.report();
        List<Difference> all = new ArrayList<>();
        for (HostReport h : r.hosts()) all.addAll(h.differences());
        all.addAll(r.jdkVersionDifferences());
        assertFalse(all.isEmpty(), "a comparison of these hosts always finds differences (duplicates, mapping, caching)");
        for (Difference d : all) {
            assertNotNull(d.explanation(), d.toString());
            assertTrue(d.explanation().length() > 20, "explanation too short: " + d);
            assertFalse(d.appliesTo().isEmpty(), d.toString());
            assertTrue(d.explained(), "no rule explains: " + d);
        }
    }

    @Test
    void differencesNameOnlyRunsAndQuestionsOfTheTables() {
        for (HostReport h : SharedRun.report().hosts()) {
            for (Difference d : h.differences()) {
                if (d.libcVariant() != null) {
                    assertTrue(h.libc().stream().anyMatch(x -> x.variant().equals(d.libcVariant())), "variant not asked: " + d);
                }
                for (String run : d.appliesTo()) {
                    assertTrue(h.jdk().stream().anyMatch(x -> run.equals(x.jdk() + " " + x.setting())), "run not in the table: "
                            + run + " in " + d);
                }
            }
        }
    }

    @Test
    void orderDifferencesNameTheRuleLibcApplied() {
        Prerequisites.requireLab();
        HostReport h = SharedRun.host("ds-dual.lab");
        LibcLookup unspec = h.libc().stream().filter(l -> l.variant().equals(LibcVariant.UNSPEC.label())).findFirst()
                .orElseThrow();
        // The throw-away host has no route: both addresses are unusable (rule 1 ties), and glibc's
        // default precedence puts the AAAA record first; the JDK's default puts IPv4 first.
        assertEquals(List.of("AF_INET6 2001:db8::10", "AF_INET 198.51.100.10"), unspec.distinctKeys());
        assertEquals(1, unspec.order().size(), unspec.toString());
        OrderStep st = unspec.order().get(0);
        assertEquals(6, st.rule(), st.toString());
        assertEquals("precedence 40 vs 10", st.values());
        Difference d = h.differences().stream()
                .filter(x -> x.kind().equals("ORDER") && x.appliesTo().stream().anyMatch(a -> a.endsWith(" default")))
                .findFirst().orElseThrow(() -> new AssertionError("no ORDER difference under the default setting: " + h));
        assertTrue(d.explanation().endsWith(" libc put 2001:db8::10 before 198.51.100.10 by rule 6 (prefer higher precedence): "
                + "precedence 40 vs 10."), d.toString());
        assertTrue(ReportWriter.text(SharedRun.report()).contains("   why libc's AF_UNSPEC order:\n     libc put 2001:db8::10 before "
                + "198.51.100.10 by rule 6 (prefer higher precedence): precedence 40 vs 10\n"), "the text report shows it per host");
    }

    // ---- sockets -------------------------------------------------------------------------------

    private static SocketRow socketRow(String id, String run) {
        return SharedRun.report().sockets().stream().filter(s -> s.id().equals(id) && s.appliesTo().contains(run)).findFirst()
                .orElseThrow(() -> new AssertionError("no socket fact " + id + " for " + run));
    }

    @Test
    void acceptPeerFactsMatchWhatTheKernelAndTheJdkSayHere() throws Exception {
        // The kernel: a C-style AF_INET6 [::] listener and an IPv4 client, in this process.
        String kernelPeer;
        try (NativeSocket l = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_STREAM)) {
            l.bind(Inet6SockAddr.any(0));
            l.listen(1);
            try (NativeSocket c = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
                c.connect(Inet4SockAddr.loopback(l.localAddress().port()));
                NativeSocket.Accepted a = l.accept();
                a.socket().close();
                kernelPeer = Names.family(a.peer().family()) + " [" + a.peer().address() + "]";
            }
        }
        // The JDK here (default properties): ServerSocketChannel and a plain IPv4 client.
        String jdkPeer;
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress(0));
                NativeSocket c = NativeSocket.open(NativeSocket.AF_INET, NativeSocket.SOCK_STREAM)) {
            c.connect(Inet4SockAddr.loopback(((InetSocketAddress) ss.getLocalAddress()).getPort()));
            try (SocketChannel a = ss.accept()) {
                InetAddress peer = ((InetSocketAddress) a.getRemoteAddress()).getAddress();
                jdkPeer = peer + ":<client> (" + peer.getClass().getSimpleName() + ")";
            }
        }
        SocketRow row = socketRow("tcp.accept.peer.ServerSocketChannel", Jdk.current().label() + " default");
        assertTrue(row.kernel().contains("accept() on a C server's AF_INET6 [::] listener returns " + kernelPeer), row.kernel());
        assertTrue(row.jdk().endsWith(jdkPeer), row.jdk() + " vs " + jdkPeer);
    }

    @Test
    void socketFamilyFactsMatchTheKernelTablesOfIndependentJvms() throws Exception {
        for (Jdk jdk : Jdk.defaults()) {
            for (JdkSetting s : List.of(JdkSetting.DEFAULT, JdkSetting.PREFER_IPV4_STACK)) {
                List<String> out = SharedRun.rootCheck(jdk, s);
                String table = out.stream().filter(l -> l.startsWith("FAMILY ")).findFirst().orElseThrow().substring(7);
                SocketRow row = socketRow("family.ServerSocketChannel", jdk.label() + " " + s.label());
                assertTrue(row.kernel().contains("listed in /proc/net/" + table + ""), row.kernel() + " vs " + table);
                String family = table.endsWith("6") ? "AF_INET6" : "AF_INET";
                assertTrue(row.kernel().startsWith("SO_DOMAIN=" + family + ";"), row.kernel());
            }
        }
    }

    @Test
    void bufferSizeFactsMatchGetsockoptHere() throws IOException {
        try (NativeSocket n = NativeSocket.open(NativeSocket.AF_INET6, NativeSocket.SOCK_DGRAM)) {
            n.setOption(io.dualsock.SocketOptions.SolSocket.SO_RCVBUF, 65536);
            int kernel = n.getOption(io.dualsock.SocketOptions.SolSocket.SO_RCVBUF);
            SocketRow row = socketRow("opt.DatagramChannel-bound.SO_RCVBUF.set", Jdk.current().label() + " default");
            assertEquals("getsockopt SO_RCVBUF=" + kernel, row.kernel());
        }
    }

    // ---- caching --------------------------------------------------------------------------------

    @Test
    void cacheDemonstrationLibcAlwaysReadsTheFileAndTheJdkOnlyRepeatsEarlierAnswers() {
        Prerequisites.requireLab();
        List<CacheRun> runs = SharedRun.report().cache();
        assertFalse(runs.isEmpty());
        for (CacheRun c : runs) {
            assertNotNull(c.demo(), c.toString());
            assertEquals(null, c.demo().skipped(), c.toString());
            assertEquals(5, c.demo().steps().size());
            List<String> earlier = new ArrayList<>();
            for (CacheStep s : c.demo().steps()) {
                assertTrue(s.libcCurrent(), "libc answered from a cache: " + s);
                if (!s.jdkCurrent()) {
                    assertTrue(earlier.contains(s.jdk()), "the JDK's stale answer was never given before: " + s);
                }
                earlier.add(s.jdk());
            }
            boolean noCache = c.demo().policy().positive() == 0 && c.demo().policy().negative() == 0;
            if (noCache) {
                assertTrue(c.demo().steps().stream().allMatch(CacheStep::jdkCurrent), "ttl 0 still cached: " + c);
            } else {
                assertTrue(c.demo().steps().stream().anyMatch(s -> !s.jdkCurrent()), "a caching JDK never answered from its cache: "
                        + c);
            }
        }
    }

    // ---- JDK versus JDK ------------------------------------------------------------------------

    @Test
    void bothJdksRanAndTheirDifferencesAreExplained() {
        Prerequisites.require(Jdk.defaults().size() >= 2, "a second JDK (Temurin 25 at " + Jdk.TEMURIN_25 + " or $DS_JAVA25)");
        CompareReport r = SharedRun.report();
        assertEquals(2, r.jdks().size());
        for (Difference d : r.jdkVersionDifferences()) {
            assertFalse(d.explanation().isBlank(), d.toString());
            assertTrue(d.jdk().startsWith(r.jdks().get(0).label() + ": "), d.jdk());
            assertTrue(d.libc().startsWith(r.jdks().get(1).label() + ": "), d.libc());
        }
    }
}
