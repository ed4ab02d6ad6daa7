package io.dualsock.cli.arch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.dualsock.ArchFixtureApiUsesLab;
import io.dualsock.cli.Main;
import io.dualsock.lab.Lab;
import io.dualsock.lab.archfixture.LabUsesCli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers point one way: cli → lab → java-api ({@code io.dualsock}) → native-bindings. Maven's
 * module graph already refuses most wrong imports at compile time; these rules also hold the
 * packages inside a module (no cycles) and who may touch the internal bindings. The production
 * classes of every module on this class path are checked; the last two tests show that the rule
 * reports a lab class importing the cli and an API class importing the lab (fixtures in test code).
 */
class ArchitectureTest {
    private static JavaClasses production;

    /** cli on top; lab only under cli; the API under both; bindings internal to these three. */
    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            // the fixtures below hold two layers; importProduction() checks that every layer is there
            .withOptionalLayers(true)
            .layer("cli").definedBy("io.dualsock.cli..")
            .layer("lab").definedBy("io.dualsock.lab..")
            .layer("api").definedBy("io.dualsock")
            .layer("bindings").definedBy("io.dualsock.bindings..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("lab").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("api").mayOnlyBeAccessedByLayers("lab", "cli")
            .whereLayer("bindings").mayOnlyBeAccessedByLayers("api", "lab", "cli");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.dualsock.(**)").should().beFreeOfCycles();

    @BeforeAll
    static void importProduction() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the reactor puts the modules' jars on the path under `verify`: their test-jars are tests too
                .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("dualsock-test-support"))
                .importPackages("io.dualsock");
        // the check must see every layer, or it would pass on an empty class set
        for (Class<?> c : new Class<?>[] {Main.class, Lab.class, io.dualsock.NativeSocket.class,
                io.dualsock.bindings.Shim.class}) {
            assertTrue(production.contain(c), c + " was not imported");
        }
    }

    @Test
    void layersPointDownOnly() {
        LAYERS.check(production);
    }

    @Test
    void noPackageCycles() {
        NO_PACKAGE_CYCLES.check(production);
    }

    @Test
    void theRuleCatchesTheLabImportingTheCli() {
        EvaluationResult r = LAYERS.evaluate(new ClassFileImporter().importClasses(LabUsesCli.class, Main.class));
        assertTrue(r.hasViolation(), "a lab class that imports the cli must be reported");
        assertTrue(r.getFailureReport().toString().contains(LabUsesCli.class.getName()), r.getFailureReport().toString());
    }

    @Test
    void theRuleCatchesTheApiImportingTheLab() {
        EvaluationResult r = LAYERS.evaluate(new ClassFileImporter().importClasses(ArchFixtureApiUsesLab.class, Lab.class));
        assertTrue(r.hasViolation(), "an API class that imports the lab must be reported");
        assertTrue(r.getFailureReport().toString().contains(ArchFixtureApiUsesLab.class.getName()), r.getFailureReport().toString());
        EvaluationResult allowed = LAYERS.evaluate(new ClassFileImporter().importClasses(Main.class, Lab.class));
        assertFalse(allowed.hasViolation(), allowed.getFailureReport().toString());
    }
}
