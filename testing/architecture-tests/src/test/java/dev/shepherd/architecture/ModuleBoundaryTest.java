package dev.shepherd.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.shepherd.architecture.Packages.CHICORY;
import static dev.shepherd.architecture.Packages.KERNEL;
import static dev.shepherd.architecture.Packages.PLUGINS;
import static dev.shepherd.architecture.Packages.SPI;
import static dev.shepherd.architecture.Packages.SPI_ALLOWED;
import static dev.shepherd.architecture.Packages.WASM_MIDDLEWARE;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;

/**
 * Who may depend on whom: the SPI on its allowed libraries only, the kernel and the plugins never on
 * each other, the plugins never on one another, and WebAssembly only inside {@code middleware-wasm}.
 */
@AnalyzeClasses(packages = Packages.SHEPHERD, importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleBoundaryTest {

    /** Rule 1. */
    @ArchTest
    static final ArchRule spiDependsOnlyOnAllowedLibraries =
            classes().that().resideInAPackage(SPI)
                    .should().onlyDependOnClassesThat().resideInAnyPackage(SPI_ALLOWED)
                    .because("the SPI is loaded once by the kernel and shared with every plugin classloader, "
                            + "which takes only the JDK, the SPI, PF4J, Jackson, Micrometer, the OpenTelemetry "
                            + "API and SLF4J from its parent; any other type would not be the same class on "
                            + "both sides");

    /** Rule 2. */
    @ArchTest
    static final ArchRule kernelNeverDependsOnPlugins =
            noClasses().that().resideInAPackage(KERNEL)
                    .should().dependOnClassesThat().resideInAPackage(PLUGINS)
                    .because("the kernel only assembles and runs plugins through the SPI: built-in "
                            + "capabilities are plugins like any other and may be absent, replaced or "
                            + "loaded by another classloader");

    /** Rule 3. */
    @ArchTest
    static final ArchRule pluginsNeverDependOnKernel =
            noClasses().that().resideInAPackage(PLUGINS)
                    .should().dependOnClassesThat().resideInAPackage(KERNEL)
                    .because("a plugin reaches the kernel only through PluginContext; the kernel's classes "
                            + "are invisible to the plugin classloader, so such a plugin would fail to load "
                            + "from its zip");

    /** Rule 4. */
    @ArchTest
    static final ArchRule pluginsDoNotDependOnEachOther =
            SlicesRuleDefinition.slices().matching("dev.shepherd.plugin.(*).(*)..")
                    .namingSlices("plugin $1.$2")
                    .should().notDependOnEachOther()
                    .because("each plugin has its own classloader and can be installed, upgraded or "
                            + "removed alone; what two plugins share belongs in the SPI");

    /** Rule 11. */
    @ArchTest
    static final ArchRule onlyWasmMiddlewareTouchesChicory =
            noClasses().that().resideOutsideOfPackage(WASM_MIDDLEWARE)
                    .should().dependOnClassesThat().resideInAPackage(CHICORY)
                    .because("WASM modules are one kind of Middleware product made by middleware-wasm; "
                            + "the kernel and every other plugin know nothing of WebAssembly")
                    .allowEmptyShould(true);
}
