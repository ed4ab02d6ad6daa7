package io.dualsock.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The soak's code path with small counts, so that CI keeps {@code bin/soak} working (the real
 * figures come from {@code bin/soak}, outside CI). Only descriptors are asserted here: memory
 * needs the long run to rise above the JVM's noise.
 */
class SoakSmokeTest {
    @Test
    void shortSoakLeaksNoDescriptor() throws Exception {
        List<Soak.Phase> phases = Soak.run(10_000, 1_000, 50_000);
        assertEquals(3, phases.size());
        for (Soak.Phase p : phases) {
            // not equality: in this shared test JVM a socket another test forgot may be closed by its
            // Cleaner during the soak's GC (bin/soak, alone in its JVM, checks equality)
            assertTrue(p.end().fds() <= p.start().fds(), "descriptor leak: " + Soak.describe(p));
            // the samples are this process's resident size in KiB: never above its peak (VmHWM)
            long peak = peakRssKiB();
            assertTrue(p.start().rssKiB() > 0 && p.start().rssKiB() <= peak, p.start().rssKiB() + " KiB, peak " + peak);
            assertTrue(p.end().rssKiB() > 0 && p.end().rssKiB() <= peak, p.end().rssKiB() + " KiB, peak " + peak);
            assertTrue(p.calls() > 0, Soak.describe(p));
        }
        assertTrue(phases.get(2).notes().get("malformed").equals("0"), phases.get(2).notes().toString());
    }

    /** VmHWM of /proc/self/status: the highest resident size this process has had, in KiB. */
    static long peakRssKiB() throws java.io.IOException {
        for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        throw new AssertionError("no VmHWM in /proc/self/status");
    }
}
