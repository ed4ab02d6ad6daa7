package io.dualsock.testsupport;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The suite's one rule for a missing prerequisite (root, namespaces, a system tool): outside CI
 * the test is skipped with the reason; with {@code CI=true} it fails, because CI installs and
 * runs everything and a silent skip there would hide a broken set-up.
 */
public final class Prerequisite {
    private Prerequisite() {}

    /** True when the environment variable {@code CI} is {@code true} (any case). */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the test (fails it in CI) with {@code why} unless {@code ok}. */
    public static void require(boolean ok, String why) {
        if (!ok) missing(why);
    }

    /** Skips the test (fails it in CI) with {@code why}; never returns normally. */
    public static RuntimeException missing(String why) {
        if (ci()) Assertions.fail("CI=true but " + why);
        Assumptions.abort("skipped: " + why);
        throw new AssertionError("unreachable");
    }
}
