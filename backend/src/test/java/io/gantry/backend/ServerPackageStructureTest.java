package io.gantry.backend;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's packages form no cycle, and the assembly ({@code io.gantry.backend} itself:
 * {@link BackendServer} and what wires it) sits on top: no feature package reaches back into it.
 * A change that breaks either fails the build here, with ArchUnit naming the offending classes.
 */
class ServerPackageStructureTest {
    private static JavaClasses server;

    @BeforeAll
    static void importServer() {
        server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.gantry.backend");
    }

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("io.gantry.backend.(*)..").should().beFreeOfCycles().check(server);
    }

    @Test
    void noFeaturePackageDependsOnTheAssembly() {
        noClasses().that().resideInAPackage("io.gantry.backend.*..")
                .should().dependOnClassesThat().resideInAPackage("io.gantry.backend")
                .check(server);
    }

    @Test
    void serverCodeDoesNotReachTheOperatorTool() {
        noClasses().that().resideInAPackage("io.gantry.backend..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gantry.cli..", "io.gantry.demo..", "io.gantry.testing..")
                .check(server);
    }
}
