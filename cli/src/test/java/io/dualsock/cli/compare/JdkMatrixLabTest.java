package io.dualsock.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.dualsock.lab.ExecResult;
import io.dualsock.lab.Lab;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Topology;
import io.dualsock.cli.matrix.MatrixReport;
import io.dualsock.cli.matrix.MatrixRunner;
import io.dualsock.cli.matrix.Transport;
import io.dualsock.cli.matrix.Variant;

/**
 * The Java rows and columns of the matrix, run in the lab like the native rows (root needed:
 * skipped with the reason outside CI, a failure in CI). Each Java fact is held against an
 * independent Java program run in the same lab host with the same property.
 */
class JdkMatrixLabTest {
    static Lab lab;
    static MatrixReport report;
    static final List<MatrixReport.Table> JAVA_TABLES = new ArrayList<>();
    static final List<MatrixReport.Table> LOOP_TABLES = new ArrayList<>();

    @BeforeAll
    static void run() {
        List<String> missing = io.dualsock.lab.Prerequisites.missing(NameSource.FILES);
        Prerequisites.require(missing.isEmpty(), "the lab needs: " + missing);
        lab = Lab.builder(Topology.figure125()).nameSource(NameSource.FILES).start();
        MatrixRunner runner = new MatrixRunner(lab, MatrixRunner.Options.defaults(), null);
        // BOOK first: each transport's first table gains the Java rows; LOOP for the resolver row's comparison
        MatrixReport base = runner.run(List.of(Transport.TCP, Transport.UDP), List.of(Variant.BOOK, Variant.LOOP), null);
        report = JdkMatrix.extend(lab, base, JdkMatrix.Options.defaults(Duration.ofMillis(500)), null);
        for (MatrixReport.Table t : report.tables()) if (t.variant() == Variant.BOOK) JAVA_TABLES.add(t);
        for (MatrixReport.Table t : report.tables()) if (t.variant() == Variant.LOOP) LOOP_TABLES.add(t);
    }

    @AfterAll
    static void close() {
        if (lab != null) lab.close();
    }

    @Test
    void everyJavaCellIsMeasuredAndItsEvidenceAgreesWithItself() {
        assertEquals(2, JAVA_TABLES.size());
        for (MatrixReport.Table t : JAVA_TABLES) {
            int settings = JdkMatrix.runnableClients(JdkMatrix.Options.defaults(Duration.ofMillis(500)),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).size();
            assertEquals(4 + 3 * settings, t.rows().size(), t.title());
            assertEquals(4 + 6, t.columns().size(), t.title());
            assertEquals(t.rows().size() * t.columns().size(), t.cells().size(), t.title());
            for (MatrixReport.Cell c : t.cells()) {
                assertTrue(c.consistent(), t.transport() + " " + c.row() + " x " + c.column() + ": " + c.problems());
                if (c.differsFromBook()) {
                    assertNotNull(c.explanation(), c.row() + " x " + c.column());
                    assertTrue(c.explanation().contains(" -> "), c.explanation());
                }
            }
        }
    }

    /** The Java cells meet the independent evidence check of the native ones, not only their own verdict. */
    @Test
    void everyJavaCellPassesTheIndependentEvidenceCheck() {
        for (MatrixReport.Table t : JAVA_TABLES) io.dualsock.cli.matrix.Evidence.assertConsistent(t);
    }

    /** What an independent Java program prints in that lab host with that property. */
    static List<String> independent(String host, JdkSetting s, String... names) {
        Jdk jdk = JdkMatrix.jdkFor(JdkMatrix.Options.defaults(Duration.ofMillis(500)), s);
        List<String> cmd = new ArrayList<>(io.dualsock.lab.JavaCommand.of(jdk.java(), jdk.feature()).withJvmArgs(s.jvmArgs())
                .command(IndependentJdkCheck.class.getName(), List.of()));
        cmd.addAll(List.of(names));
        ExecResult r = lab.host(host).exec(Duration.ofSeconds(60), cmd).orThrow();
        return r.stdout().lines().toList();
    }

