package io.dualsock.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A class with a {@link LabExtension} run through the JUnit launcher, as Surefire and IDEs run
 * it, with the prerequisite check's result given ("not root"): the class is reported as skipped
 * with the reason, or failed with it under {@code CI=true}. No lab starts, so this runs as any user.
 */
class LabExtensionSkipTest {
    private static final List<String> NOT_ROOT = List.of("root: the lab creates network namespaces and writes /etc/netns, "
            + "and this process runs as uid 65534");
    /** The class's display name (for a nested class JUnit shows the binary name). */
    private static final String CLASS = "LabExtensionSkipTest$UsesALab";
    /** The inputs {@link UsesALab} sees, set before each launch. */
    private static volatile LabRequirement.Inputs inputs;

    /** Run only through {@link #launch}; Surefire runs no nested class. */
    static class UsesALab {
        @RegisterExtension
        static final LabExtension LAB = new LabExtension(() -> Lab.builder().host("a", Stack.DUAL), source -> inputs);

        @Test
        void first(Lab lab) {}

        @Test
        void second(Lab lab) {}
    }

    /** What the launcher reported, by display name: "skipped: reason", "FAILED: message", "SUCCESSFUL". */
    private static Map<String, String> launch(LabRequirement.Inputs given) {
        inputs = given;
        Map<String, String> reported = new ConcurrentHashMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                reported.put(id.getDisplayName(), "skipped: " + reason);
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                reported.put(id.getDisplayName(), result.getStatus() + result.getThrowable().map(t -> ": " + t.getMessage()).orElse(""));
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(UsesALab.class)).build(),
                listener);
        return reported;
    }

    @Test
    void withoutRootTheClassIsSkippedWithTheReason() {
        Map<String, String> r = launch(new LabRequirement.Inputs(NOT_ROOT, null, null, null));
        assertEquals("skipped: the lab cannot run here: " + NOT_ROOT.get(0), r.get(CLASS), r.toString());
        assertTrue(!r.containsKey("first(Lab)") && !r.containsKey("second(Lab)"), r.toString());
    }

    @Test
    void withCiTheClassFailsWithTheReason() {
        Map<String, String> r = launch(new LabRequirement.Inputs(NOT_ROOT, "true", null, null));
        assertEquals("FAILED: the lab cannot run here: " + NOT_ROOT.get(0) + " (CI=true: failing, not skipping; "
                + "-Ddualsock.lab.required=false or DUALSOCK_LAB_REQUIRED=false skips instead)", r.get(CLASS), r.toString());
    }

    @Test
    void withCiAndTheOptOutTheClassIsSkipped() {
        Map<String, String> r = launch(new LabRequirement.Inputs(NOT_ROOT, "true", "false", null));
        assertEquals("skipped: the lab cannot run here: " + NOT_ROOT.get(0) + " (skipped: -Ddualsock.lab.required=false, "
                + "although CI=true)", r.get(CLASS), r.toString());
    }
}
