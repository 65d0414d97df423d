package org.neuroflux.model.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.model.Factor;
import org.neuroflux.model.Modality;

/**
 * The names a model file declares (factors with their states and controls, modalities with their
 * outcomes) and the look-ups that turn names used elsewhere in the file into 0-based indices.
 */
final class Vocabulary {
    /** The control of a factor whose file gives no controls. */
    static final String DEFAULT_CONTROL = "none";

    private final List<Factor> factors;
    private final List<Modality> modalities;

    private Vocabulary(List<Factor> factors, List<Modality> modalities) {
        this.factors = factors;
        this.modalities = modalities;
    }

    /** Reads {@code factors} and {@code modalities}; either list is null if it had problems. */
    static Vocabulary read(SpecNode root) {
        return new Vocabulary(readFactors(root.field("factors")), readModalities(root.field("modalities")));
    }

    boolean hasFactors() {
        return factors != null;
    }

    boolean hasModalities() {
        return modalities != null;
    }

    List<Factor> factors() {
        return factors;
    }

    List<Modality> modalities() {
        return modalities;
    }

    Factor factor(int f) {
        return factors.get(f);
    }

    Modality modality(int g) {
        return modalities.get(g);
    }

    List<String> factorNames() {
        return factors.stream().map(Factor::name).toList();
    }

    List<String> modalityNames() {
        return modalities.stream().map(Modality::name).toList();
    }

    /** 0-based state of factor f named by node, or -1 (with a problem listing the states). */
    int state(int f, SpecNode node) {
        return lookup(
                node, factors.get(f).states(), "a state of " + factors.get(f).name());
    }

    int outcome(int g, SpecNode node) {
        return lookup(
                node,
                modalities.get(g).outcomes(),
                "an outcome of " + modalities.get(g).name());
    }

    int control(int f, SpecNode node) {
        return lookup(
                node,
                factors.get(f).controls(),
                "a control of " + factors.get(f).name());
    }

    /** Index of the name at node in names, or -1 with a problem listing the names. */
    static int lookup(SpecNode node, List<String> names, String what) {
        String expected = what + ": " + SpecNode.choices(names);
        String name = node.name(expected);
        if (name == null) return -1;
        int i = names.indexOf(name);
        if (i < 0) node.error("is '" + name + "'; expected " + expected);
        return i;
    }

    /**
     * A section keyed by factor name (B, D, learn.d): checks the keys and returns the values by
     * 0-based factor, each reported under {@code section[f]} (1-based).
     */
    Map<Integer, SpecNode> byFactor(SpecNode section, boolean everyFactor, String what) {
        return keyed(section, factorNames(), everyFactor, what);
    }

    /** A section keyed by modality name (A, C, learn.a). */
    Map<Integer, SpecNode> byModality(SpecNode section, boolean everyModality, String what) {
        return keyed(section, modalityNames(), everyModality, what);
    }

    private static Map<Integer, SpecNode> keyed(SpecNode section, List<String> names, boolean all, String what) {
        Map<Integer, SpecNode> out = new LinkedHashMap<>();
        if (!section.mapping(what, names, all ? names : List.of())) return out;
        for (int i = 0; i < names.size(); i++) {
            SpecNode value = section.field(names.get(i));
            if (value.present()) out.put(i, value.as(section.path() + "[" + (i + 1) + "]"));
        }
        return out;
    }

    private static List<Factor> readFactors(SpecNode node) {
        List<SpecNode> items = declarations(node, "factors", "a list of factors, each {name, states, controls}");
        if (items == null) return null;
        List<Factor> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (SpecNode item : items) {
            if (!item.mapping(
                    "a factor {name, states, controls}",
                    List.of("name", "states", "controls"),
                    List.of("name", "states"))) {
                out = null;
                continue;
            }
            String name = declaredName(item, seen, "factor");
            if ("name".equals(name))
                item.field("name")
                        .error("is 'name', which policies use for their own name; choose another factor name");
            List<String> states = names(item.field("states"), "state");
            List<String> controls = item.field("controls").present()
                    ? names(item.field("controls"), "control")
                    : List.of(DEFAULT_CONTROL);
            if (name == null || states == null || controls == null || out == null) out = null;
            else out.add(new Factor(name, states, controls));
        }
        return out;
    }

    private static List<Modality> readModalities(SpecNode node) {
        List<SpecNode> items = declarations(node, "modalities", "a list of modalities, each {name, outcomes}");
        if (items == null) return null;
        List<Modality> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (SpecNode item : items) {
            if (!item.mapping(
                    "a modality {name, outcomes}", List.of("name", "outcomes"), List.of("name", "outcomes"))) {
                out = null;
                continue;
            }
            String name = declaredName(item, seen, "modality");
            List<String> outcomes = names(item.field("outcomes"), "outcome");
            if (name == null || outcomes == null || out == null) out = null;
            else out.add(new Modality(name, outcomes));
        }
        return out;
    }

    private static List<SpecNode> declarations(SpecNode node, String field, String what) {
        if (!node.present()) return null; // reported as a missing required field
        List<SpecNode> items = node.list(what);
        if (items != null && items.isEmpty()) {
            node.error("is an empty list; expected at least one entry in " + field);
            return null;
        }
        return items;
    }

    private static String declaredName(SpecNode item, Map<String, String> seen, String what) {
        SpecNode field = item.field("name");
        if (!field.present()) return null;
        String name = field.name("a " + what + " name");
        if (name == null) return null;
        String first = seen.putIfAbsent(name, field.path());
        if (first != null) field.error("duplicate " + what + " name '" + name + "' (first declared at " + first + ")");
        return name; // kept despite a duplicate, so that later sections can still be checked
    }

    /** A non-empty list of distinct names. */
    private static List<String> names(SpecNode node, String what) {
        if (!node.present()) return null;
        List<SpecNode> items = node.list("a list of " + what + " names");
        if (items == null) return null;
        if (items.isEmpty()) {
            node.error("is an empty list; expected at least one " + what);
            return null;
        }
        List<String> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        boolean ok = true;
        for (SpecNode item : items) {
            String name = item.name("a " + what + " name");
            if (name == null) {
                ok = false;
                continue;
            }
            String first = seen.putIfAbsent(name, item.path());
            if (first != null) item.error("duplicate " + what + " name '" + name + "' (first at " + first + ")");
            out.add(name); // kept despite a duplicate: look-ups find the first, later sections are still checked
        }
        return ok ? out : null;
    }
}
