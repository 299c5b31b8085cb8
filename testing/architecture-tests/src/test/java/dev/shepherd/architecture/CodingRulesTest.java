package dev.shepherd.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

/** Rules every production class follows, the simulated engine included. */
@AnalyzeClasses(packages = Packages.SHEPHERD, importOptions = ImportOption.DoNotIncludeTests.class)
class CodingRulesTest {

    /** Rule 9. */
    @ArchTest
    static final ArchRule noPackageCycles =
            SlicesRuleDefinition.slices().matching("dev.shepherd.(**)")
                    .namingSlices("dev.shepherd.$1")
                    .should().beFreeOfCycles()
                    .because("a cycle makes two packages one unit that can only be understood, tested and "
                            + "changed together; the dependency direction must say which one is the base");

    /** Rule 10, standard streams. */
    @ArchTest
    static final ArchRule noStandardStreams =
            GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
                    .because("output goes through SLF4J (JSON access and application logs) so it can be "
                            + "levelled, routed and parsed; a stray print bypasses all of that and blocks on "
                            + "a full pipe");

    /** Rule 10, java.util.logging. */
    @ArchTest
    static final ArchRule noJavaUtilLogging =
            GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING
                    .because("SLF4J is the one logging API: the plugin classloader shares it with plugins "
                            + "and Logback is the one configured backend");
}
