package org.neuroflux.model.spec;

import java.util.List;
import java.util.Map;
import org.neuroflux.model.Factor;
import org.neuroflux.model.TrialFixture;

/**
 * Reads the optional fixed trial data: {@code states} and {@code outcomes} (per factor or
 * modality, up to T entries) and {@code actions} (per factor, up to T-1), each entry a name, a
 * 1-based index, or 0 to let the generative process sample it. Missing entries are sampled.
 */
final class TrialReader {
    private static final List<String> FIELDS = List.of("states", "outcomes", "actions");

    private final Vocabulary names;

    TrialReader(Vocabulary names) {
        this.names = names;
    }

    /** The fixture, 0-based with {@link TrialFixture#FREE} for sampled entries; null if any problem. */
    TrialFixture fixture(SpecNode node, int epochs) {
        int nf = names.factors().size();
        int ng = names.modalities().size();
        TrialFixture free = TrialFixture.free(nf, ng, epochs);
        if (!node.present()) return free;
        if (!node.mapping("a mapping with states, outcomes and actions", FIELDS, List.of())) return null;
        int[][] states = free.states();
        int[][] outcomes = free.outcomes();
        int[][] actions = free.actions();
        boolean ok = true;
        SpecNode s = node.field("states");
        if (s.present()) {
            for (Map.Entry<Integer, SpecNode> e : names.byFactor(
                            s, false, "a mapping from factor names to lists of states")
                    .entrySet()) {
                Factor x = names.factor(e.getKey());
                ok &= row(e.getValue(), states[e.getKey()], x.states(), "state of " + x.name(), epochs, "T");
            }
            ok &= s.isMapping();
        }
        SpecNode o = node.field("outcomes");
        if (o.present()) {
            for (Map.Entry<Integer, SpecNode> e : names.byModality(
                            o, false, "a mapping from modality names to lists of outcomes")
                    .entrySet()) {
                List<String> outs = names.modality(e.getKey()).outcomes();
                ok &= row(
                        e.getValue(),
                        outcomes[e.getKey()],
                        outs,
                        "outcome of " + names.modality(e.getKey()).name(),
                        epochs,
                        "T");
            }
            ok &= o.isMapping();
        }
        SpecNode a = node.field("actions");
        if (a.present()) {
            for (Map.Entry<Integer, SpecNode> e : names.byFactor(
                            a, false, "a mapping from factor names to lists of controls")
                    .entrySet()) {
                Factor x = names.factor(e.getKey());
                ok &= row(e.getValue(), actions[e.getKey()], x.controls(), "control of " + x.name(), epochs - 1, "T-1");
            }
            ok &= a.isMapping() && completeActions(a, actions);
        }
        return ok ? new TrialFixture(states, outcomes, actions) : null;
    }

    /** Reads up to max entries into out (0-based, FREE for 0). */
    private static boolean row(SpecNode node, int[] out, List<String> choices, String what, int max, String maxName) {
        List<SpecNode> items = node.list("a list of up to " + maxName + " = " + max + " entries: " + what
                + " names, 1-based indices, or 0 to sample");
        if (items == null) return false;
        if (items.size() > max) {
            node.error("has " + items.size() + " entries; expected at most " + maxName + " = " + max);
            return false;
        }
        boolean ok = true;
        for (int t = 0; t < items.size(); t++) {
            SpecNode item = items.get(t);
            if (item.json().isNumber()) {
                Integer i = item.whole(0, "0 (sample) or a 1-based " + what + " in 1.." + choices.size());
                if (i == null || i > choices.size()) {
                    if (i != null)
                        item.error("is " + i + "; expected 0 (sample) or a 1-based " + what + " in 1.." + choices.size()
                                + " (" + SpecNode.choices(choices) + ")");
                    ok = false;
                } else {
                    out[t] = i == 0 ? TrialFixture.FREE : i - 1;
                }
            } else {
                int i = Vocabulary.lookup(item, choices, (what.startsWith("outcome") ? "an " : "a ") + what);
                if (i < 0) ok = false;
                else out[t] = i;
            }
        }
        return ok;
    }

    /**
     * SPM fixes an epoch's actions for all factors or none: factors with a single control are
     * filled in; a controlled factor left free where another is fixed is an error.
     */
    private boolean completeActions(SpecNode node, int[][] actions) {
        boolean ok = true;
        int steps = actions.length == 0 ? 0 : actions[0].length;
        for (int t = 0; t < steps; t++) {
            String fixed = null;
            for (int f = 0; f < actions.length; f++)
                if (actions[f][t] != TrialFixture.FREE) fixed = names.factor(f).name();
            if (fixed == null) continue;
            for (int f = 0; f < actions.length; f++) {
                if (actions[f][t] != TrialFixture.FREE) continue;
                if (names.factor(f).controlCount() == 1) {
                    actions[f][t] = 0;
                } else {
                    node.error("step " + (t + 1) + " fixes the action of " + fixed + " but not of "
                            + names.factor(f).name() + "; fix every controlled factor's action at a step, or none");
                    ok = false;
                }
            }
        }
        return ok;
    }
}
