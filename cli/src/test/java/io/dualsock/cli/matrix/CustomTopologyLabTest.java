package io.dualsock.cli.matrix;

import io.dualsock.lab.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.dualsock.cli.matrix.BookTable;
import io.dualsock.cli.matrix.MatrixReport;
import io.dualsock.cli.matrix.MatrixRunner;
import io.dualsock.cli.matrix.Outcome;
import io.dualsock.cli.matrix.TextReport;
import io.dualsock.cli.matrix.Transport;
import io.dualsock.cli.matrix.Variant;

/**
 * A topology read from a file: Figure 12.5 with IPV6_V6ONLY on the dual-stack IPv6 server and
 * an extra IPv6 client on the IPv4-only host. The lab comes from {@link LabExtension}.
 */
class CustomTopologyLabTest {
    static final Topology TOPOLOGY = read("v6only.json");

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(TOPOLOGY, NameSource.FILES);

    static MatrixReport report;

    static Topology read(String resource) {
        try (InputStream in = CustomTopologyLabTest.class.getResourceAsStream(resource)) {
            return TopologyJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void measure() {
        report = new MatrixRunner(LAB.lab(), new MatrixRunner.Options(Duration.ofMillis(400), Duration.ofSeconds(3),
                Duration.ofSeconds(3)), System.err).run(List.of(Transport.values()), List.of(Variant.BOOK, Variant.ALL),
                t -> System.err.println(TextReport.table(t)));
    }

    static MatrixReport.Table table(Transport t, Variant v) {
        return report.tables().stream().filter(x -> x.transport() == t && x.variant() == v).findFirst().orElseThrow();
    }

    @Test
    void theServerReallyHasV6onlyOn(Lab lab) {
        assertEquals(Boolean.TRUE, lab.servers().get("ipv6-on-dual").v6only());
        assertEquals(Boolean.FALSE, lab.servers().get("ipv6-on-ipv6only").v6only());
    }

    @Test
    void everyCellsEvidenceIsSelfConsistent() {
        for (MatrixReport.Table t : report.tables()) Evidence.assertConsistent(t);
    }

    @Test
    void ipv4ClientsAreRefusedByTheV6onlyServer() {
        for (String row : List.of("ipv4-on-ipv4only", "ipv4-on-dual")) {
            MatrixReport.Cell tcp = table(Transport.TCP, Variant.BOOK).cell(row, "ipv6-on-dual");
            assertEquals("(no) ECONNREFUSED", tcp.text());
            MatrixReport.Attempt a = tcp.attempts().get(0);
            assertEquals(Family.IPV4, a.wire().family(), "the IPv4 SYN reached the host: " + a.wire().deltas());
            assertEquals(1, a.wire().get("TcpOutRsts"));
            assertEquals(BookTable.RULES_SOURCE, tcp.book().source());
            assertEquals(Outcome.NO, tcp.book().outcome());

            MatrixReport.Cell udp = table(Transport.UDP, Variant.BOOK).cell(row, "ipv6-on-dual");
            assertEquals("(no) EAGAIN", udp.text());
            assertEquals(1, udp.attempts().get(0).wire().get("UdpNoPorts"), "no IPv4 socket took the datagram");
            assertEquals("(no) ECONNREFUSED", table(Transport.UDP_CONNECTED, Variant.BOOK).cell(row, "ipv6-on-dual").text());
        }
        assertEquals("IPv6", table(Transport.TCP, Variant.BOOK).cell("ipv6-on-dual", "ipv6-on-dual").text());
    }

    @Test
    void anIpv6ClientOnAnIpv4OnlyHostSpeaksIpv4ThroughMappedAddresses() {
        MatrixReport.Table t = table(Transport.TCP, Variant.BOOK);
        MatrixReport.Cell mapped = t.cell("ipv6-on-ipv4only", "ipv4-on-ipv4only");
        assertEquals("IPv4", mapped.text());
        assertEquals("::ffff:198.51.100.11", mapped.lookup().addresses().get(0).address());
        assertTrue(mapped.attempts().get(0).serverPeer().startsWith("198.51.100.21:"), mapped.attempts().get(0).serverPeer());
        MatrixReport.Cell native6 = t.cell("ipv6-on-ipv4only", "ipv6-on-ipv6only");
        MatrixReport.Attempt a = native6.attempts().get(0);
        // IPv6 is disabled on that host: the kernel refuses before sending (EADDRNOTAVAIL on Linux 6).
        assertTrue(Set.of("EADDRNOTAVAIL", "ENETUNREACH").contains(a.outcome()), a.outcome());
        assertEquals("none", a.wire().protocol());
        // With AI_ALL, glibc sorts the mapped address first on a host without IPv6 (RFC 6724 rule 1).
        MatrixReport.Cell all = table(Transport.TCP, Variant.ALL).cell("ipv6-on-ipv4only", "ipv4-on-dual");
        assertTrue(all.lookup().addresses().get(0).v4mapped(), all.lookup().addresses().toString());
        assertEquals("IPv4", all.text());
    }

    @Test
    void aHostRunsCommandsAndJavaWithItsOwnNameTable(Lab lab) {
        LabHost c4 = lab.host("c4");
        ExecResult r = c4.exec(Duration.ofSeconds(10), "getent", "ahostsv4", "d4.ds.test");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().startsWith("198.51.100.13"), r.stdout());
        ExecResult none = c4.exec(Duration.ofSeconds(10), "getent", "hosts", "example.com");
        assertEquals(2, none.exitCode(), "nothing outside the lab resolves: " + none.stdout());
        assertEquals(List.of("::ffff:198.51.100.11"), c4.resolve("s4.ds.test", "7007",
                io.dualsock.Hints.builder().inet6().stream().flags(io.dualsock.AiFlag.V4MAPPED).build()));
        ExecResult java = c4.runJava(Duration.ofSeconds(60), LabProbe.class.getName(), "s6.ds.test");
        assertEquals(0, java.exitCode(), java.stderr());
        assertEquals("2001:db8::12", java.stdout().strip());
    }

    @Test
    void noRouteLeadsOutOfTheLab(Lab lab) {
        for (LabHost h : lab.hosts()) {
            for (String v : List.of("-4", "-6")) {
                ExecResult r = LabAccess.ip(v, "-n", h.namespace(), "route", "show", "table", "all").orThrow();
                assertTrue(r.stdout().lines().noneMatch(l -> l.startsWith("default")), h + " " + v + ": " + r.stdout());
                for (String line : r.stdout().lines().toList()) {
                    String dst = line.split(" ")[0];
                    if (line.contains("table local") || dst.startsWith("fe80::") || dst.startsWith("ff00::")
                            || dst.startsWith("multicast")) {
                        continue;
                    }
                    assertTrue(dst.equals("198.51.100.0/24") || dst.equals("2001:db8::/64"), h + ": route " + line);
                }
            }
        }
    }

    @Test
    void aThreadCanEnterAHostsNetworkNamespace(Lab lab) throws Exception {
        LabHost s6 = lab.host("s6");
        String local = s6.inNetwork(() -> {
            try (io.dualsock.NativeSocket s = io.dualsock.NativeSocket.open(io.dualsock.NativeSocket.AF_INET6,
                    io.dualsock.NativeSocket.SOCK_DGRAM)) {
                // Only inside ds-s6 does this address exist.
                s.bind(io.dualsock.SockAddr.parse("2001:db8::12", 0));
                return s.localAddress().address();
            }
        });
        assertEquals("2001:db8::12", local);
        KernelCounters k = s6.counters();
        assertTrue(k.get("Ip6InDelivers") > 0, "s6 has received IPv6 in the matrix");
        assertEquals(0, k.get("UdpInDatagrams") + k.get("TcpActiveOpens"), "s6 has no IPv4 and opens no connection");
    }
}
