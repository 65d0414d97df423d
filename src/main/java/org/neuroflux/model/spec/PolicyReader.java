package org.neuroflux.model.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.model.Factor;

/**
 * Reads {@code policies} (each a name and, per factor, its sequence of control names) and the
 * policy prior {@code E} (by policy name).
 */
final class PolicyReader {
    private final Vocabulary names;
    private final List<String> policyNames = new ArrayList<>();

    PolicyReader(Vocabulary names) {
        this.names = names;
    }

    List<String> policyNames() {
        return policyNames;
    }

    /**
     * Policies as [policy][step][factor] 0-based controls; null if any problem.
     *
     * @param steps   controls per policy: T-1, or 1 for one-step policies
     * @param oneStep whether these are SPM's one-step ("moving") policies U
     */
    int[][][] policies(SpecNode node, int steps, boolean oneStep) {
        List<SpecNode> items = node.list("a list of policies, each {name, <factor>: [<controls>]}");
        if (items == null) return null;
        if (items.isEmpty()) {
            node.error("is an empty list; expected at least one policy");
            return null;
        }
        List<String> allowed = new ArrayList<>(List.of("name"));
        allowed.addAll(names.factorNames());
        int nf = names.factors().size();
        int[][][] out = new int[items.size()][][];
        Map<String, String> seenNames = new HashMap<>();
        Map<String, String> seenSequences = new HashMap<>();
        boolean ok = true;
        for (int k = 0; k < items.size(); k++) {
            SpecNode item = items.get(k);
            String name = "policy " + (k + 1);
            if (!item.mapping("a policy {name, <factor>: [<controls>]}", allowed, List.of())) {
                ok = false;
                policyNames.add(name);
                continue;
            }
            if (item.field("name").present()) {
                String given = item.field("name").name("a policy name");
                String first = given == null
                        ? null
                        : seenNames.putIfAbsent(given, item.field("name").path());
                if (first != null)
                    item.field("name").error("duplicate policy name '" + given + "' (first at " + first + ")");
                if (given == null || first != null) ok = false;
                else name = given;
            }
            policyNames.add(name);
            int[][] policy = new int[steps][nf];
            for (int f = 0; f < nf; f++) {
                if (!sequence(f, item, policy, steps, oneStep)) ok = false;
            }
            out[k] = policy;
            String first = seenSequences.putIfAbsent(Arrays.deepToString(policy), item.path());
            if (first != null)
                item.warn("repeats the controls of " + first
                        + " (SPM allows it, but the two policies share their prior weight)");
        }
        return ok ? out : null;
    }

    /** Fills policy[j][f] from the policy's list for factor f. */
    private boolean sequence(int f, SpecNode item, int[][] policy, int steps, boolean oneStep) {
        Factor x = names.factor(f);
        SpecNode value = item.field(x.name());
        if (!value.present()) {
            if (x.controlCount() == 1 || steps == 0) return true; // its only control, 0
            item.error("gives no controls for " + x.name() + ", which has " + x.controlCount() + " ("
                    + SpecNode.choices(x.controls()) + "); only factors with a single control may be left out");
            return false;
        }
        List<SpecNode> controls;
        if (value.isText() && steps == 1) {
            controls = List.of(value);
        } else {
            controls = value.list("a list of " + steps + " control names of " + x.name());
            if (controls == null) return false;
        }
        if (controls.size() != steps) {
            value.error("has " + controls.size() + " control" + (controls.size() == 1 ? "" : "s") + "; expected "
                    + (oneStep
                            ? "1 (one-step policies give one control per factor)"
                            : "T-1 = " + steps + " (one per step)"));
            return false;
        }
        boolean ok = true;
        for (int j = 0; j < steps; j++) {
            int u = names.control(f, controls.get(j));
            if (u < 0) ok = false;
            else policy[j][f] = u;
        }
        return ok;
    }

    /** E by policy name (others 0), or "uniform"; checked and normalised. Null if any problem. */
    double[] prior(SpecNode node, boolean rescale) {
        double[] e = new double[policyNames.size()];
        if (node.isText() && node.json().asText().equals("uniform")) {
            Arrays.fill(e, 1.0 / e.length);
            return e;
        }
        if (!node.mapping("uniform, or a mapping from policy names to prior probabilities", policyNames, List.of()))
            return null;
        boolean ok = true;
        for (String key : node.keys()) {
            int k = policyNames.indexOf(key);
            Double v = node.field(key).nonNegative("a finite probability >= 0");
            if (k < 0 || v == null) ok = false;
            else e[k] = v;
        }
        return ok && Columns.normalise(e, e.length, rescale, node, c -> "", "at least one policy needs a prior weight")
                ? e
                : null;
    }
}
