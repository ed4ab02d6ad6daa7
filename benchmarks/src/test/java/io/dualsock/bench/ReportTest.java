package io.dualsock.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final Path DOCS = Path.of("..", "docs");

    /** The committed report is what its committed numbers render to: template, code and doc agree. */
    @Test
    void committedReportIsItsDataRendered() throws Exception {
        RunData d = RunData.read(DOCS.resolve("performance-data.json"));
        assertEquals(Files.readString(DOCS.resolve("performance.md")), new Report(d).render(),
                "docs/performance.md differs from its data rendered with report/performance.md: render it again"
                        + " (Report --data docs/performance-data.json --out docs/performance.md)");
    }

    /** The data file keeps every number the report needs: written and read back, it renders the same. */
    @Test
    void dataFileRoundTrips(@TempDir Path dir) throws Exception {
        RunData d = RunData.read(DOCS.resolve("performance-data.json"));
        Path f = dir.resolve("performance-data.json");
        d.write(f);
        assertEquals(new Report(d).render(), new Report(RunData.read(f)).render());
    }

    /** Every placeholder and block is filled on the other paths too: a run that measured nothing, a smoke run. */
    @Test
    void rendersWithNothingMeasured() {
        RunData d = new RunData();
        d.env.put("mode", "smoke");
        String md = new Report(d).render();
        assertTrue(md.contains("**Smoke run**"), md);
        assertTrue(md.contains("not measured (PairedBench.noop5 absent from this run)"), md);
        assertTrue(!md.contains("{{"), md);
    }

    @Test
    void dataFileSitsNextToTheReport() {
        assertEquals(Path.of("docs", "performance-data.json"), Report.dataFileOf(Path.of("docs", "performance.md")));
    }
}
