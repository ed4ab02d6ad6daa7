package io.dualsock.lab.compare;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The CI rule: a missing prerequisite skips outside CI (with the reason) and fails in CI. */
final class Prerequisites {
    private Prerequisites() {}

    static boolean ci() {
        return "true".equals(System.getenv("CI"));
    }

    /** Skips (or fails in CI) unless the lab namespace can be made here. */
    static void requireLab() {
        String why = Sandbox.unavailableReason();
        if (why == null) return;
        if (ci()) fail("CI=true but " + why);
        assumeTrue(false, "skipped: " + why);
    }

    static void require(boolean ok, String what) {
        if (ok) return;
        if (ci()) fail("CI=true but " + what);
        assumeTrue(false, "skipped: " + what);
    }
}
