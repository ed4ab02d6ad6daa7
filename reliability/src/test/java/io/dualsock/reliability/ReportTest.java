package io.dualsock.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final Path REPO = Path.of("..");
    private static final Path DATA = REPO.resolve("docs/reliability-data.json");

    /** The committed report is what its committed figures render to: template, code and doc agree. */
    @Test
    void committedReportIsItsDataRendered() throws Exception {
        assertEquals(Files.readString(REPO.resolve("docs/reliability.md")), new Report(Results.read(DATA), REPO).render(),
                "docs/reliability.md differs from docs/reliability-data.json rendered with report/reliability.md: run bin/reliability-report");
    }

    /** The fault table of the template names the fault tests there are, and the report collects exactly those. */
    @Test
    void faultTestsAreTheTemplatesRows() {
        Set<String> tests = Report.faultTests();
        assertEquals(7, tests.size(), tests.toString());
        for (String t : tests) {
            assertTrue(Files.exists(Path.of("src/test/java/io/dualsock/fault", t + ".java")), t + " is in the template but not a test");
        }
    }

    /** Parts with results in the working tree are replaced, the others kept as recorded. */
    @Test
    void workingTreeResultsReplaceTheirPartOnly(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("build/fuzz"));
        Files.writeString(repo.resolve("build/fuzz/results.tsv"),
                "engine\ttarget\tseconds\tinputs\tstatus\tcorpus\tdetail\nlibFuzzer\tinet\t5\t1234567\tok\t34\t\n");
        Path reports = Files.createDirectories(repo.resolve("reliability/target/surefire-reports"));
        Files.writeString(reports.resolve("TEST-io.dualsock.fault.PeerResetTest.xml"),
                "<?xml version=\"1.0\"?>\n<testsuite name=\"x\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\">\n</testsuite>\n");
        Path figures = Files.createDirectories(repo.resolve("reliability/target/reliability"));
        Files.writeString(figures.resolve("PeerResetTest.properties"), "resets_injected=3\nwhat=a|b\n");
        Files.createDirectories(repo.resolve("c-shim/fuzz/regress/inet"));
        Files.writeString(repo.resolve("c-shim/fuzz/regress/inet/README"), "x");

        Results r = Results.read(DATA);
        String soakBefore = r.part("soak").toString();
        List<String> took = r.collect(repo, Report.faultTests());
        assertEquals(2, took.size(), took.toString());
        assertEquals(soakBefore, r.part("soak").toString());
        String md = new Report(r, repo).render();
        assertTrue(md.contains("| libFuzzer | `inet` | dsb_inet_pton/ntop (libdsbench, the Java tests' reference): == libc;"), md);
        assertTrue(md.contains("| 5 | 1,234,567 | 34 | ok |"), md);
        assertTrue(md.contains("Inputs tried in all: 1,234,567"), md);
        assertTrue(md.contains("| passed (1 of 2 tests, 1 skipped) | resets_injected: 3<br>what: a\\|b<br> |"), md);
        assertTrue(md.contains("| _not run_ | _not run_ |"), md);
        assertTrue(md.contains("| udp datagrams (hot path) | 10,000,000 |"), "soak kept from the data: " + md);
        assertTrue(md.contains("- none"), md);
        assertFalse(md.contains("{{"), md);
    }

    /** With nothing recorded at all, every placeholder and block is still filled. */
    @Test
    void rendersWithNothingRecorded(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("c-shim/fuzz/regress"));
        String md = new Report(Results.read(repo.resolve("none.json")), repo).render();
        assertTrue(md.contains("_No fuzz results in build/fuzz/results.tsv"), md);
        assertTrue(md.contains("_No soak figures"), md);
    }
}
