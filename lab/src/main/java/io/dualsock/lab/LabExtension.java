package io.dualsock.lab;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
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
 *             .server("b", Family.IPV6, false));
 *
 *     @Test
 *     void reachesB(Lab lab) {
 *         ExecResult r = lab.host("a").exec(Duration.ofSeconds(5), "getent", "ahosts", "b.ds.test");
 *         ...
 *     }
 * }
 * }</pre>
 *
 * Test methods and constructors may take a {@link Lab} parameter. Where the lab cannot run
 * (not root, no {@code ip}, ...) the class's tests are skipped with the reason, except when the
 * environment variable {@code CI} is {@code true}: there a missing prerequisite fails them, so
 * that a CI machine that lost its privileges does not pass by skipping. See {@link Lab} for what
 * runs per process and per thread inside a host.
 */
public final class LabExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final Supplier<Lab.Builder> builder;
    private Lab lab;

    private LabExtension(Supplier<Lab.Builder> builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
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
     * Skips (outside CI) or fails (CI=true) the calling test when the lab cannot run here.
     * Call it first in a test that builds labs by itself.
     */
    public static void assumeLabCanRun(NameSource source) {
        List<String> missing = Prerequisites.missing(source);
        if (missing.isEmpty()) return;
        String reason = "the lab cannot run here: " + String.join("; ", missing);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(reason + " (CI=true: failing, not skipping)");
        Assumptions.abort(reason);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Lab.Builder b = builder.get();
        assumeLabCanRun(b.nameSourceForChecks());
        lab = b.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
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
