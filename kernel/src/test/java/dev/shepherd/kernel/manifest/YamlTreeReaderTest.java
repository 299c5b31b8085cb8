package dev.shepherd.kernel.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class YamlTreeReaderTest {

    @Test
    void scalarsKeepTheirYamlTypes() {
        JsonNode root = YamlTreeReader.read("t.yaml", """
                int: 42
                big: 123456789012345678901234567890
                float: 0.25
                bool: true
                nothing: null
                text: hello
                quoted: "42"
                list: [1, two]
                """).root();

        assertThat(root.get("int").isIntegralNumber()).isTrue();
        assertThat(root.get("int").asInt()).isEqualTo(42);
        assertThat(root.get("big").bigIntegerValue()).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
        assertThat(root.get("float").isNumber()).isTrue();
        assertThat(root.get("float").asDouble()).isEqualTo(0.25);
        assertThat(root.get("bool").isBoolean()).isTrue();
        assertThat(root.get("nothing").isNull()).isTrue();
        assertThat(root.get("text").asText()).isEqualTo("hello");
        assertThat(root.get("quoted").isTextual()).as("a quoted number stays a string").isTrue();
        assertThat(root.get("list")).hasSize(2);
    }

    @Test
    void everyNodeRemembersTheLineOfItsKey() {
        SourcedTree tree = YamlTreeReader.read("t.yaml", """
                server:
                  port: 1

                workers:
                  - http://a:1
                  - url: http://b:2
                """);

        assertThat(tree.lines()).containsEntry("/server", 1)
                .containsEntry("/server/port", 2)
                .containsEntry("/workers", 4)
                .containsEntry("/workers/0", 5)
                .containsEntry("/workers/1", 6)
                .containsEntry("/workers/1/url", 6);
        assertThat(tree.locate("/server")).isEqualTo("t.yaml:1: server");
        assertThat(tree.locate("/server/port")).isEqualTo("t.yaml:2: server.port");
        assertThat(tree.locate("/workers/1/url")).isEqualTo("t.yaml:6: workers[1].url");
    }

    @Test
    void aPathWithoutALineIsLocatedAtItsNearestAncestor() {
        SourcedTree tree = YamlTreeReader.read("t.yaml", "\nhealth:\n  endpoint: /x\n");

        assertThat(tree.locate("/health/failure_threshold")).isEqualTo("t.yaml:2: health.failure_threshold");
        assertThat(tree.locate("/nowhere/at/all")).startsWith("t.yaml:").endsWith(": nowhere.at.all");
    }

    @Test
    void anEmptyDocumentIsAnEmptyManifest() {
        SourcedTree tree = YamlTreeReader.read("<defaults>", "");

        assertThat(tree.root().isEmpty()).isTrue();
        assertThat(tree.locate("/server/port")).isEqualTo("<defaults>: server.port");
    }

    @Test
    void syntaxErrorsNameFileAndLine() {
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> YamlTreeReader.read("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n"));

        assertThat(e.faults()).singleElement().asString().matches("bad\\.yaml:[2-4]: .+");
    }

    @Test
    void duplicateKeysAreRefusedAtTheSecondOccurrence() {
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> YamlTreeReader.read("dup.yaml", "routing:\n  policy: a\nhealth: {}\nrouting:\n  policy: b\n"));

        assertThat(e).as("a duplicate key must not silently replace the first").isNotNull();
        assertThat(e.faults()).singleElement().asString().startsWith("dup.yaml:4: ").contains("routing");
    }

    @Test
    void nonScalarKeysAreRefused() {
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> YamlTreeReader.read("k.yaml", "? [a, b]\n: 1\n"));

        assertThat(e.faults()).singleElement().asString().startsWith("k.yaml").containsIgnoringCase("scalar");
    }

    @Test
    void displayPathsUseDotsAndIndexes() {
        assertThat(SourcedTree.displayPath("")).isEqualTo("(top level)");
        assertThat(SourcedTree.displayPath("/routing/policies/0/x")).isEqualTo("routing.policies[0].x");
        assertThat(SourcedTree.displayPath("/labels/a~1b")).isEqualTo("labels.a/b");
    }
}
