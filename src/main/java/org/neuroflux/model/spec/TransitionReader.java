package org.neuroflux.model.spec;

import java.util.List;
import java.util.Map;
import org.neuroflux.model.Factor;

/**
 * Reads the transitions B: per factor, per control, one of {@code identity}, {@code {moveTo:
 * state, absorbing: [states]}} (every state moves to one state, except the absorbing ones, which
 * stay) or {@code {matrix: [[...]]}} with rows the to-states and columns the from-states. A factor
 * with a single control may give its transition directly instead of a mapping by control name.
 */
final class TransitionReader {
    private static final List<String> SPEC_FIELDS = List.of("moveTo", "absorbing", "matrix");
    private static final String FORMS =
            "identity, {moveTo: <state>, absorbing: [<states>]} or {matrix: [[...]]} (rows to, columns from)";

    private final Vocabulary names;

    TransitionReader(Vocabulary names) {
        this.names = names;
    }

    /** B for every factor, (to, from, control) column-major; null if any problem. */
    double[][] transitions(SpecNode section, boolean rescale) {
        int nf = names.factors().size();
        Map<Integer, SpecNode> given =
                names.byFactor(section, true, "a mapping from each factor name to its transitions");
        double[][] out = new double[nf][];
        boolean ok = given.size() == nf;
        for (Map.Entry<Integer, SpecNode> e : given.entrySet()) {
            out[e.getKey()] = factor(e.getKey(), e.getValue(), rescale);
            ok &= out[e.getKey()] != null;
        }
        return ok ? out : null;
    }

    private double[] factor(int f, SpecNode node, boolean rescale) {
        Factor x = names.factor(f);
        int ns = x.stateCount();
        int nu = x.controlCount();
        double[] b = new double[ns * ns * nu];
        boolean single = node.isText()
                || (node.isMapping()
                        && SPEC_FIELDS.stream().anyMatch(k -> node.json().has(k)));
        if (single) {
            if (nu > 1) {
                node.error("is a single transition but " + x.name() + " has " + nu
                        + " controls; expected a mapping from each control (" + SpecNode.choices(x.controls()) + ") to "
                        + FORMS);
                return null;
            }
            double[] m = matrix(f, node, rescale);
            if (m == null) return null;
            System.arraycopy(m, 0, b, 0, m.length);
            return b;
        }
        if (!node.mapping(
                FORMS + ", or a mapping from each control of " + x.name() + " to one of these",
                x.controls(),
                x.controls())) return null;
        boolean ok = true;
        for (int u = 0; u < nu; u++) {
            SpecNode spec = node.field(x.controls().get(u));
            if (!spec.present()) {
                ok = false; // reported as a missing field
                continue;
            }
            double[] m = matrix(f, spec, rescale);
            if (m == null) ok = false;
            else System.arraycopy(m, 0, b, u * ns * ns, m.length);
        }
        return ok ? b : null;
    }

    /** One control's (to, from) matrix, column-major, columns checked and normalised. */
    private double[] matrix(int f, SpecNode spec, boolean rescale) {
        Factor x = names.factor(f);
        int ns = x.stateCount();
        double[] m = new double[ns * ns];
        if (spec.isText() && spec.json().asText().equals("identity")) {
            for (int s = 0; s < ns; s++) m[s + ns * s] = 1;
            return m;
        }
        if (!spec.isMapping()) {
            spec.error("is " + spec.kind() + "; expected " + FORMS);
            return null;
        }
        if (!spec.mapping(FORMS, SPEC_FIELDS, List.of())) return null;
        SpecNode moveTo = spec.field("moveTo");
        SpecNode matrix = spec.field("matrix");
        SpecNode absorbing = spec.field("absorbing");
        if (moveTo.present() == matrix.present()) {
            spec.error("gives " + (moveTo.present() ? "both moveTo and matrix" : "neither moveTo nor matrix")
                    + "; expected exactly one");
            return null;
        }
        if (matrix.present()) {
            if (absorbing.present()) {
                absorbing.error("only goes with moveTo; with a matrix, write the absorbing columns into it");
                return null;
            }
            return rows(x, matrix, m, rescale) ? m : null;
        }
        int target = names.state(f, moveTo);
        boolean[] stay = new boolean[ns];
        boolean ok = target >= 0;
        if (absorbing.present()) {
            List<SpecNode> states = absorbing.isList() ? absorbing.elements() : List.of(absorbing);
            for (SpecNode s : states) {
                int i = names.state(f, s);
                if (i < 0) ok = false;
                else stay[i] = true;
            }
        }
        if (!ok) return null;
        for (int from = 0; from < ns; from++) m[(stay[from] ? from : target) + ns * from] = 1;
        return m;
    }

    private static boolean rows(Factor x, SpecNode matrix, double[] m, boolean rescale) {
        return squareMatrix(x, matrix, m, 0, "numbers", "a finite probability >= 0")
                && Columns.normalise(
                        m,
                        x.stateCount(),
                        rescale,
                        matrix,
                        c -> "column (from=" + (c + 1) + ")",
                        "every state needs somewhere to go");
    }

    /**
     * Reads an Ns x Ns matrix of values >= 0 given as rows (to-states) of columns (from-states) into
     * out[off + to + Ns * from], reporting every problem; false if any. Shared by B and its counts b.
     *
     * @param entries what a row holds, for messages ("numbers", "counts")
     * @param value   what one entry must be, for messages
     */
    static boolean squareMatrix(Factor x, SpecNode matrix, double[] out, int off, String entries, String value) {
        int ns = x.stateCount();
        String shape = ns + " x " + ns + " (rows are the to-states, columns the from-states of " + x.name() + ")";
        List<SpecNode> rows = matrix.list("a list of " + ns + " rows: " + shape);
        if (rows == null) return false;
        if (rows.size() != ns) {
            matrix.error("has " + rows.size() + " rows; expected " + shape);
            return false;
        }
        boolean ok = true;
        for (int to = 0; to < ns; to++) {
            List<SpecNode> row = rows.get(to).list("a row of " + ns + " " + entries);
            if (row == null) {
                ok = false;
                continue;
            }
            if (row.size() != ns) {
                rows.get(to)
                        .error("has " + row.size() + " entries; expected " + ns + " (one per from-state of " + x.name()
                                + ")");
                ok = false;
                continue;
            }
            for (int from = 0; from < ns; from++) {
                Double v = row.get(from).nonNegative(value);
                if (v == null) ok = false;
                else out[off + to + ns * from] = v;
            }
        }
        return ok;
    }
}
