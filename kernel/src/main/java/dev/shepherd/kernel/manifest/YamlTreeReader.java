package dev.shepherd.kernel.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads YAML 1.2 (SnakeYAML Engine's node graph, which keeps positions) into a Jackson tree plus a
 * line index, so that Jackson can bind records while errors still point into the file.
 */
public final class YamlTreeReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlTreeReader() {
    }

    public static SourcedTree read(String source, String yaml) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false).build();
        Optional<Node> document;
        try {
            document = new Compose(settings).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ManifestException(List.of(source + ":" + line + ": " + e.getProblem()));
        } catch (YamlEngineException e) {
            throw new ManifestException(List.of(source + ": " + e.getMessage()));
        }
        Map<String, Integer> lines = new HashMap<>();
        if (document.isEmpty()) {
            return new SourcedTree(source, NODES.objectNode(), lines);
        }
        JsonNode root = convert(document.get(), "", lines, source);
        if (!(root instanceof ObjectNode object)) {
            throw new ManifestException(List.of(source + ":1: the manifest must be a mapping of sections"));
        }
        return new SourcedTree(source, object, lines);
    }

    private static JsonNode convert(Node node, String pointer, Map<String, Integer> lines, String source) {
        node.getStartMark().ifPresent(mark -> lines.put(pointer, mark.getLine() + 1));
        if (node instanceof MappingNode mapping) {
            ObjectNode object = NODES.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    int line = tuple.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0);
                    throw new ManifestException(List.of(source + ":" + line + ": keys must be plain strings"));
                }
                int keyLine = key.getStartMark().map(m -> m.getLine() + 1).orElse(0);
                if (object.has(key.getValue())) {
                    // The composer does not check duplicates (the constructor would): refuse them here.
                    throw new ManifestException(List.of(source + ":" + keyLine + ": duplicate key '" + key.getValue() + "'"));
                }
                String childPointer = pointer + "/" + key.getValue().replace("~", "~0").replace("/", "~1");
                object.set(key.getValue(), convert(tuple.getValueNode(), childPointer, lines, source));
                if (keyLine > 0) {
                    // A section's faults point at its key, not at the first line of its value.
                    lines.put(childPointer, keyLine);
                }
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = NODES.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                array.add(convert(items.get(i), pointer + "/" + i, lines, source));
            }
            return array;
        }
        return scalar((ScalarNode) node);
    }

    private static JsonNode scalar(ScalarNode scalar) {
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.NULL.equals(tag)) {
            return NODES.nullNode();
        }
        if (Tag.BOOL.equals(tag)) {
            return NODES.booleanNode(Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT)));
        }
        if (Tag.INT.equals(tag)) {
            BigInteger value = new BigInteger(text.replace("_", "").replace("+", ""));
            return value.bitLength() < 63 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return NODES.numberNode(new BigDecimal(text));
            } catch (NumberFormatException e) {
                return NODES.numberNode(Double.parseDouble(text.replace(".inf", "Infinity").replace(".nan", "NaN")));
            }
        }
        return NODES.textNode(text);
    }
}
