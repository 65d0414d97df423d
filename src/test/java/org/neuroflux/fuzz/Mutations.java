package org.neuroflux.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Mutations of valid inputs for the property tests: character edits on the text, and value swaps
 * in the JSON tree (a number for a huge, negative, fractional or non-numeric value; a list for a
 * scalar; a field dropped or added), driven by one seed so that jqwik can shrink and replay them.
 */
final class Mutations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String CHARS = "{}[]\",:0123456789.-eE+ ntrufalsx\\\u00e9\u0000";

    private Mutations() {}

    /** Applies 1..3 character edits: delete, insert, duplicate a slice, or cut the text short. */
    static String text(String s, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, CHARS.charAt(r.nextInt(CHARS.length())));
                case 2 -> {
                    int end = Math.min(sb.length(), at + 1 + r.nextInt(20));
                    sb.insert(at, sb.substring(at, end));
                }
                default -> sb.setLength(at);
            }
        }
        return sb.toString();
    }

    /** Replaces 1..3 values of the JSON tree with hostile ones; returns the new text. */
    static String tree(String json, long seed) {
        Random r = new Random(seed);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            JsonNode parent = containers.get(r.nextInt(containers.size()));
            if (parent instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) names.add(it.next());
                String name = names.get(r.nextInt(names.size()));
                switch (r.nextInt(6)) {
                    case 0 -> o.remove(name);
                    case 1 -> o.set("x" + r.nextInt(3), hostile(r));
                    default -> o.set(name, hostile(r));
                }
            } else if (parent instanceof ArrayNode a && a.size() > 0) {
                int i = r.nextInt(a.size());
                switch (r.nextInt(5)) {
                    case 0 -> a.remove(i);
                    case 1 -> a.add(a.get(i).deepCopy());
                    default -> a.set(i, hostile(r));
                }
            }
        }
        return root.toString();
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (JsonNode c : n) collect(c, out);
        }
    }

    /** A value that breaks expectations: limits, signs, fractions, types, nesting. */
    static JsonNode hostile(Random r) {
        return switch (r.nextInt(16)) {
            case 0 -> F.numberNode(new BigInteger("18446744073709551618"));
            case 1 -> F.numberNode(-1);
            case 2 -> F.numberNode(0);
            case 3 -> F.numberNode(1.5);
            case 4 -> F.numberNode(1e300);
            case 5 -> F.numberNode(1_000_000_000);
            case 6 -> F.numberNode(Integer.MAX_VALUE + 1L);
            case 7 -> F.textNode("x");
            case 8 -> F.nullNode();
            case 9 -> F.booleanNode(true);
            case 10 -> F.arrayNode();
            case 11 -> F.objectNode();
            case 12 -> F.arrayNode().add(F.arrayNode().add(F.arrayNode().add(1)));
            case 13 -> F.numberNode(2);
            case 14 -> F.numberNode(100_000);
            default -> F.numberNode(r.nextInt(7));
        };
    }
}
