package io.dualsock.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dualsock.cli.compare.CompareReport.Difference;
import io.dualsock.cli.compare.CompareReport.HostReport;
import io.dualsock.cli.compare.CompareReport.JdkRun;

/** The three writers on the shared real run. */
class ReportWriterTest {

    @Test
    void markdownIsHeadedByTheEnvironmentAndListsEveryDifference() {
        CompareReport r = SharedRun.report();
        String md = ReportWriter.markdown(r);
        assertTrue(md.startsWith("# JDK versus libc"), md.substring(0, 80));
        assertTrue(md.contains(ReportWriter.REGENERATE));
        for (JdkRun j : r.jdks()) assertTrue(md.contains("| JDK " + j.label() + " | " + j.runtimeVersion()), j.label());
        assertTrue(md.contains("| glibc | " + r.environment().glibc()));
        assertTrue(md.contains("| kernel | " + r.environment().kernel()));
        for (HostReport h : r.hosts()) {
            assertTrue(md.contains("### `" + h.host() + "`"), h.host());
            for (Difference d : h.differences()) assertTrue(md.contains(d.explanation().replace("|", "\\|")), d.toString());
        }
        assertEquals(!r.idn().isEmpty(), md.contains("## Internationalised names"));
        for (var rows : Differences.idnByName(r.idn()).values()) {
            assertTrue(md.contains("Why: " + Differences.idnExplanation(rows).replace("|", "\\|")), rows.toString());
            for (var row : rows) assertTrue(md.contains("| " + row.jdk() + " | `" + row.lang() + "` | " + row.lcCtype()), row.toString());
        }
    }

    @Test
    void jsonCarriesTheWholeReport() throws Exception {
        CompareReport r = SharedRun.report();
        JsonNode n = new ObjectMapper().readTree(ReportWriter.json(r));
        assertEquals(r.hosts().size(), n.get("hosts").size());
        assertEquals(r.sockets().size(), n.get("sockets").size());
        assertEquals(r.environment().glibc(), n.get("environment").get("glibc").asText());
        JsonNode first = n.get("hosts").get(0);
        assertEquals(r.hosts().get(0).differences().size(), first.get("differences").size());
        assertTrue(first.get("differences").get(0).get("explanation").asText().length() > 20);
    }

    @Test
    void textShowsJdkLibcAndWhyForEachDifference() {
        String t = ReportWriter.text(SharedRun.report());
        assertTrue(t.contains("differences (JDK | libc | why)"));
        assertTrue(t.contains("== sockets (JDK | libc/kernel | note)"));
        assertTrue(t.contains("       why:  "));
    }
}
