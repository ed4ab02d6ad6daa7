package io.dualsock.lab;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/**
 * The rule for a lab that cannot run here, apart from the check itself so that it is tested
 * without changing who runs the test: the lab runs when nothing is missing; otherwise it is
 * skipped with the reason, unless {@code CI=true} (most CI services set it) or
 * {@code dualsock.lab.required=true} makes it a failure, so that a CI machine that lost its
 * privileges does not pass by skipping. {@code -Ddualsock.lab.required=false} (or the
 * environment variable {@code DUALSOCK_LAB_REQUIRED=false}) is the opt-out for a CI job that
 * cannot have root: it skips even with {@code CI=true}. The system property wins over the
 * environment variable.
 */
final class LabRequirement {
    private LabRequirement() {}

    /** The system property: {@code true} fails on a missing prerequisite, {@code false} skips. */
    static final String PROPERTY = "dualsock.lab.required";
    /** The environment variable with the same meaning, for a CI job's settings. */
    static final String ENV = "DUALSOCK_LAB_REQUIRED";

    /** What becomes of the lab's tests. */
    enum Verdict { RUN, SKIP, FAIL }

    /**
     * The inputs of the rule.
     *
     * @param missing what {@link Prerequisites#missing} found, one sentence each; empty when the lab can run
     * @param ci the environment variable {@code CI}, or null
     * @param requiredProperty the system property {@value #PROPERTY}, or null
     * @param requiredEnv the environment variable {@value #ENV}, or null
     */
    record Inputs(List<String> missing, String ci, String requiredProperty, String requiredEnv) {
        Inputs {
            missing = List.copyOf(missing);
        }

        /** This process's: the real check for a lab with this name source and its own settings. */
        static Inputs ofThisProcess(NameSource source) {
            return new Inputs(Prerequisites.missing(source), System.getenv("CI"), System.getProperty(PROPERTY),
                    System.getenv(ENV));
        }
    }

    /** The verdict and the sentence a test report shows for it. */
    record Decision(Verdict verdict, String reason) {
        /** For an {@code ExecutionCondition}: disabled with the reason when skipped; a failure happens in beforeAll. */
        ConditionEvaluationResult asCondition() {
            return verdict == Verdict.SKIP ? ConditionEvaluationResult.disabled(reason) : ConditionEvaluationResult.enabled(reason);
        }

        /** Returns when the lab may run; otherwise aborts (skips) or fails the calling test with the reason. */
        void enforce() {
            if (verdict == Verdict.FAIL) throw new AssertionError(reason);
            if (verdict == Verdict.SKIP) Assumptions.abort(reason);
        }
    }

    static Decision decide(Inputs in) {
        Setting property = Setting.of(in.requiredProperty());
        Setting env = Setting.of(in.requiredEnv());
        if (property == Setting.BAD || env == Setting.BAD) {
            String bad = property == Setting.BAD ? "-D" + PROPERTY + "=" + in.requiredProperty() : ENV + "=" + in.requiredEnv();
            return new Decision(Verdict.FAIL, bad + " is neither true nor false; " + PROPERTY + " (or " + ENV
                    + ") takes true (a missing prerequisite fails) or false (it skips)");
        }
        if (in.missing().isEmpty()) return new Decision(Verdict.RUN, "the lab can run here");
        String cannot = "the lab cannot run here: " + String.join("; ", in.missing());
        Setting required = property != Setting.UNSET ? property : env;
        String setting = property != Setting.UNSET ? "-D" + PROPERTY + "=" + property.word : ENV + "=" + env.word;
        boolean ci = "true".equalsIgnoreCase(in.ci());
        if (required == Setting.FALSE) {
            return new Decision(Verdict.SKIP, cannot + " (skipped: " + setting + (ci ? ", although CI=true)" : ")"));
        }
        if (required == Setting.TRUE) return new Decision(Verdict.FAIL, cannot + " (" + setting + ": failing, not skipping)");
        if (ci) {
            return new Decision(Verdict.FAIL, cannot + " (CI=true: failing, not skipping; -D" + PROPERTY + "=false or "
                    + ENV + "=false skips instead)");
        }
        return new Decision(Verdict.SKIP, cannot);
    }

    /** A value of the property or the environment variable. */
    private enum Setting {
        UNSET(""), TRUE("true"), FALSE("false"), BAD("");

        final String word;

        Setting(String word) {
            this.word = word;
        }

        /** Unset when null or blank; true/false in any case; anything else is bad. */
        static Setting of(String value) {
            if (value == null || value.isBlank()) return UNSET;
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "true" -> TRUE;
                case "false" -> FALSE;
                default -> BAD;
            };
        }
    }
}
