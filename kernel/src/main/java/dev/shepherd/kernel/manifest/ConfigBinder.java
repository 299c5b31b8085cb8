package dev.shepherd.kernel.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Binds parts of a manifest tree to records, turning Jackson's failures into faults that name the
 * file, the line and the YAML path, and collecting them instead of stopping at the first.
 */
public final class ConfigBinder {

    private final SourcedTree tree;
    private final List<String> faults;

    public ConfigBinder(SourcedTree tree, List<String> faults) {
        this.tree = tree;
        this.faults = faults;
    }

    /**
     * Binds the node at {@code pointer} (a missing node binds as an empty object) to {@code type}.
     * Returns null and records a fault when it cannot.
     */
    public <T> T bind(String pointer, Class<T> type) {
        JsonNode node = tree.root().at(pointer);
        if (node.isMissingNode() || node.isNull()) {
            node = JsonNodeFactory.instance.objectNode();
        }
        try {
            return Mappers.binding().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            faults.add(describe(pointer, e));
            return null;
        } catch (IllegalArgumentException e) {
            faults.add(tree.locate(pointer) + ": " + e.getMessage());
            return null;
        }
    }

    /** Records a fault at a path, e.g. for a cross-field check done after binding. */
    public void fault(String pointer, String message) {
        faults.add(tree.locate(pointer) + ": " + message);
    }

    public SourcedTree tree() {
        return tree;
    }

    private String describe(String base, JsonProcessingException e) {
        String pointer = base + pointerOf(e);
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return tree.locate(pointer) + ": unknown key '" + u.getPropertyName() + "'"
                    + (known.isEmpty() ? "" : " (known keys: " + known + ")");
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() == null ? v : v.getCause();
            return tree.locate(pointer) + ": " + cause.getMessage();
        }
        if (e instanceof InvalidFormatException f) {
            return tree.locate(pointer) + ": bad value '" + f.getValue() + "', expected "
                    + describeType(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return tree.locate(pointer) + ": expected " + describeType(m.getTargetType());
        }
        if (e instanceof DatabindException d && d.getCause() instanceof IllegalArgumentException cause) {
            return tree.locate(pointer) + ": " + cause.getMessage();
        }
        return tree.locate(pointer) + ": " + e.getOriginalMessage();
    }

    private static String pointerOf(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('/').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('/').append(ref.getIndex());
            }
        }
        return sb.toString();
    }

    private static String describeType(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a mapping";
    }
}