    @Test
    void javaClientLookupsAreWhatInetAddressSaysInThatHost() {
        MatrixReport.Table t = JAVA_TABLES.get(0);
        for (MatrixReport.Row row : t.rows()) {
            if (!row.id().startsWith("java-")) continue;
            JdkSetting s = setting(row.label());
            for (MatrixReport.Column col : t.columns()) {
                MatrixReport.Cell c = t.cell(row.id(), col.id());
                String line = independent(row.host(), s, col.name()).stream().filter(l -> l.startsWith("HOST ")).findFirst()
                        .orElseThrow();
                String seen = line.substring(line.indexOf('|') + 1);
                String reported = c.lookup().ok() ? String.join(",", c.lookup().addresses().stream()
                        .map(a -> (a.family().equals("AF_INET") ? "Inet4Address " : "Inet6Address ") + a.address()).toList())
                        : "ERROR";
                assertEquals(normalise(seen), reported, row.label() + " -> " + col.name());
                break; // one name per row is enough: every column of a row resolves in the same JVM the same way
            }
        }
    }

    @Test
    void javaServerFamiliesAreWhatAJavaProgramGetsInThatHost() {
        for (MatrixReport.ServerStatus s : report.servers()) {
            if (!s.id().startsWith("java-")) continue;
            JdkSetting setting = s.id().startsWith("java-v4stack") ? JdkSetting.PREFER_IPV4_STACK : JdkSetting.DEFAULT;
            String table = independent(s.host(), setting).stream().filter(l -> l.startsWith("FAMILY ")).findFirst()
                    .orElseThrow().substring(7);
            assertEquals(table.endsWith("6") ? io.dualsock.lab.Family.IPV6 : io.dualsock.lab.Family.IPV4, s.family(), s.toString());
            assertEquals("ok", s.tcp(), s.toString());
            assertEquals("ok", s.udp(), s.toString());
        }
    }

    /**
     * The acceptance of dualsock's resolver in the matrix: on the IPv6-only host, the Java client
     * with the provider connects exactly where libc's loop client (AF_INET6 + AI_V4MAPPED, every
     * address) connects, over the same protocol, for every native server.
     */
    @Test
    void withDualsocksResolverJavaConnectsWhereTheLoopClientDoes() {
        Prerequisites.require(JdkMatrix.jdkFor(JdkMatrix.Options.defaults(Duration.ofMillis(500)), JdkSetting.DUALSOCK_RESOLVER) != null,
                "no row for dualsock's resolver: " + JdkSetting.DUALSOCK_RESOLVER.unavailableOn(Jdk.current()));
        for (int i = 0; i < JAVA_TABLES.size(); i++) {
            MatrixReport.Table java = JAVA_TABLES.get(i);
            MatrixReport.Table loop = LOOP_TABLES.get(i);
            MatrixReport.Row provider = java.rows().stream().filter(r -> r.id().equals("java-dsresolver-on-ipv6only")).findFirst()
                    .orElseThrow(() -> new AssertionError("no dualsock's resolver row on the IPv6-only host in " + java.title()));
            MatrixReport.Row native6 = loop.rows().stream().filter(r -> !r.id().startsWith("java-") && r.host().equals(provider.host())
                    && r.family() == io.dualsock.lab.Family.IPV6).findFirst().orElseThrow();
            for (MatrixReport.Column col : loop.columns()) {
                MatrixReport.Cell p = java.cell(provider.id(), col.id());
                MatrixReport.Cell n = loop.cell(native6.id(), col.id());
                assertEquals(n.outcome(), p.outcome(), java.transport() + " " + provider.label() + " -> " + col.label()
                        + ": provider " + p.lookup() + " / loop client " + n.lookup());
            }
        }
    }

    private static JdkSetting setting(String label) {
        for (JdkSetting s : JdkSetting.values()) if (label.contains("(" + s.label() + ")")) return s;
        throw new AssertionError("no setting in " + label);
    }

    /** IndependentJdkCheck prints getHostAddress(); the report prints inet_ntop text. */
    private static String normalise(String line) {
        if (line.equals("ERROR")) return line;
        List<String> out = new ArrayList<>();
        for (String part : line.split(",")) {
            String[] f = part.split(" ", 2);
            String a = f[1];
            if (f[0].equals("Inet6Address")) {
                try {
                    a = io.dualsock.SockAddr.parse(a.replaceFirst("%.*$", ""), 0).address();
                } catch (IllegalArgumentException e) {
                    // keep the JDK's text
                }
            }
            out.add(f[0] + " " + a);
        }
        return String.join(",", out);
    }
}
