package org.neuroflux.model.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuroflux.model.ProblemCollector;

/**
 * A value of a native model file together with its field path, so that every check can report
 * where it looked. Checks never throw: they record a problem and return null (or false), and the
 * reader carries on so the user sees every problem at once.
 *
 * <p>Paths use dots for named fields and 1-based positions in brackets: {@code policies[3].location[2]}.
 */
final class SpecNode {
    private final JsonNode json;
    private final String path;
    private final ProblemCollector problems;

    SpecNode(JsonNode json, String path, ProblemCollector problems) {
        this.json = json;
        this.path = path;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    JsonNode json() {
        return json;
    }

    ProblemCollector problems() {
        return problems;
    }

    boolean present() {
        return !json.isMissingNode();
    }

    boolean isText() {
        return json.isTextual();
    }

    boolean isMapping() {
        return json.isObject();
    }

    boolean isList() {
        return json.isArray();
    }

    /** The named field, present or not. */
    SpecNode field(String key) {
        return new SpecNode(json.path(key), path.isEmpty() ? key : path + "." + key, problems);
    }

    /** The same value reported under another path, e.g. {@code A[2]} for the modality named in {@code A}. */
    SpecNode as(String newPath) {
        return new SpecNode(json, newPath, problems);
    }

    /** Elements of a list, with paths {@code path[1]}, {@code path[2]}, ... */
    List<SpecNode> elements() {
        List<SpecNode> out = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) out.add(new SpecNode(json.get(i), path + "[" + (i + 1) + "]", problems));
        return out;
    }

    /** Keys of a mapping, in file order. */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    void error(String message) {
        problems.error(path, message);
    }

    void warn(String message) {
        problems.warn(path, message);
    }

    /**
     * Checks that this is a mapping whose keys are all allowed and which has every required key.
     * Returns false (with a problem recorded) if it is not a mapping at all.
     */
    boolean mapping(String what, Collection<String> allowed, Collection<String> required) {
        if (!json.isObject()) {
            error("is " + kind() + "; expected " + what);
            return false;
        }
        for (String key : keys()) {
            if (!allowed.contains(key)) error("unknown field '" + key + "'; allowed: " + String.join(", ", allowed));
        }
        for (String key : required) {
            if (!json.has(key)) error("missing required field '" + key + "'");
        }
        return true;
    }

    /** Checks that this is a list; null otherwise. */
    List<SpecNode> list(String what) {
        if (!json.isArray()) {
            error("is " + kind() + "; expected " + what);
            return null;
        }
        return elements();
    }

    /** A name: a non-empty string. Explains YAML's readings of null, yes/no and numbers. */
    String name(String what) {
        if (json.isTextual() && !json.asText().isBlank()) return json.asText();
        if (json.isTextual()) {
            error("is an empty string; expected " + what);
        } else if (json.isNull()) {
            error("is null; expected " + what
                    + " (YAML reads null, ~ and an empty value as nothing: write \"null\" in quotes for the name)");
        } else if (json.isBoolean()) {
            error("is the boolean " + json.asText() + "; expected " + what
                    + " (YAML reads yes, no, on, off, true and false as booleans: put the name in quotes)");
        } else if (json.isNumber()) {
            error("is the number " + json.asText() + "; expected " + what + " (put it in quotes to use it as a name)");
        } else {
            error("is " + kind() + "; expected " + what);
        }
        return null;
    }

    /** A finite number; null (with a problem) otherwise. */
    Double finite(String expected) {
        if (!json.isNumber()) {
            error("is " + kind() + "; expected " + expected);
            return null;
        }
        double v = json.asDouble();
        if (!Double.isFinite(v)) {
            error("is " + fmt(v) + "; expected " + expected);
            return null;
        }
        return v;
    }

    /** A finite number >= 0 (a probability or a count). */
    Double nonNegative(String expected) {
        Double v = finite(expected);
        if (v != null && v < 0) {
            error("is " + fmt(v) + "; expected " + expected);
            return null;
        }
        return v;
    }

    /** A whole number >= min. */
    Integer whole(int min, String expected) {
        if (!json.isNumber()
                || json.asDouble() != Math.rint(json.asDouble())
                || json.asDouble() < min
                || json.asDouble() > Integer.MAX_VALUE) {
            error("is " + kind() + "; expected " + expected);
            return null;
        }
        return json.asInt();
    }

    /** A boolean, or the fallback when absent. */
    boolean flag(boolean fallback) {
        if (!present()) return fallback;
        if (!json.isBoolean()) {
            error("is " + kind() + "; expected true or false");
            return fallback;
        }
        return json.asBoolean();
    }

    /** Describes the value for messages: "the string 'x'", "a list of 3", "null". */
    String kind() {
        if (json.isMissingNode()) return "missing";
        if (json.isNull()) return "null";
        if (json.isTextual()) return "the string '" + json.asText() + "'";
        if (json.isNumber()) return fmt(json.asDouble());
        if (json.isBoolean()) return "the boolean " + json.asText();
        if (json.isArray()) return json.isEmpty() ? "an empty list" : "a list of " + json.size();
        if (json.isObject()) return json.isEmpty() ? "an empty mapping" : "a mapping";
        return json.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    /** Numbers for messages: whole numbers without ".0". */
    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    /** A column sum for messages: two decimals, or enough digits to show that it is not 1. */
    static String sum(double v) {
        String two = String.format(Locale.ROOT, "%.2f", v);
        return two.equals("1.00") || (two.equals("0.00") && v != 0) ? String.format(Locale.ROOT, "%.12g", v) : two;
    }

    /** "a, b, c" for messages listing the valid choices. */
    static String choices(Collection<String> names) {
        return String.join(", ", names);
    }

    /** Entries of a mapping as child nodes keyed by name. */
    List<Map.Entry<String, SpecNode>> entries() {
        List<Map.Entry<String, SpecNode>> out = new ArrayList<>();
        for (String key : keys()) out.add(Map.entry(key, field(key)));
        return out;
    }
}
