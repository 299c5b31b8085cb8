package dev.shepherd.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Locations;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The committed list of every public SPI type and member signature (after Trino's
 * {@code TestSpiBackwardCompatibility}): any change to the SPI's public surface shows up as a diff of
 * {@code src/test/resources/spi-signatures.txt} and so is made on purpose, in review.
 *
 * <p>Regenerate after a deliberate change, then review and commit the file:
 * <pre>
 * ./mvnw -pl testing/architecture-tests -am install -Dspi.signatures.update=true \
 *     -Dtest=SpiSignatureSnapshotTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * ({@code -Dtest} only skips the other tests; {@code -am} rebuilds the SPI first.)
 */
class SpiSignatureSnapshotTest {

    static final String SNAPSHOT = "spi-signatures.txt";
    static final String UPDATE_PROPERTY = "spi.signatures.update";
    private static final String MODULE = "testing/architecture-tests";
    private static final String SPI_PACKAGE = "dev.shepherd.spi";

    @Test
    void publicSpiSignaturesMatchTheCommittedSnapshot() throws IOException {
        List<String> actual = render();
        assertFalse(actual.isEmpty(), "no SPI classes found on the test classpath");

        Path source = snapshotInSourceTree();
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            if (source == null) {
                fail("cannot locate " + MODULE + "/src/test/resources/" + SNAPSHOT
                        + ": run the test through Maven (surefire passes 'basedir')");
            }
            Files.createDirectories(source.getParent());
            Files.write(source, actual, StandardCharsets.UTF_8);
            return;
        }

        List<String> expected = readSnapshot(source);
        if (!expected.equals(actual)) {
            fail(mismatchMessage(expected, actual, source));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // rendering

    /** Every public SPI type and its public (and, where extendable, protected) members, sorted. */
    static List<String> render() {
        TreeSet<String> lines = new TreeSet<>();
        for (JavaClass imported : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(Locations.ofPackage(SPI_PACKAGE))) {
            if (!imported.getPackageName().equals(SPI_PACKAGE)
                    && !imported.getPackageName().startsWith(SPI_PACKAGE + ".")) {
                continue;
            }
            if (imported.isAnonymousClass() || imported.isLocalClass()) {
                continue;
            }
            Class<?> type = load(imported.getName());
            if (type.isSynthetic() || !isApiVisible(type)) {
                continue;
            }
            // "Owner : declaration" sorts before "Owner#member : signature", which sorts before the
            // nested "Owner$Inner : declaration": each type reads top-down, then its nested types.
            String owner = type.getName();
            lines.add(owner + " : " + declaration(type));
            for (Field field : type.getDeclaredFields()) {
                if (isApiVisible(field, type)) {
                    lines.add(owner + "#" + field.getName() + " : " + annotations(field)
                            + modifiers(field.getModifiers() & Modifier.fieldModifiers())
                            + name(field.getGenericType()) + " " + field.getName());
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (isApiVisible(constructor, type)) {
                    lines.add(owner + "#<init> : " + annotations(constructor)
                            + modifiers(constructor.getModifiers() & Modifier.constructorModifiers())
                            + typeParameters(constructor.getTypeParameters(), true)
                            + type.getSimpleName() + parameters(constructor) + throwsClause(constructor));
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (isApiVisible(method, type) && !method.isBridge()) {
                    lines.add(owner + "#" + method.getName() + " : " + annotations(method)
                            + modifiers(method.getModifiers() & Modifier.methodModifiers())
                            + (method.isDefault() ? "default " : "")
                            + typeParameters(method.getTypeParameters(), true)
                            + name(method.getGenericReturnType()) + " " + method.getName() + parameters(method)
                            + throwsClause(method) + defaultValue(method));
                }
            }
        }
        return new ArrayList<>(lines);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, SpiSignatureSnapshotTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("imported but not loadable: " + name, e);
        }
    }

    private static boolean isApiVisible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isApiVisible(Member member, Class<?> owner) {
        if (member.isSynthetic()) {
            return false;
        }
        int modifiers = member.getModifiers();
        return Modifier.isPublic(modifiers)
                || (Modifier.isProtected(modifiers) && !Modifier.isFinal(owner.getModifiers()) && !owner.isInterface());
    }

    private static String declaration(Class<?> type) {
        StringBuilder out = new StringBuilder(annotations(type));
        int modifiers = type.getModifiers() & Modifier.classModifiers();
        String kind;
        if (type.isAnnotation()) {
            kind = "@interface";
            modifiers &= ~Modifier.ABSTRACT;
        } else if (type.isInterface()) {
            kind = "interface";
            modifiers &= ~Modifier.ABSTRACT;
        } else if (type.isRecord()) {
            kind = "record";
        } else if (type.isEnum()) {
            kind = "enum";
        } else {
            kind = "class";
        }
        out.append(modifiers(modifiers));
        if (type.isSealed()) {
            out.append("sealed ");
        }
        out.append(kind).append(' ').append(type.getSimpleName())
                .append(typeParameters(type.getTypeParameters(), false));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && superclass != Record.class
                && !(type.isEnum() && type.getSuperclass() == Enum.class)) {
            out.append(" extends ").append(name(superclass));
        }
        Type[] interfaces = type.isAnnotation() ? new Type[0] : type.getGenericInterfaces();
        if (interfaces.length > 0) {
            out.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(SpiSignatureSnapshotTest::name)
                            .sorted().collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            out.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        return out.toString();
    }

    private static String annotations(AnnotatedElement element) {
        return Arrays.stream(element.getAnnotations())
                .map(a -> "@" + a.annotationType().getName() + " ")
                .sorted()
                .collect(Collectors.joining());
    }

    private static String modifiers(int modifiers) {
        String rendered = Modifier.toString(modifiers);
        return rendered.isEmpty() ? "" : rendered + " ";
    }

    private static String typeParameters(TypeVariable<?>[] variables, boolean trailingSpace) {
        if (variables.length == 0) {
            return "";
        }
        String rendered = Arrays.stream(variables).map(v -> {
            Type[] bounds = v.getBounds();
            if (bounds.length == 1 && bounds[0] == Object.class) {
                return v.getName();
            }
            return v.getName() + " extends " + Arrays.stream(bounds).map(SpiSignatureSnapshotTest::name)
                    .collect(Collectors.joining(" & "));
        }).collect(Collectors.joining(", ", "<", ">"));
        return trailingSpace ? rendered + " " : rendered;
    }

    private static String parameters(Executable executable) {
        Type[] types = executable.getGenericParameterTypes();
        List<String> rendered = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String name = name(types[i]);
            if (executable.isVarArgs() && i == types.length - 1 && name.endsWith("[]")) {
                name = name.substring(0, name.length() - 2) + "...";
            }
            rendered.add(name);
        }
        return rendered.stream().collect(Collectors.joining(", ", "(", ")"));
    }

    private static String throwsClause(Executable executable) {
        Type[] exceptions = executable.getGenericExceptionTypes();
        if (exceptions.length == 0) {
            return "";
        }
        return " throws " + Arrays.stream(exceptions).map(SpiSignatureSnapshotTest::name).sorted()
                .collect(Collectors.joining(", "));
    }

    private static String defaultValue(Method method) {
        Object value = method.getDefaultValue();
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            return " default " + Arrays.deepToString(new Object[] {value});
        }
        if (value instanceof Annotation annotation) {
            return " default @" + annotation.annotationType().getName();
        }
        return " default " + Objects.toString(value);
    }

