package io.dualsock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.dualsock.lab.ExecResult;
import io.dualsock.lab.Lab;
import io.dualsock.lab.LabExtension;
import io.dualsock.lab.NameSource;
import io.dualsock.lab.Topology;
import io.dualsock.lab.TopologyJson;

/**
 * {@code dualsock order} run inside lab hosts (a process: it sees the host's hosts file and
 * gai.conf) on a name whose hosts file lists the A line before the AAAA line.
 */
class OrderLabTest {
    static final Topology TOPOLOGY = TopologyJson.parse("""
            {"hosts": [
               {"name": "dflt", "stack": "dual-stack"},
               {"name": "v4pref", "stack": "dual-stack", "gai_conf": "precedence ::ffff:0:0/96 100\\n"}],
             "records": [{"name": "both.sel.test", "a": ["198.51.100.50"], "aaaa": ["2001:db8::50"]},
                         {"name": "tie.sel.test", "aaaa": ["2001:db8::3:100", "2001:db8::2:100"]}]}""", "OrderLabTest");

    @RegisterExtension
    static final LabExtension LAB = LabExtension.of(TOPOLOGY, NameSource.FILES);

    static ExecResult order(Lab lab, String host, String... args) {
        return Cli.inHost(lab, host, "order", args);
    }

    @Test
    void libcPutsTheAaaaFirstAndTheRuleSaysWhy(Lab lab) {
        ExecResult r = order(lab, "dflt", "both.sel.test");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("2001:db8::50 before 198.51.100.50: rule 6 (prefer higher precedence), precedence 40 vs 10"),
                r::toString);
        assertTrue(r.stdout().contains("start: 198.51.100.50, 2001:db8::50 "), "the rules start IPv4 first, not from libc's order: " + r);
        assertTrue(r.stdout().contains("The rules give libc's order."), r::toString);
    }

    @Test
    void aTieIsTheNameServicesOrderPrintedNotAFailure(Lab lab) {
        // dflt is 2001:db8::100: both share 110 bits with it, so only the hosts file's order (rule 10) separates them.
        ExecResult r = order(lab, "dflt", "tie.sel.test");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("start: 2001:db8::2:100, 2001:db8::3:100 "), r::toString);
        assertTrue(r.stdout().contains("The rules give another order than libc's."), r::toString);
        assertTrue(r.stdout().contains("libc put 2001:db8::3:100 before 2001:db8::2:100 by rule 10 (otherwise keep the order)"),
                r::toString);
        assertTrue(r.stdout().contains("No rule contradicts libc's order"), r::toString);
        ExecResult j = order(lab, "dflt", "--json", "tie.sel.test");
        assertEquals(0, j.exitCode(), j::toString);
        assertTrue(j.stdout().contains("\"agrees\" : false") && j.stdout().contains("\"contradicted\" : false"), j::toString);
    }

    @Test
    void theHostsGaiConfPutsIpv4First(Lab lab) {
        ExecResult r = order(lab, "v4pref", "--json", "both.sel.test");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("\"first\" : \"198.51.100.50\""), r::toString);
        assertTrue(r.stdout().contains("\"values\" : \"precedence 100 vs 40\""), r::toString);
    }

    @Test
    void anotherGaiConfThanLibcsIsADisagreementPrinted(Lab lab, @TempDir Path dir) throws Exception {
        Path conf = dir.resolve("gai.conf");
        Files.writeString(conf, "precedence ::ffff:0:0/96 100\n");
        ExecResult r = order(lab, "dflt", "--gai-conf", conf.toString(), "both.sel.test");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("ORDER_DIFFERS: libc returned 2001:db8::50, 198.51.100.50, the rules give 198.51.100.50,"
                + " 2001:db8::50"), r::toString);
        assertTrue(r.stdout().contains("The rules give another order than libc's"), r::toString);
    }
}
