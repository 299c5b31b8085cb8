package dev.shepherd.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Guards the other rules against passing vacuously: every module they speak of must have been
 * imported. A module missing here is a dependency missing from this module's pom.
 */
@AnalyzeClasses(packages = Packages.SHEPHERD, importOptions = ImportOption.DoNotIncludeTests.class)
class ImportedModulesTest {

    @ArchTest
    static void importsTheProductionClassesOfEveryModule(JavaClasses classes) {
        Set<String> packages = classes.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        assertThat(packages).as("packages imported from the test classpath").contains(
                "dev.shepherd.spi",
                "dev.shepherd.kernel",
                "dev.shepherd.plugin.api.openai",
                "dev.shepherd.plugin.backend.openaihttp",
                "dev.shepherd.plugin.policy.basic",
                "dev.shepherd.plugin.policy.cacheaware",
                "dev.shepherd.plugin.discovery.simulated",
                "dev.shepherd.plugin.example.weighted",
                "dev.shepherd.sim");
    }

    @ArchTest
    static void importsNoTestClasses(JavaClasses classes) {
        assertThat(classes.stream().map(JavaClass::getName))
                .as("test classes must not be analysed")
                .noneMatch(name -> name.startsWith("dev.shepherd.architecture."));
    }
}