    private static String name(Type type) {
        return type.getTypeName();
    }

    // ---------------------------------------------------------------------------------------------
    // the committed file

    /** The snapshot in the source tree, found from the directories surefire passes; null when unknown. */
    static Path snapshotInSourceTree() {
        List<Path> candidates = new ArrayList<>();
        String basedir = System.getProperty("basedir");
        if (basedir != null && !basedir.isBlank()) {
            candidates.add(Path.of(basedir));
        }
        String root = System.getProperty("maven.multiModuleProjectDirectory");
        if (root != null && !root.isBlank()) {
            candidates.add(Path.of(root).resolve(MODULE));
        }
        candidates.add(Path.of("").toAbsolutePath());
        for (Path module : candidates) {
            if (Files.isRegularFile(module.resolve("pom.xml")) && module.endsWith(Path.of("testing", "architecture-tests"))) {
                return module.resolve("src/test/resources").resolve(SNAPSHOT);
            }
        }
        return null;
    }

    private static List<String> readSnapshot(Path source) throws IOException {
        if (source != null && Files.isRegularFile(source)) {
            return Files.readAllLines(source, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList();
        }
        try (InputStream in = SpiSignatureSnapshotTest.class.getResourceAsStream("/" + SNAPSHOT)) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList();
        }
    }

    private static String mismatchMessage(List<String> expected, List<String> actual, Path source) {
        TreeSet<String> removed = new TreeSet<>(expected);
        removed.removeAll(actual);
        TreeSet<String> added = new TreeSet<>(actual);
        added.removeAll(expected);
        TreeSet<String> changed = new TreeSet<>(removed);
        changed.addAll(added);

        StringBuilder message = new StringBuilder()
                .append("The public SPI changed: ").append(removed.size()).append(" signature(s) removed (-), ")
                .append(added.size()).append(" added (+) against ")
                .append(source != null ? source : "src/test/resources/" + SNAPSHOT).append(".\n")
                .append("A removed or changed line breaks every plugin compiled against the old SPI.\n")
                .append("--- ").append(SNAPSHOT).append(" (committed)\n")
                .append("+++ ").append(SNAPSHOT).append(" (current spi classes)\n");
        for (String line : changed) {
            message.append(removed.contains(line) ? "- " : "+ ").append(line).append('\n');
        }
        message.append("If the change is deliberate (and SpiVersion and plugin.requires follow it where it breaks"
                        + " compatibility), regenerate the file and commit it with the change:\n")
                .append("    ./mvnw -pl ").append(MODULE).append(" -am install -D").append(UPDATE_PROPERTY).append("=true")
                .append(" -Dtest=SpiSignatureSnapshotTest -Dsurefire.failIfNoSpecifiedTests=false\n")
                .append("then review the diff of ").append(MODULE).append("/src/test/resources/").append(SNAPSHOT).append('.');
        return message.toString();
    }
}
