package dev.shepherd.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static dev.shepherd.architecture.Packages.PLUGINS;
import static dev.shepherd.architecture.Packages.SIM_ENGINE;
import static dev.shepherd.architecture.Packages.SPI;
import static dev.shepherd.architecture.Packages.SPI_ALLOWED;
import static dev.shepherd.architecture.Packages.TESTKIT;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.shepherd.spi.Experimental;
import dev.shepherd.spi.ExtensionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The SPI contract (ARCHITECTURE.md, "The SPI contract"): what the SPI may hold, what its public
 * signatures may name, how stable and experimental parts relate, and how plugins implement it.
 */
@AnalyzeClasses(packages = Packages.SHEPHERD, importOptions = ImportOption.DoNotIncludeTests.class)
class SpiContractTest {

    /** Rule 5. */
    @ArchTest
    static final ArchRule publicSpiSignaturesUseOnlySpiOrAllowedTypes =
            classes().that(areApiVisibleSpiTypes())
                    .should(onlyNameTypesInApiSignatures(
                            "only SPI or allowed library types", SpiContractTest::isSpiOrAllowed))
                    .because("a plugin sees the kernel only through these signatures: a kernel or "
                            + "third-party type there would be invisible to (or a different class in) the "
                            + "plugin classloader and would tie every plugin to an implementation detail");

    /** Rule 6. */
    @ArchTest
    static final ArchRule stableSpiDoesNotExposeExperimentalTypes =
            classes().that(areApiVisibleSpiTypes()).and(areStable())
                    .should(notExposeExperimentalTypesInStableMembers())
                    .because("everything public in the SPI is stable unless marked @Experimental; a stable "
                            + "signature naming an experimental type would make that type's incompatible "
                            + "changes break stable callers and implementers");

    /**
     * Rule 6, inherited signatures: a stable type must not bind an experimental type into the
     * signatures it inherits, as {@code HistoryStoreFactory extends ExtensionFactory<C, HistoryStore>}
     * does for {@code HistoryStore create(C, PluginContext)}.
     */
    @ArchTest
    static final ArchRule stableSpiDoesNotInheritSignaturesNamingExperimentalTypes =
            classes().that(areApiVisibleSpiTypes()).and(areStable())
                    .should(notBindExperimentalTypesIntoSupertypes())
                    .because("a type argument of a supertype becomes part of the signatures the type "
                            + "inherits (a factory's create returns its product), so a stable type binding an "
                            + "experimental one exposes it just as a declared method would; mark such a type "
                            + "@Experimental too");

    /** Rule 7. */
    @ArchTest
    static final ArchRule spiHoldsOnlyContractTypes =
            classes().that().resideInAPackage(SPI).and(areDeclaredTypes())
                    .should(beInterfacesRecordsEnumsAnnotationsOrExceptions())
                    .because("the SPI is a contract, not an implementation: behaviour lives in the kernel "
                            + "and in plugins, and value types are immutable records, so nothing in the SPI "
                            + "can carry state or logic that ties plugins to a kernel version");

    /** Rule 8. */
    @ArchTest
    static final ArchRule extensionFactoriesArePluginExtensions =
            classes().that().areAssignableTo(ExtensionFactory.class)
                    .and().areNotInterfaces()
                    .and().doNotHaveModifier(JavaModifier.ABSTRACT)
                    .and().resideOutsideOfPackages(SIM_ENGINE, TESTKIT)
                    .should().beAnnotatedWith(Extension.class)
                    .andShould().haveSimpleNameEndingWith("Factory")
                    .andShould().resideInAPackage(PLUGINS)
                    .because("PF4J finds factories through @Extension (its index), names follow "
                            + "<Impl><Thing>Factory, and every capability is a plugin: the kernel has no "
                            + "special path for built-in factories");

    // ---------------------------------------------------------------------------------------------
    // predicates and conditions

    private static final String EXPERIMENTAL = Experimental.class.getName();

