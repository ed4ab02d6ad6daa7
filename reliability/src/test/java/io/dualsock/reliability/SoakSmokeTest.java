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
            assertTrue(p.end().rssKiB() > 0, Soak.describe(p));
        }
        assertTrue(phases.get(2).notes().get("malformed").equals("0"), phases.get(2).notes().toString());
    }
}
