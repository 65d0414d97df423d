package org.neuroflux.model.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.neuroflux.model.Factor;

/**
 * Reads the Dirichlet counts learn.b (transitions) and learn.e (policy prior); learn.c is read by
 * {@link PriorReader} like C, and learn.a and learn.d beside A and D.
 */
final class CountReader {
    private static final List<String> SCALED = List.of("scale", "add");
    private static final String B_FORMS =
            "{scale: k, add: c} (k x B + c), a mapping from each control to {matrix: [[counts]]}"
                    + " (rows to, columns from), or, for a single control, {matrix: [[counts]]}";

    private final Vocabulary names;

    CountReader(Vocabulary names) {
        this.names = names;
    }

    /** learn.b for every factor, (to, from, control) column-major like B; null if any problem or B is missing. */
    double[][] transitions(SpecNode section, double[][] transitions) {
        int nf = names.factors().size();
        Map<Integer, SpecNode> given =
                names.byFactor(section, true, "a mapping from each factor name to its transition counts");
        double[][] out = new double[nf][];
        boolean ok = given.size() == nf;
        for (Map.Entry<Integer, SpecNode> e : given.entrySet()) {
            int f = e.getKey();
            out[f] = factor(f, e.getValue(), transitions == null ? null : transitions[f]);
            ok &= out[f] != null;
        }
        return ok && transitions != null ? out : null;
    }

    private double[] factor(int f, SpecNode node, double[] base) {
        Factor x = names.factor(f);
        int ns = x.stateCount();
        int nu = x.controlCount();
        if (node.isMapping()
                && !node.keys().isEmpty()
                && SCALED.containsAll(node.keys())
                && x.controls().stream().noneMatch(SCALED::contains)) {
            Double k = node.field("scale").present()
                    ? node.field("scale").nonNegative("a finite count scale >= 0")
                    : Double.valueOf(1);
            Double c = node.field("add").present()
                    ? node.field("add").nonNegative("a finite count >= 0")
                    : Double.valueOf(0);
            if (k == null || c == null || base == null) return null;
            double[] out = base.clone();
            for (int i = 0; i < out.length; i++) out[i] = k * out[i] + c;
            return out;
        }
        double[] out = new double[ns * ns * nu];
        if (node.isMapping() && node.field("matrix").present() && !x.controls().contains("matrix")) {
            if (nu > 1) {
                node.error("is a single matrix but " + x.name() + " has " + nu + " controls; expected " + B_FORMS);
                return null;
            }
            return matrix(x, node, out, 0) ? out : null;
        }
        if (!node.mapping(B_FORMS, x.controls(), x.controls())) return null;
        boolean ok = true;
        for (int u = 0; u < nu; u++) {
            SpecNode spec = node.field(x.controls().get(u));
            if (!spec.present()) {
                ok = false; // reported as a missing field
                continue;
            }
            ok &= matrix(x, spec, out, u * ns * ns);
        }
        return ok ? out : null;
    }

    /** One control's {matrix: [[...]]} of counts >= 0, rows the to-states, into out at off. */
    private static boolean matrix(Factor x, SpecNode spec, double[] out, int off) {
        if (!spec.mapping("{matrix: [[counts]]} (rows to, columns from)", List.of("matrix"), List.of("matrix")))
            return false;
        return TransitionReader.squareMatrix(x, spec.field("matrix"), out, off, "counts", "a finite count >= 0");
    }

    /**
     * learn.e: {scale: k} for k x E, or counts by policy name (unnamed policies 0); null if any
     * problem.
     *
     * @param prior E (normalised), or null when it had problems
     */
    double[] policyPrior(SpecNode node, List<String> policyNames, double[] prior) {
        if (node.isMapping() && node.keys().equals(List.of("scale")) && !policyNames.contains("scale")) {
            Double k = node.field("scale").nonNegative("a finite count scale >= 0");
            if (k == null || prior == null) return null;
            double[] e = prior.clone();
            for (int i = 0; i < e.length; i++) e[i] *= k;
            return e;
        }
        if (!node.mapping("{scale: k} (k x E), or a mapping from policy names to counts", policyNames, List.of()))
            return null;
        double[] e = new double[policyNames.size()];
        boolean ok = true;
        for (String key : node.keys()) {
            int k = policyNames.indexOf(key);
            Double v = node.field(key).nonNegative("a finite count >= 0");
            if (k < 0 || v == null) ok = false;
            else e[k] = v;
        }
        if (ok && Arrays.stream(e).allMatch(c -> c == 0)) {
            node.error("counts are all 0; expected at least one policy with a count > 0");
            return null;
        }
        return ok ? e : null;
    }
}