    private static boolean isSpiOrAllowed(JavaClass type) {
        JavaClass base = type.getBaseComponentType();
        if (base.isPrimitive()) {
            return true;
        }
        String pkg = base.getPackageName();
        for (String allowed : SPI_ALLOWED) {
            if (PackageMatchers.of(allowed).test(pkg)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isExperimental(JavaClass type) {
        JavaClass base = type.getBaseComponentType();
        if (base.isAnnotatedWith(EXPERIMENTAL)) {
            return true;
        }
        return base.getEnclosingClass().map(SpiContractTest::isExperimental).orElse(false);
    }

    /** Public, and every enclosing type public too: a type a plugin can name. */
    private static boolean isApiVisible(JavaClass type) {
        if (!type.getModifiers().contains(JavaModifier.PUBLIC)) {
            return false;
        }
        return type.getEnclosingClass().map(SpiContractTest::isApiVisible).orElse(true);
    }

    /** Top-level and member types: the compiler's anonymous, local and synthetic classes are not. */
    private static DescribedPredicate<JavaClass> areDeclaredTypes() {
        return DescribedPredicate.describe("are top-level or member types",
                c -> (c.isTopLevelClass() || c.isMemberClass()) && !c.getModifiers().contains(JavaModifier.SYNTHETIC));
    }

    private static DescribedPredicate<JavaClass> areApiVisibleSpiTypes() {
        return DescribedPredicate.describe("are public types of the SPI",
                c -> PackageMatchers.of(SPI).test(c.getPackageName())
                        && (c.isTopLevelClass() || c.isMemberClass())
                        && isApiVisible(c));
    }

    private static DescribedPredicate<JavaClass> areStable() {
        return DescribedPredicate.describe("are not @Experimental", c -> !isExperimental(c));
    }

    /** Members a plugin can see: public ones, and protected ones of types it can extend. */
    private static boolean isApiVisible(JavaMember member) {
        Set<JavaModifier> modifiers = member.getModifiers();
        if (modifiers.contains(JavaModifier.SYNTHETIC) || modifiers.contains(JavaModifier.BRIDGE)) {
            return false;
        }
        return modifiers.contains(JavaModifier.PUBLIC)
                || (modifiers.contains(JavaModifier.PROTECTED) && !member.getOwner().getModifiers().contains(JavaModifier.FINAL));
    }

    /** Every type a member's signature names, generic arguments and bounds included. */
    private static Set<JavaClass> namedTypes(JavaMember member) {
        Set<JavaClass> types = new java.util.LinkedHashSet<>();
        if (member instanceof JavaField field) {
            types.addAll(field.getType().getAllInvolvedRawTypes());
        } else if (member instanceof JavaCodeUnit codeUnit) {
            types.addAll(codeUnit.getReturnType().getAllInvolvedRawTypes());
            for (JavaType parameter : codeUnit.getParameterTypes()) {
                types.addAll(parameter.getAllInvolvedRawTypes());
            }
            codeUnit.getTypeParameters().forEach(p -> types.addAll(p.getAllInvolvedRawTypes()));
            codeUnit.getThrowsClause().getTypes().forEach(types::add);
        }
        return types;
    }

    /** Every type a type's declaration names: its type parameters' bounds and its supertypes. */
    private static Set<JavaClass> declarationTypes(JavaClass type) {
        Set<JavaClass> types = new java.util.LinkedHashSet<>();
        type.getTypeParameters().forEach(p -> types.addAll(p.getAllInvolvedRawTypes()));
        type.getSuperclass().ifPresent(s -> types.addAll(s.getAllInvolvedRawTypes()));
        type.getInterfaces().forEach(i -> types.addAll(i.getAllInvolvedRawTypes()));
        return types;
    }

    private static List<JavaMember> apiMembers(JavaClass type) {
        List<JavaMember> members = new ArrayList<>();
        type.getFields().stream().filter(SpiContractTest::isApiVisible).forEach(members::add);
        type.getConstructors().stream().filter(SpiContractTest::isApiVisible).forEach(members::add);
        type.getMethods().stream().filter(SpiContractTest::isApiVisible).forEach(members::add);
        return members;
    }

    private static ArchCondition<JavaClass> onlyNameTypesInApiSignatures(
            String description, java.util.function.Predicate<JavaClass> allowed) {
        return new ArchCondition<>("name " + description + " in their declaration and public signatures") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (JavaClass named : declarationTypes(type)) {
                    if (!allowed.test(named)) {
                        events.add(SimpleConditionEvent.violated(type, String.format(
                                "%s declares a supertype or bound naming %s", type.getName(), named.getName())));
                    }
                }
                for (JavaMember member : apiMembers(type)) {
                    for (JavaClass named : namedTypes(member)) {
                        if (!allowed.test(named)) {
                            events.add(SimpleConditionEvent.violated(member, String.format(
                                    "%s names %s", member.getFullName(), named.getName())));
                        }
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> notExposeExperimentalTypesInStableMembers() {
        return new ArchCondition<>("not name @Experimental types in public signatures not marked @Experimental") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (JavaMember member : apiMembers(type)) {
                    if (member.isAnnotatedWith(EXPERIMENTAL)) {
                        continue;
                    }
                    for (JavaClass named : namedTypes(member)) {
                        if (isExperimental(named)) {
                            events.add(SimpleConditionEvent.violated(member, String.format(
                                    "stable %s exposes @Experimental %s", member.getFullName(), named.getName())));
                        }
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> notBindExperimentalTypesIntoSupertypes() {
        return new ArchCondition<>("not extend @Experimental types or bind them as supertype type arguments") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (JavaClass named : declarationTypes(type)) {
                    if (isExperimental(named)) {
                        events.add(SimpleConditionEvent.violated(type, String.format(
                                "stable %s names @Experimental %s in its supertypes or type parameters "
                                        + "(so its inherited signatures expose it)",
                                type.getName(), named.getName())));
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> beInterfacesRecordsEnumsAnnotationsOrExceptions() {
        return new ArchCondition<>("be interfaces, records, enums, annotations or exceptions") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                boolean ok = type.isInterface() || type.isRecord() || type.isEnum() || type.isAnnotation()
                        || type.isAssignableTo(Throwable.class);
                events.add(new SimpleConditionEvent(type, ok, String.format(
                        "%s is %s", type.getName(), ok ? "a contract type" : "a plain class")));
            }
        };
    }
}
