package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.dualsock.lab.LabRequirement.Decision;
import io.dualsock.lab.LabRequirement.Inputs;
import io.dualsock.lab.LabRequirement.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The skip/fail rule with the check's result given: runs the same as root and as any user. */
class LabRequirementTest {
    private static final List<String> NOT_ROOT = List.of("root: the lab creates network namespaces and writes /etc/netns, "
            + "and this process runs as uid 65534", "ip: not found on PATH or in the sbin directories (Debian package iproute2)");

    @ParameterizedTest(name = "missing={0} CI={1} -D={2} env={3}: {4}")
    @CsvSource(nullValues = "-", textBlock = """
        # nothing missing: the lab runs whatever the settings
        false, -,     -,     -,     RUN
        false, true,  false, -,     RUN
        false, true,  -,     true,  RUN
        # missing: skip outside CI, fail in CI, the opt-out skips even in CI
        true,  -,     -,     -,     SKIP
        true,  false, -,     -,     SKIP
        true,  true,  -,     -,     FAIL
        true,  TRUE,  -,     -,     FAIL
        true,  true,  false, -,     SKIP
        true,  true,  -,     false, SKIP
        true,  true,  FALSE, -,     SKIP
        # true makes a missing prerequisite a failure outside CI too
        true,  -,     true,  -,     FAIL
        true,  -,     -,     true,  FAIL
        # the property wins over the environment variable
        true,  true,  false, true,  SKIP
        true,  -,     true,  false, FAIL
        # blank means unset
        true,  true,  ' ',   -,     FAIL
        """)
    void theVerdict(boolean missing, String ci, String property, String env, Verdict expected) {
        Decision d = LabRequirement.decide(new Inputs(missing ? NOT_ROOT : List.of(), ci, property, env));
        assertEquals(expected, d.verdict(), d.reason());
        if (expected != Verdict.RUN) {
            assertTrue(d.reason().startsWith("the lab cannot run here: root: the lab creates network namespaces"), d.reason());
            assertTrue(d.reason().contains("; ip: not found"), d.reason());
        }
    }

    @Test
    void theReasonSaysWhyItFailsAndHowToOptOut() {
        assertEquals("the lab cannot run here: " + String.join("; ", NOT_ROOT)
                        + " (CI=true: failing, not skipping; -Ddualsock.lab.required=false or DUALSOCK_LAB_REQUIRED=false skips instead)",
                LabRequirement.decide(new Inputs(NOT_ROOT, "true", null, null)).reason());
        assertTrue(LabRequirement.decide(new Inputs(NOT_ROOT, "true", null, "false")).reason()
                .endsWith(" (skipped: DUALSOCK_LAB_REQUIRED=false, although CI=true)"));
        assertTrue(LabRequirement.decide(new Inputs(NOT_ROOT, null, "true", null)).reason()
                .endsWith(" (-Ddualsock.lab.required=true: failing, not skipping)"));
        assertEquals("the lab cannot run here: " + String.join("; ", NOT_ROOT),
                LabRequirement.decide(new Inputs(NOT_ROOT, null, null, null)).reason());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {"no, -, -Ddualsock.lab.required=no", "-, 0, DUALSOCK_LAB_REQUIRED=0"})
    void aValueThatIsNeitherTrueNorFalseFailsEvenWhereTheLabCanRun(String property, String env, String named) {
        for (List<String> missing : List.of(List.<String>of(), NOT_ROOT)) {
            Decision d = LabRequirement.decide(new Inputs(missing, null, property, env));
            assertEquals(Verdict.FAIL, d.verdict());
            assertTrue(d.reason().startsWith(named + " is neither true nor false; "), d.reason());
        }
    }

    @Test
    void aSkipDisablesTheClassAndAFailureLeavesItToBeforeAll() {
        Decision skip = LabRequirement.decide(new Inputs(NOT_ROOT, null, null, null));
        assertTrue(skip.asCondition().isDisabled());
        assertEquals(skip.reason(), skip.asCondition().getReason().orElseThrow());
        assertEquals(skip.reason(), assertThrows(TestAbortedException.class, skip::enforce).getMessage());

        Decision fail = LabRequirement.decide(new Inputs(NOT_ROOT, "true", null, null));
        assertFalse(fail.asCondition().isDisabled());
        assertEquals(fail.reason(), assertThrows(AssertionError.class, fail::enforce).getMessage());

        Decision run = LabRequirement.decide(new Inputs(List.of(), "true", null, null));
        assertFalse(run.asCondition().isDisabled());
        run.enforce();
    }
}
