package dev.shepherd.kernel.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A manifest as a JSON tree, with the line each node came from so that binding errors can say
 * where in the file the fault is.
 *
 * @param source the file name (or a label such as {@code <defaults>})
 * @param root the tree
 * @param lines JSON pointer of a node ({@code /routing/policy}) to its 1-based line
 */
public record SourcedTree(String source, ObjectNode root, Map<String, Integer> lines) {

    /** The line recorded for values set by command-line flags. */
    public static final int COMMAND_LINE = 0;

    /** "file:line: path" for a JSON pointer, falling back to the nearest ancestor that has a line. */
    public String locate(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null && line == COMMAND_LINE) {
                return "command line: " + displayPath(pointer);
            }
            if (line != null) {
                return source + ":" + line + ": " + displayPath(pointer);
            }
            if (p.isEmpty()) {
                return source + ": " + displayPath(pointer);
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** {@code /routing/policies/0/x} as {@code routing.policies[0].x}. */
    static String displayPath(String pointer) {
        if (pointer.isEmpty()) {
            return "(top level)";
        }
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            if (part.chars().allMatch(Character::isDigit) && !part.isEmpty()) {
                sb.append('[').append(part).append(']');
            } else {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.toString();
    }
}
