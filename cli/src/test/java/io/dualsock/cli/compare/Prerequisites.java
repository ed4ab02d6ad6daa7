package io.dualsock.cli.compare;

import io.dualsock.testsupport.Prerequisite;

/** The CI rule: a missing prerequisite skips outside CI (with the reason) and fails in CI. */
final class Prerequisites {
    private Prerequisites() {}

    /** Skips (or fails in CI) unless the lab namespace can be made here. */
    static void requireLab() {
        String why = Sandbox.unavailableReason();
        if (why != null) Prerequisite.missing(why);
    }

    static void require(boolean ok, String what) {
        Prerequisite.require(ok, what);
    }
}
