package org.neuroflux.spm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.ProblemCollector;
import org.neuroflux.model.Subordinate;

/**
 * Reads a deep model's lower level, {@code MDP.MDP} with {@code MDP.link}, below one struct. The lower
 * level is a whole MDP struct and gets every check a top-level struct gets (so a level may nest
 * further); link gets spm_MDP_check's size checks (a cell of lower factors x this level's modalities,
 * or a numeric matrix whose nonzero entries stand for spm_speye links), plus what SPM would only fail on
 * later, reported up front.
 */
final class SpmLevelReader {
    private final JsonNode parent;
    private final String prefix;
    private final ProblemCollector problems;
    private final String source;
    private final int[] no; // outcomes per modality of the level above
    private final ModelLimits limits;

    SpmLevelReader(
            JsonNode parent,
            String prefix,
            ProblemCollector problems,
            String source,
            int[] outcomeCounts,
            ModelLimits limits) {
        this.limits = limits;
        this.parent = parent;
        this.prefix = prefix;
        this.problems = problems;
        this.source = source;
        this.no = outcomeCounts;
    }

    private void error(String path, String message) {
        problems.error(prefix + path, message);
    }

    /** The lower level, or null after reporting what is wrong with it. */
    Subordinate read() {
        if (!parent.has("MDP")) {
            error(
                    "link",
                    "is given without MDP, the lower level it links to (spm_MDP_check would fail reading MDP.MDP.B)");
            return null;
        }
        if (!parent.has("link")) {
            error(
                    "MDP",
                    "is given without link; SPM ignores a lower level nothing links to: add link (lower factors x modalities)");
            return null;
        }
        JsonNode lowerNode = parent.get("MDP");
        if (!lowerNode.isObject()) {
            error(
                    "MDP",
                    "is "
                            + (lowerNode.isArray()
                                    ? "a list (struct array)"
                                    : lowerNode.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))
                            + "; expected the lower level as one MDP struct (a JSON object), which SPM copies at every epoch");
            return null;
        }
        if (no == null) return null; // this level's A had errors, already reported
        SpmModelReader.StructReader r =
                SpmModelReader.readTemplate(lowerNode, prefix + "MDP.", problems, source, limits);
        GenerativeModel lower = r.model();
        if (lower == null) return null;
        int nf = lower.factorCount();
        int[] ns = new int[nf];
        for (int f = 0; f < nf; f++) ns[f] = lower.factors().get(f).stateCount();
        double[][] links = readLinks(parent.get("link"), ns);
        if (links == null) return null;
        boolean[] given = new boolean[nf];
        JsonNode s = lowerNode.get("s");
        if (s != null && !(s.isArray() && s.isEmpty())) {
            int[] shape = MatlabArray.shapeOf(s);
            if (nf > 1 && (shape == null || shape.length < 2)) {
                error(
                        "MDP.s",
                        "is a flat list; give a lower level's s as an Nf x T matrix (SPM reads s(f,1) from it for every linked factor f)");
                return null;
            }
            Arrays.fill(given, true); // SPM keeps the template's s(f,1), 0 (sample from D) included
        }
        boolean ok = true;
        int ng = no.length;
        for (int f = 0; f < nf; f++) {
            boolean linked = false;
            for (int g = 0; g < ng; g++) linked |= links[f + nf * g] != null;
            if (!linked && !lowerNode.has("D")) {
                error(
                        "MDP.D",
                        "is missing while lower factor " + (f + 1) + " has no link; SPM's spm_MDP_check would fail "
                                + "(D holds only the linked factors' priors): give D or link every lower factor");
                ok = false;
            }
            if (given[f]) continue;
            for (int g = 0; g < ng; g++) {
                double[] link = links[f + nf * g];
                if (link == null) continue;
                for (int o = 0; o < no[g] && ok; o++) {
                    int named = 0;
                    for (int i = 0; i < ns[f]; i++) if (link[i + ns[f] * o] != 0) named++;
                    if (named != 1) {
                        error(
                                "link{" + (f + 1) + "," + (g + 1) + "}",
                                "column " + (o + 1) + " names " + named + " lower states; "
                                        + "the lower level's true initial state is find(link{f,g}(:,o)), which must be one state "
                                        + "(or give the lower level's s)");
                        ok = false;
                    }
                }
            }
        }
        if (!ok) return null;
        try {
            return new Subordinate(lower, r.fixture(), links, given);
        } catch (IllegalArgumentException e) {
            error("link", e.getMessage());
            return null;
        }
    }

    /**
     * link as {@code links[f + F*g]}: a cell array (jsonencode: a flat column-major list of F x G
     * matrices, [] where empty) or a numeric F x G matrix (nonzero: spm_speye(Ns_f, No_g)).
     */
    private double[][] readLinks(JsonNode v, int[] ns) {
        int nf = ns.length;
        int ng = no.length;
        double[][] links = new double[nf * ng][];
        boolean cell = v.isArray() && v.size() == nf * ng;
        if (cell) for (JsonNode e : v) cell &= e.isArray();
        if (!cell) {
            int[] dims = {nf, ng};
            int[] shape = MatlabArray.shapeOf(v);
            int[] expected = MatlabArray.jsonShape(dims);
            boolean single = expected.length == 0 && shape != null && shape.length == 1 && shape[0] == 1;
            if (shape == null || !(Arrays.equals(shape, expected) || single)) {
                error(
                        "link",
                        "is " + MatlabArray.describe(shape) + "; expected a cell array of " + nf + " x " + ng
                                + " (lower factors x modalities) link matrices, written by jsonencode as a list of "
                                + (nf * ng)
                                + " (column-major, [] where empty), or a numeric " + nf + " x " + ng + " matrix");
                return null;
            }
            double[] flags = MatlabArray.read(v, single ? new int[] {1} : shape);
            for (int f = 0; f < nf; f++) {
                for (int g = 0; g < ng; g++) {
                    if (flags[f + nf * g] == 0) continue;
                    double[] eye = new double[ns[f] * no[g]];
                    for (int i = 0; i < Math.min(ns[f], no[g]); i++) eye[i + ns[f] * i] = 1; // spm_speye(Ns, No, 0)
                    links[f + nf * g] = eye;
                }
            }
            return links;
        }
        boolean ok = true;
        for (int g = 0; g < ng; g++) {
            for (int f = 0; f < nf; f++) {
                JsonNode e = v.get(f + nf * g);
                if (e.isEmpty()) continue;
                String path = "link{" + (f + 1) + "," + (g + 1) + "}";
                int[] dims = {ns[f], no[g]};
                int[] shape = MatlabArray.shapeOf(e);
                int[] expected = MatlabArray.jsonShape(dims);
                if (shape == null || !Arrays.equals(shape, expected)) {
                    error(
                            path,
                            "is " + MatlabArray.describe(shape) + " but lower states x outcomes "
                                    + Arrays.toString(dims) + " is written by jsonencode as "
                                    + MatlabArray.describe(expected) + " (spm_MDP_check: please check link)");
                    ok = false;
                    continue;
                }
                double[] data = MatlabArray.read(e, shape);
                for (int i = 0; i < data.length; i++) {
                    if (!Double.isFinite(data[i]) || data[i] < 0) {
                        error(
                                path,
                                "entry " + SpmModelReader.index(dims, i) + " is " + data[i]
                                        + "; expected a finite number >= 0");
                        ok = false;
                        break;
                    }
                }
                links[f + nf * g] = data;
            }
        }
        return ok ? links : null;
    }
}
