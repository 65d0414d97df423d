package org.neuroflux.model.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.neuroflux.model.Factor;
import org.neuroflux.model.Modality;

/**
 * Reads the vectors given by name: preferences C (per outcome, a constant or one value per epoch),
 * initial states D (per state) and the Dirichlet counts learn.c and learn.d.
 */
final class PriorReader {
    private final Vocabulary names;

    PriorReader(Vocabulary names) {
        this.names = names;
    }

    /** C as (No, T) column-major per modality; unnamed modalities and outcomes are 0. Null if any problem. */
    double[][] preferences(SpecNode section, int epochs) {
        return preferences(section, epochs, false);
    }

    /** learn.c: counts >= 0, given as C is (a number or T numbers per outcome; unnamed ones 0). */
    double[][] preferenceCounts(SpecNode section, int epochs) {
        return preferences(section, epochs, true);
    }

    private double[][] preferences(SpecNode section, int epochs, boolean counts) {
        String what = counts ? "a count >= 0" : "a log preference";
        int ng = names.modalities().size();
        double[][] out = new double[ng][];
        for (int g = 0; g < ng; g++) out[g] = new double[names.modality(g).outcomeCount() * epochs];
        if (!section.present()) return out;
        boolean ok = true;
        Map<Integer, SpecNode> given =
                names.byModality(section, false, "a mapping from modality names to preferences by outcome");
        for (Map.Entry<Integer, SpecNode> e : given.entrySet()) {
            int g = e.getKey();
            Modality m = names.modality(g);
            SpecNode node = e.getValue();
            int no = m.outcomeCount();
            if (!node.mapping(
                    "a mapping from outcome names of " + m.name() + " to " + what + " (a number, or a list of T = "
                            + epochs + " numbers)",
                    m.outcomes(),
                    List.of())) {
                ok = false;
                continue;
            }
            for (String key : node.keys()) {
                int o = m.indexOf(key);
                SpecNode value = node.field(key);
                if (o < 0) {
                    ok = false;
                } else if (value.isList()) {
                    List<SpecNode> items = value.elements();
                    if (items.size() != epochs) {
                        value.error("has " + items.size() + " values; expected T = " + epochs
                                + " (one per epoch) or a single number");
                        ok = false;
                        continue;
                    }
                    for (int t = 0; t < epochs; t++) {
                        Double v = counts
                                ? items.get(t).nonNegative("a finite count >= 0")
                                : items.get(t).finite("a finite number");
                        if (v == null) ok = false;
                        else out[g][o + no * t] = v;
                    }
                } else {
                    String expected = counts
                            ? "a finite count >= 0, or a list of T = " + epochs + " counts"
                            : "a finite number, or a list of T = " + epochs + " numbers";
                    Double v = counts ? value.nonNegative(expected) : value.finite(expected);
                    if (v == null) ok = false;
                    else for (int t = 0; t < epochs; t++) out[g][o + no * t] = v;
                }
            }
        }
        return ok ? out : null;
    }

    /** D per factor: "uniform" (the default), a state name, or probabilities by state. Null if any problem. */
    double[][] initialStates(SpecNode section, boolean rescale) {
        int nf = names.factors().size();
        double[][] out = new double[nf][];
        for (int f = 0; f < nf; f++) {
            out[f] = new double[names.factor(f).stateCount()];
            Arrays.fill(out[f], 1.0 / out[f].length);
        }
        if (!section.present()) return out;
        boolean ok = true;
        Map<Integer, SpecNode> given =
                names.byFactor(section, false, "a mapping from factor names to initial-state priors");
        for (Map.Entry<Integer, SpecNode> e : given.entrySet()) {
            int f = e.getKey();
            SpecNode node = e.getValue();
            Factor x = names.factor(f);
            if (node.isText() && node.json().asText().equals("uniform")) continue;
            if (node.isText()) {
                int s = names.state(f, node);
                if (s < 0) ok = false;
                else {
                    Arrays.fill(out[f], 0);
                    out[f][s] = 1;
                }
                continue;
            }
            double[] v = byState(
                    node,
                    x,
                    "probability",
                    "uniform, a state name, or a mapping from state names of " + x.name() + " to probabilities");
            if (v == null
                    || !Columns.normalise(
                            v,
                            v.length,
                            rescale,
                            node,
                            c -> "",
                            "a factor needs at least one possible initial state")) {
                ok = false;
            } else {
                out[f] = v;
            }
        }
        return ok ? out : null;
    }

    /** learn.d: counts by state for every factor, or {scale: k} for k times D. Null if any problem. */
    double[][] initialCounts(SpecNode section, double[][] initial) {
        int nf = names.factors().size();
        double[][] out = new double[nf][];
        boolean ok = true;
        Map<Integer, SpecNode> given =
                names.byFactor(section, true, "a mapping from each factor name to counts by state, or {scale: k}");
        if (given.size() != nf) ok = false;
        for (Map.Entry<Integer, SpecNode> e : given.entrySet()) {
            int f = e.getKey();
            SpecNode node = e.getValue();
            Factor x = names.factor(f);
            boolean scaled = node.isMapping()
                    && node.keys().equals(List.of("scale"))
                    && !x.states().contains("scale");
            if (scaled) {
                Double k = node.field("scale").nonNegative("a finite count scale >= 0");
                if (k == null) ok = false;
                else if (initial != null) {
                    out[f] = initial[f].clone();
                    for (int s = 0; s < out[f].length; s++) out[f][s] *= k;
                }
                continue;
            }
            double[] v = byState(
                    node, x, "count", "{scale: k}, or a mapping from state names of " + x.name() + " to counts");
            if (v == null) {
                ok = false;
                continue;
            }
            if (Arrays.stream(v).allMatch(c -> c == 0)) {
                node.warn("counts are all 0: the agent's prior over " + x.name() + " is uniform and is never learned");
            }
            out[f] = v;
        }
        return ok && initial != null ? out : null;
    }

    private static double[] byState(SpecNode node, Factor x, String what, String expected) {
        if (!node.mapping(expected, x.states(), List.of())) return null;
        double[] v = new double[x.stateCount()];
        boolean ok = true;
        for (String key : node.keys()) {
            int s = x.states().indexOf(key);
            Double value = node.field(key).nonNegative("a finite " + what + " >= 0");
            if (s < 0 || value == null) ok = false;
            else v[s] = value;
        }
        return ok ? v : null;
    }
}
