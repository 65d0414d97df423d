package org.neuroflux.model.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neuroflux.model.Modality;

/**
 * Reads the likelihood A and its Dirichlet counts learn.a. Each modality is given as a list of
 * rules, applied in order; a rule sets the outcome distribution of every column (combination of
 * hidden states) its {@code when} matches, overwriting earlier rules:
 *
 * <pre>
 * - when: {location: left, context: left-better}   # omitted: every column
 *   p: {positive: 0.98, negative: 0.02}            # or outcome: none, or oneOf: [red, green]
 * </pre>
 *
 * For counts, {@code scale: k} alone means k times A's column, and with outcome/oneOf/p it
 * multiplies them; a single rule may be written without the list.
 */
final class LikelihoodReader {
    private static final List<String> RULE_FIELDS = List.of("when", "outcome", "oneOf", "p");
    private static final List<String> COUNT_RULE_FIELDS = List.of("when", "outcome", "oneOf", "p", "scale");
    private static final long MAX_ENTRIES = 20_000_000L;

    private final Vocabulary names;
    private final int nf;
    private final int joint;

    LikelihoodReader(Vocabulary names) {
        this.names = names;
        this.nf = names.factors().size();
        long n = 1;
        for (int f = 0; f < nf; f++) n *= names.factor(f).stateCount();
        this.joint = (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** A: every modality required; columns checked (and rescaled if asked). Null if any problem. */
    double[][] likelihood(SpecNode section, boolean rescale) {
        int ng = names.modalities().size();
        Map<Integer, SpecNode> given =
                names.byModality(section, true, "a mapping from each modality name to its rules");
        double[][] out = new double[ng][];
        boolean ok = given.size() == ng;
        for (Map.Entry<Integer, SpecNode> e : given.entrySet()) {
            int g = e.getKey();
            double[] a = rules(g, e.getValue(), false, null);
            if (a == null) {
                ok = false;
                continue;
            }
            int no = names.modality(g).outcomeCount();
            ok &= Columns.normalise(
                    a, no, rescale, e.getValue(), c -> "column " + columnLabel(c), "no outcome is possible there");
            out[g] = a;
        }
        return ok ? out : null;
    }

    /** learn.a: counts for every modality (scale rules need A, so null A skips them). */
    double[][] counts(SpecNode section, double[][] likelihood) {
        int ng = names.modalities().size();
        Map<Integer, SpecNode> given =
                names.byModality(section, true, "a mapping from each modality name to its count rules");
        double[][] out = new double[ng][];
        boolean ok = given.size() == ng;
        for (Map.Entry<Integer, SpecNode> e : given.entrySet()) {
            out[e.getKey()] = rules(e.getKey(), e.getValue(), true, likelihood == null ? null : likelihood[e.getKey()]);
            ok &= out[e.getKey()] != null;
        }
        return ok ? out : null;
    }

    /** Applies the rules of modality g: probabilities for A, or counts (base is then A[g], for scale rules). */
    private double[] rules(int g, SpecNode node, boolean counts, double[] base) {
        Modality m = names.modality(g);
        int no = m.outcomeCount();
        if ((long) no * joint > MAX_ENTRIES) {
            node.error("would hold " + (long) no * joint + " entries; at most " + MAX_ENTRIES + " are supported");
            return null;
        }
        List<SpecNode> rules = node.isMapping()
                ? List.of(node)
                : node.list("a list of rules {when, " + (counts ? "scale, " : "") + "outcome | oneOf | p}");
        if (rules == null) return null;
        if (rules.isEmpty()) {
            node.error("is an empty list; expected at least one rule");
            return null;
        }
        double[] x = new double[no * joint];
        boolean[] covered = new boolean[joint];
        boolean ok = true;
        for (SpecNode rule : rules) {
            if (!rule.mapping(
                    "a rule {when, " + (counts ? "scale, " : "") + "outcome | oneOf | p}",
                    counts ? COUNT_RULE_FIELDS : RULE_FIELDS,
                    List.of())) {
                ok = false;
                continue;
            }
            boolean[][] match = when(rule.field("when"));
            Double scale = rule.field("scale").present()
                    ? rule.field("scale").nonNegative("a finite count scale >= 0")
                    : Double.valueOf(1);
            double[] column = outcomes(g, rule, counts);
            boolean scaleOnly = counts && column == null && rule.field("scale").present() && !hasOutcomeField(rule);
            if (match == null || scale == null || (column == null && !scaleOnly)) {
                ok = false;
                continue;
            }
            if (scaleOnly && base == null) continue; // A itself had problems, reported there
            for (int j = 0; j < joint; j++) {
                if (!matches(match, j)) continue;
                covered[j] = true;
                for (int o = 0; o < no; o++) x[j * no + o] = scale * (scaleOnly ? base[j * no + o] : column[o]);
            }
        }
        if (!ok) return null;
        List<Integer> uncovered = new ArrayList<>();
        for (int j = 0; j < joint; j++) if (!covered[j]) uncovered.add(j);
        if (!uncovered.isEmpty() && !counts) {
            for (int i = 0; i < Math.min(uncovered.size(), Columns.MAX_REPORTED); i++) {
                node.error("column " + columnLabel(uncovered.get(i))
                        + " is matched by no rule; expected an outcome for every combination of states"
                        + " (start with a rule without when to set a default)");
            }
            if (uncovered.size() > Columns.MAX_REPORTED)
                node.error("and " + (uncovered.size() - Columns.MAX_REPORTED) + " more unmatched column(s)");
            return null;
        }
        if (!uncovered.isEmpty()) {
            node.warn(uncovered.size() + " column(s), e.g. " + columnLabel(uncovered.get(0))
                    + ", are matched by no rule and hold no counts:"
                    + " the agent's likelihood there is uniform and is never learned");
        }
        return x;
    }

    private static boolean hasOutcomeField(SpecNode rule) {
        return rule.field("outcome").present()
                || rule.field("oneOf").present()
                || rule.field("p").present();
    }

    /** Per factor, which states the rule's when matches (all when the factor is not named). */
    private boolean[][] when(SpecNode when) {
        boolean[][] match = new boolean[nf][];
        for (int f = 0; f < nf; f++) {
            match[f] = new boolean[names.factor(f).stateCount()];
            Arrays.fill(match[f], true);
        }
        if (!when.present()) return match;
        if (!when.mapping("a mapping from factor names to a state or a list of states", names.factorNames(), List.of()))
            return null;
        boolean ok = true;
        for (int f = 0; f < nf; f++) {
            SpecNode value = when.field(names.factor(f).name());
            if (!value.present()) continue;
            Arrays.fill(match[f], false);
            List<SpecNode> states = value.isList() ? value.elements() : List.of(value);
            if (states.isEmpty()) {
                value.error("is an empty list; expected a state or a list of states of "
                        + names.factor(f).name());
                ok = false;
            }
            for (SpecNode s : states) {
                int i = names.state(f, s);
                if (i < 0) ok = false;
                else match[f][i] = true;
            }
        }
        return ok ? match : null;
    }

    /** The outcome column a rule gives: outcome (certain), oneOf (equally likely) or p (as given). */
    private double[] outcomes(int g, SpecNode rule, boolean counts) {
        Modality m = names.modality(g);
        int no = m.outcomeCount();
        List<String> given = new ArrayList<>();
        for (String k : List.of("outcome", "oneOf", "p")) if (rule.field(k).present()) given.add(k);
        if (given.size() > 1) {
            rule.error("gives " + String.join(" and ", given) + "; expected exactly one of outcome, oneOf or p");
            return null;
        }
        if (given.isEmpty()) {
            if (!(counts && rule.field("scale").present())) {
                rule.error("gives no outcome; expected one of outcome, oneOf or p"
                        + (counts ? " (or scale alone, for scale x A)" : ""));
            }
            return null;
        }
        double[] column = new double[no];
        SpecNode value = rule.field(given.get(0));
        switch (given.get(0)) {
            case "outcome" -> {
                int o = names.outcome(g, value);
                if (o < 0) return null;
                column[o] = 1;
            }
            case "oneOf" -> {
                List<SpecNode> items = value.isList() ? value.elements() : List.of(value);
                if (items.isEmpty()) {
                    value.error("is an empty list; expected one or more outcomes of " + m.name());
                    return null;
                }
                Set<Integer> seen = new HashSet<>();
                for (SpecNode item : items) {
                    int o = names.outcome(g, item);
                    if (o < 0) return null;
                    if (!seen.add(o)) {
                        item.error("repeats the outcome '" + m.outcomes().get(o) + "'");
                        return null;
                    }
                }
                for (int o : seen) column[o] = 1.0 / items.size();
            }
            default -> {
                return probabilities(value, m, counts);
            }
        }
        return column;
    }

    /** p: "uniform", or a mapping from outcome names to probabilities (counts); others 0. */
    private static double[] probabilities(SpecNode p, Modality m, boolean counts) {
        double[] column = new double[m.outcomeCount()];
        if (p.isText() && p.json().asText().equals("uniform")) {
            Arrays.fill(column, 1.0 / column.length);
            return column;
        }
        String what = counts ? "a count" : "a probability";
        if (!p.mapping(
                "uniform, or a mapping from outcome names of " + m.name() + " to " + what + "s",
                m.outcomes(),
                List.of())) return null;
        boolean ok = true;
        for (String key : p.keys()) {
            int o = m.indexOf(key);
            Double v = p.field(key).nonNegative("a finite number >= 0 (" + what + ")");
            if (o < 0 || v == null) ok = false;
            else column[o] = v;
        }
        return ok ? column : null;
    }

    private boolean matches(boolean[][] match, int j) {
        int rest = j;
        for (int f = 0; f < nf; f++) {
            int n = names.factor(f).stateCount();
            if (!match[f][rest % n]) return false;
            rest /= n;
        }
        return true;
    }

    /** "(location=3, context=1)": the 1-based state of each factor in joint column j. */
    private String columnLabel(int j) {
        StringBuilder sb = new StringBuilder("(");
        int rest = j;
        for (int f = 0; f < nf; f++) {
            int n = names.factor(f).stateCount();
            sb.append(f == 0 ? "" : ", ")
                    .append(names.factor(f).name())
                    .append('=')
                    .append(rest % n + 1);
            rest /= n;
        }
        return sb.append(')').toString();
    }
}
