package io.dualsock.lab;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts a {@link Lab} before a test class's tests and removes it after
 * them, sharing one lab among the class's tests:
 *
 * <pre>{@code
 * class MyLabTest {
 *     @RegisterExtension
 *     static final LabExtension LAB = LabExtension.of(() -> Lab.builder()
 *             .host("a", Stack.DUAL)
 *             .host("b", Stack.IPV6_ONLY)
 *             .server("b").ipv6().v6only(false).and());
 *
 *     @Test
 *     void reachesB(Lab lab) {
 *         ExecResult r = lab.host("a").exec(Duration.ofSeconds(5), "getent", "ahosts", "b.ds.test");
 *         ...
 *     }
 * }
 * }</pre>
 *
 * Each test class gets a lab of its own (there is no lab shared by several classes); labs
 * coexist, so classes may run in parallel ({@code @Execution(ExecutionMode.CONCURRENT)} with
 * JUnit's parallel execution switched on), in one JVM or in several forks.
 *
 * <p>Test methods and constructors may take a {@link Lab} parameter. Where the lab cannot run
 * (not root, no {@code ip}, ...) the class is skipped with the reason, as an
 * {@link ExecutionCondition}, so that Surefire and IDEs report it as skipped and show why;
 * except when the environment variable {@code CI} is {@code true} or the system property
 * {@value #REQUIRED_PROPERTY} is {@code true}: there a missing prerequisite fails the class
 * (in beforeAll), so that a CI machine that lost its privileges does not pass by skipping.
 * {@code -D}{@value #REQUIRED_PROPERTY}{@code =false} or the environment variable
 * {@value #REQUIRED_ENV}{@code =false} skips even with {@code CI=true}, for a CI job that cannot
 * have root. See {@link Lab} for what runs per process and per thread inside a host.
 */
public final class LabExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, ParameterResolver {
    /** System property: {@code false} skips a lab that cannot run even with {@code CI=true}; {@code true} fails it. */
    public static final String REQUIRED_PROPERTY = LabRequirement.PROPERTY;
    /** Environment variable with the meaning of {@link #REQUIRED_PROPERTY}, which wins over it. */
    public static final String REQUIRED_ENV = LabRequirement.ENV;

    private final Supplier<Lab.Builder> builder;
    private final Function<NameSource, LabRequirement.Inputs> inputs;
    private Lab.Builder made;
    private Lab lab;

    private LabExtension(Supplier<Lab.Builder> builder) {
        this(builder, LabRequirement.Inputs::ofThisProcess);
    }

    /** With the prerequisite check's result and settings given, for testing the rule as any user. */
    LabExtension(Supplier<Lab.Builder> builder, Function<NameSource, LabRequirement.Inputs> inputs) {
        this.builder = Objects.requireNonNull(builder, "builder");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
    }

    /** A lab made by this builder (called once, before the class's first test). */
    public static LabExtension of(Supplier<Lab.Builder> builder) {
        return new LabExtension(builder);
    }

    /** A lab of this topology with names from the given source. */
    public static LabExtension of(Topology topology, NameSource source) {
        return new LabExtension(() -> Lab.builder(topology).nameSource(source));
    }

    /**
     * Skips (outside CI) or fails ({@code CI=true}, {@value #REQUIRED_PROPERTY}{@code =true}) the
     * calling test when the lab cannot run here; {@value #REQUIRED_PROPERTY}{@code =false} or
     * {@value #REQUIRED_ENV}{@code =false} skips even in CI. Call it first in a test that builds
     * labs by itself.
     */
    public static void assumeLabCanRun(NameSource source) {
        LabRequirement.decide(LabRequirement.Inputs.ofThisProcess(source)).enforce();
    }

    /** Disabled with the reason where the lab cannot run and the rule says skip; see the class comment. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        LabRequirement.Decision d = decision();
        // Surefire's console says only "Skipped: n" (the reason is in its XML report): one line here says why
        if (d.verdict() == LabRequirement.Verdict.SKIP) System.err.println(context.getDisplayName() + " skipped: " + d.reason());
        return d.asCondition();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        decision().enforce();
        lab = builder().start();
    }

    private LabRequirement.Decision decision() {
        return LabRequirement.decide(inputs.apply(builder().nameSourceForChecks()));
    }

    /** The builder, made once per class run. */
    private Lab.Builder builder() {
        if (made == null) made = builder.get();
        return made;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        made = null;
        if (lab != null) {
            try {
                lab.close();
            } finally {
                lab = null;
            }
        }
    }

    /** The running lab (between beforeAll and afterAll). */
    public Lab lab() {
        if (lab == null) throw new IllegalStateException("the lab runs only while the test class runs");
        return lab;
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        if (lab == null) throw new ParameterResolutionException("no lab is running");
        return lab;
    }
}
