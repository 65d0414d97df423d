package org.neuroflux.spm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.neuroflux.model.Factor;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.Modality;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.model.ProblemCollector;
import org.neuroflux.model.SolverParameters;
import org.neuroflux.model.Subordinate;
import org.neuroflux.model.TrialFixture;

/**
 * Reads an MDP struct, or a struct array of consecutive trials, as MATLAB/Octave jsonencode
 * writes it. Follows SPM where SPM is lenient (it column-normalises A, B, D and E: so do we, with a
 * warning) and rejects what spm_MDP_check would refuse or what SPM would silently misread, with
 * every problem reported at once: path (MATLAB notation, 1-based), value and what was expected.
 */
public final class SpmModelReader {
    /** Fields neuroflux reads. */
    static final Set<String> MODEL_FIELDS = Set.of(
            "A", "B", "C", "D", "E", "a", "b", "c", "d", "e", "V", "U", "T", "tau", "erp", "alpha", "beta", "zeta",
            "eta", "chi", "s", "o", "u", "Aname", "Bname", "label", "MDP", "link");
    /** SPM outputs a solved MDP carries; ignored with a warning so solved structs can be re-run. */
    static final Set<String> OUTPUT_FIELDS = Set.of(
            "xn",
            "vn",
            "un",
            "wn",
            "dn",
            "rt",
            "X",
            "P",
            "R",
            "Q",
            "F",
            "G",
            "H",
            "w",
            "Fa",
            "Fd",
            "Fb",
            "Fc",
            "Fe",
            "trial",
            "shapes",
            "mdp_shapes");
    /** SPM features neuroflux does not implement: refused rather than silently ignored. */
    static final Set<String> UNSUPPORTED_FIELDS = Set.of("demi", "mdp", "n", "factor", "DEM", "O", "dem");

    private static final double SUM_TOLERANCE = 1e-10;

    private final ObjectMapper mapper = new ObjectMapper();
    private final ModelLimits limits;

    /** A reader with the default {@link ModelLimits}. */
    public SpmModelReader() {
        this(ModelLimits.DEFAULTS);
    }

    public SpmModelReader(ModelLimits limits) {
        this.limits = limits;
    }

    /**
     * True if the JSON looks like an SPM MDP: an object, or list of objects, with B (or b) and A (or a),
     * at least one of them a cell array (jsonencode writes cells as lists). neuroflux's native
     * format also has A and B, but as mappings keyed by names, next to its factors and modalities.
     */
    public static boolean looksLikeSpm(JsonNode root) {
        JsonNode first = root.isArray() && !root.isEmpty() ? root.get(0) : root;
        if (!first.isObject() || first.has("factors") || first.has("modalities")) return false;
        JsonNode likelihood = first.has("A") ? first.get("A") : first.path("a");
        JsonNode transitions = first.has("B") ? first.get("B") : first.path("b"); // spm_MDP_check: B defaults to b
        return !transitions.isMissingNode()
                && !likelihood.isMissingNode()
                && (transitions.isArray() || likelihood.isArray());
    }

    public SpmImport read(Path file) throws IOException, ModelValidationException {
        String text = Files.readString(file);
        return read(text, file.getFileName().toString());
    }

    public SpmImport read(String json, String source) throws ModelValidationException {
        ProblemCollector problems = new ProblemCollector(source);
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            problems.error(
                    "",
                    "not valid JSON: " + e.getOriginalMessage() + " at line "
                            + e.getLocation().getLineNr());
            problems.throwIfErrors();
            throw new AssertionError();
        }
        List<JsonNode> structs = new ArrayList<>();
        if (root.isObject()) {
            structs.add(root);
        } else if (root.isArray() && !root.isEmpty()) {
            for (JsonNode n : root) {
                if (n.isArray()) {
                    problems.error(
                            "", "a 2-D struct array (several agents) is not supported; give a 1 x N array of trials");
                    break;
                }
                structs.add(n);
            }
        } else {
            problems.error("", "expected an MDP struct (a JSON object) or a struct array (a list of objects)");
        }
        problems.throwIfErrors();
        List<GenerativeModel> models = new ArrayList<>();
        List<TrialFixture> fixtures = new ArrayList<>();
        for (int i = 0; i < structs.size(); i++) {
            String prefix = structs.size() > 1 || root.isArray() ? "MDP(" + (i + 1) + ")." : "";
            StructReader r = new StructReader(structs.get(i), prefix, problems, source, limits);
            r.read();
            if (r.model != null) {
                models.add(r.model);
                fixtures.add(r.fixture);
            }
        }
        if (!problems.hasErrors()) checkSequence(models, problems);
        problems.throwIfErrors();
        return new SpmImport(models, fixtures, problems.warnings());
    }

    /** Consecutive trials share their shapes and their learning (SPM passes a, b, c, d and e along). */
    private static void checkSequence(List<GenerativeModel> models, ProblemCollector problems) {
        GenerativeModel first = models.get(0);
        for (int i = 1; i < models.size(); i++) {
            GenerativeModel m = models.get(i);
            String p = "MDP(" + (i + 1) + ")";
            if (m.factorCount() != first.factorCount()
                    || m.modalityCount() != first.modalityCount()
                    || m.policyCount() != first.policyCount()
                    || m.epochs() != first.epochs()
                    || !sameSizes(m, first)) {
                problems.error(
                        p,
                        "has other dimensions than MDP(1) (" + m.summary() + " vs " + first.summary()
                                + "); consecutive trials must share factors, outcomes, policies and T");
            }
            if ((m.subordinate() == null) != (first.subordinate() == null)) {
                problems.error(p, "must have a lower level (MDP and link) exactly when MDP(1) has one");
            }
            if (m.learnsLikelihood() != first.learnsLikelihood()
                    || m.learnsInitialStates() != first.learnsInitialStates()
                    || m.learnsTransitions() != first.learnsTransitions()
                    || m.learnsPreferences() != first.learnsPreferences()
                    || m.learnsPolicyPrior() != first.learnsPolicyPrior()) {
                problems.error(
                        p,
                        "must have the same Dirichlet fields (a, b, c, d, e) as MDP(1): SPM carries them from trial to trial");
            }
        }
    }

    private static boolean sameSizes(GenerativeModel a, GenerativeModel b) {
        for (int f = 0; f < a.factorCount(); f++) {
            if (a.factors().get(f).stateCount() != b.factors().get(f).stateCount()
                    || a.factors().get(f).controlCount() != b.factors().get(f).controlCount()) return false;
        }
        for (int g = 0; g < a.modalityCount(); g++) {
            if (a.modalities().get(g).outcomeCount() != b.modalities().get(g).outcomeCount()) return false;
        }
        return true;
    }

    /** Reads a lower level's template (MDP.MDP) with every check of a top-level struct. */
    static StructReader readTemplate(
            JsonNode node, String prefix, ProblemCollector problems, String source, ModelLimits limits) {
        StructReader r = new StructReader(node, prefix, problems, source, limits, true);
        r.read();
        return r;
    }

    /** Reads one struct; leaves model null if it had errors. */
    static final class StructReader {
        private final JsonNode node;
        private final String prefix;
        private final ProblemCollector problems;
        private final String source;
        private final ModelLimits limits;
        private final boolean template; // a lower level (MDP.MDP): its D is kept as given, SPM passes it on raw
        private GenerativeModel model;
        private TrialFixture fixture;
        private int nf;
        private int ng;
        private int[] ns;
        private int[] nu;
        private int[] no;

        StructReader(JsonNode node, String prefix, ProblemCollector problems, String source, ModelLimits limits) {
            this(node, prefix, problems, source, limits, false);
        }

        StructReader(
                JsonNode node,
                String prefix,
                ProblemCollector problems,
                String source,
                ModelLimits limits,
                boolean template) {
            this.node = node;
            this.limits = limits;
            this.prefix = prefix;
            this.problems = problems;
            this.source = source;
            this.template = template;
        }

        private void error(String path, String message) {
            problems.error(prefix + path, message);
        }

        /** The model read, or null if the struct had errors. */
        GenerativeModel model() {
            return model;
        }

        TrialFixture fixture() {
            return fixture;
        }

        private void warn(String path, String message) {
            problems.warn(prefix + path, message);
        }

        void read() {
            if (!node.isObject()) {
                error(
                        "",
                        "expected an MDP struct (a JSON object), found "
                                + node.getNodeType().toString().toLowerCase(Locale.ROOT));
                return;
            }
            int before = problems.errors().size();
            checkFieldNames();
            if (!withinLimits()) return;
            double[][] b = readTransitions();
            if (b == null) return;
            boolean hasA = node.has("A");
            double[][] aCounts = node.has("a") ? readLikelihood("a", true) : null;
            double[][] a = hasA ? readLikelihood("A", false) : null;
            if (!hasA && !node.has("a")) error("A", "missing: the likelihood A (or its counts a) is required");
            if (a == null && aCounts != null) {
                a = new double[ng][];
                for (int g = 0; g < ng; g++) a[g] = normalised(aCounts[g], no[g], "a{" + (g + 1) + "}", false);
            }
            if (a == null && (ng == 0 || no == null))
                return; // else read on: report the policies' and trial's problems too
            int[][][] policies;
            boolean moving;
            int epochs;
            if (node.has("V")) {
                if (node.has("U")) {
                    error("U", "and V are both given; SPM would use U and silently ignore V: keep one");
                    return;
                }
                policies = readSequentialPolicies();
                moving = false;
                epochs = policies == null ? 0 : policies[0].length + 1;
                if (policies != null && node.has("T")) {
                    int t = readInt("T", 1);
                    if (t != epochs)
                        warn(
                                "T",
                                "is " + t + " but V has " + (epochs - 1) + " steps; SPM uses size(V,1)+1 = " + epochs);
                }
            } else if (node.has("U")) {
                epochs = node.has("T") ? readInt("T", 1) : -1;
                if (epochs < 0) error("T", "missing: one-step policies U need T, the number of epochs");
                policies = readMovingPolicies();
                moving = true;
            } else {
                error("V", "missing: give policies as V (T-1 x Np x F) or one-step policies U (1 x Np x F) with T");
                return;
            }
            if (epochs < 1) return;
            double[][] c = readPreferences(epochs);
            double[][] dCounts = node.has("d") ? readInitial("d", true) : null;
            double[][] d = node.has("D") ? readInitial("D", template) : null;
            if (d == null) {
                d = new double[nf][];
                for (int f = 0; f < nf; f++) {
                    d[f] = new double[ns[f]];
                    Arrays.fill(d[f], 1.0 / ns[f]); // spm_MDP_check: D = ones, normalised when used
                }
            }
            double[] e = node.has("E") && policies != null ? readPolicyPrior(policies.length) : null;
            double[][] bCounts = node.has("b") ? readTransitionCounts() : null;
            double[][] cCounts = node.has("c") ? readPreferenceCounts(epochs) : null;
            double[] eCounts = node.has("e") && policies != null ? readPolicyCounts(policies.length) : null;
            SolverParameters params = readParameters();
            TrialFixture fx = readFixture(epochs);
            Subordinate lower = node.has("MDP") || node.has("link")
                    ? new SpmLevelReader(node, prefix, problems, source, no, limits).read()
                    : null;
            if (problems.errors().size() > before
                    || a == null
                    || policies == null
                    || c == null
                    || params == null
                    || fx == null) return;
            GenerativeModel.Builder mb = new GenerativeModel.Builder();
            mb.name = source.replaceFirst("\\.json$", "");
            mb.factors = factorNames();
            mb.modalities = modalityNames();
            mb.epochs = epochs;
            mb.likelihood = a;
            mb.likelihoodCounts = aCounts;
            mb.transitions = b;
            mb.preferences = c;
            mb.initialStates = d;
            mb.initialCounts = dCounts;
            mb.policyPrior = e;
            mb.transitionCounts = bCounts;
            mb.preferenceCounts = cCounts;
            mb.policyCounts = eCounts;
            mb.policies = policies;
            mb.movingPolicies = moving;
            mb.parameters = params;
            mb.subordinate = lower;
            try {
                model = mb.build();
            } catch (
                    IllegalArgumentException
                            ex) { // a check above let an inconsistency through: report it, do not crash
                error("", "inconsistent model: " + ex.getMessage());
                model = null;
                return;
            }
            fixture = fx;
        }

        private void checkFieldNames() {
            Set<String> unknown = new TreeSet<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (MODEL_FIELDS.contains(f)) continue;
                if (OUTPUT_FIELDS.contains(f)) {
                    warn(f, "ignored: an output of spm_MDP_VB_X, not an input");
                } else if (UNSUPPORTED_FIELDS.contains(f)) {
                    error(
                            f,
                            "is not supported by neuroflux (no demi, prepared lower-level trials mdp, "
                                    + "or outcome likelihoods O)");
                } else {
                    unknown.add(f);
                }
            }
            for (String f : unknown) {
                error(
                        f,
                        "unknown field; allowed: " + String.join(", ", new TreeSet<>(MODEL_FIELDS))
                                + " (SPM would silently ignore it)");
            }
        }

        /**
         * Checks the sizes the field shapes declare against the limits before any array is read
         * (T alone sizes C and the trial data, so a one-number T must be bounded first).
         */
        private boolean withinLimits() {
            ModelLimits.Dimensions d = new ModelLimits.Dimensions()
                    .paths(
                            prefix + "T",
                            prefix + "B",
                            prefix + "A",
                            prefix + (node.has("V") ? "V" : "U"),
                            prefix + "B{%d}",
                            prefix + "A{%d}");
            JsonNode bCell = node.has("B") ? node.get("B") : node.path("b");
            if (bCell.isArray()) {
                int[] states = new int[bCell.size()];
                int[] controls = new int[bCell.size()];
                for (int f = 0; f < bCell.size(); f++) {
                    int[] shape = MatlabArray.shapeOf(bCell.get(f));
                    states[f] = shape == null || shape.length == 0 ? 1 : shape[0];
                    controls[f] = shape != null && shape.length == 3 ? shape[2] : 1;
                }
                d.states(states, controls);
            }
            JsonNode aCell = node.has("A") ? node.get("A") : node.path("a");
            if (aCell.isArray()) {
                int[] outcomes = new int[aCell.size()];
                for (int g = 0; g < aCell.size(); g++) {
                    int[] shape = MatlabArray.shapeOf(aCell.get(g));
                    outcomes[g] = shape == null || shape.length == 0 ? 1 : shape[0];
                }
                d.outcomes(outcomes);
            }
            JsonNode t = node.path("T");
            JsonNode policies = node.has("V") ? node.get("V") : node.path("U");
            int[] shape = policies.isMissingNode() ? null : MatlabArray.shapeOf(policies);
            if (node.has("V") && shape != null && shape.length > 0) d.epochs(shape[0] + 1L);
            else if (t.isNumber()) d.epochs((long) Math.min(Long.MAX_VALUE, Math.ceil(t.asDouble())));
            if (shape != null && shape.length >= 2) d.policies(shape[1]);
            else if (shape != null && shape.length == 1) d.policies(shape[0]);
            return limits.check(d, problems);
        }

        // --- arrays ---------------------------------------------------------------------------

        /** A cell array field: a JSON list with one entry per factor or modality. */
        private JsonNode cell(String field, int expected, String what) {
            JsonNode n = node.get(field);
            if (!n.isArray() || n.isEmpty()) {
                error(field, "must be a cell array (a JSON list) with one array per " + what + ", found " + kind(n));
                return null;
            }
            if (expected >= 0 && n.size() != expected) {
                error(field, "has " + n.size() + " entries, expected one per " + what + " (" + expected + ")");
                return null;
            }
            return n;
        }

        /** Checks one array against MATLAB's expected size and reads it column-major. */
        private double[] array(JsonNode value, String path, int[] dims, String dimNames) {
            int[] shape = MatlabArray.shapeOf(value);
            if (shape == null) {
                if (containsNull(value)) error(path, "contains null (MATLAB NaN or Inf); expected finite numbers");
                else error(path, "is " + MatlabArray.describe(null) + "; expected " + dimNames);
                return null;
            }
            int[] expected = MatlabArray.jsonShape(dims);
            boolean singleAsList = expected.length == 0 && shape.length == 1 && shape[0] == 1;
            if (!Arrays.equals(shape, expected) && !singleAsList) {
                error(
                        path,
                        "is " + MatlabArray.describe(shape) + " but " + dimNames + " " + Arrays.toString(dims)
                                + " is written by jsonencode as " + MatlabArray.describe(expected));
                return null;
            }
            double[] data = MatlabArray.read(value, singleAsList ? new int[] {1} : shape);
            boolean ok = true;
            for (int i = 0; i < data.length && ok; i++) {
                if (!Double.isFinite(data[i])) {
                    error(path, "entry " + index(dims, i) + " is " + data[i] + "; expected a finite number");
                    ok = false;
                }
            }
            return ok ? data : null;
        }

        private double[][] readTransitions() {
            // spm_MDP_check: without B, the process uses the counts b (normalised)
            String field = !node.has("B") && node.has("b") ? "b" : "B";
            if (!node.has(field)) {
                error(
                        "B",
                        "missing: the transitions B (or their counts b) are required (one Ns x Ns x Nu array per factor)");
                return null;
            }
            JsonNode cell = cell(field, -1, "hidden factor");
            if (cell == null) return null;
            nf = cell.size();
            ns = new int[nf];
            nu = new int[nf];
            double[][] b = new double[nf][];
            boolean ok = true;
            for (int f = 0; f < nf; f++) {
                String path = field + "{" + (f + 1) + "}";
                int[] shape = MatlabArray.shapeOf(cell.get(f));
                if (shape == null || shape.length < 2 || shape.length > 3 || shape[0] != shape[1]) {
                    error(
                            path,
                            "is " + MatlabArray.describe(shape) + "; expected Ns x Ns (one control) or Ns x Ns x Nu"
                                    + (shape != null && shape.length <= 1
                                            ? " (a factor with a single state is not supported: SPM's squeeze misreads it)"
                                            : ""));
                    ok = false;
                    continue;
                }
                ns[f] = shape[0];
                nu[f] = shape.length == 3 ? shape[2] : 1;
                double[] data = array(cell.get(f), path, new int[] {ns[f], ns[f], nu[f]}, "Ns x Ns x Nu");
                if (data == null) {
                    ok = false;
                    continue;
                }
                b[f] = normalised(data, ns[f], path, true);
                if (b[f] == null) ok = false;
            }
            return ok ? b : null;
        }

        private double[][] readLikelihood(String field, boolean counts) {
            JsonNode cell = cell(field, -1, "outcome modality");
            if (cell == null) return null;
            if (ng == 0) {
                ng = cell.size();
                no = new int[ng];
            } else if (cell.size() != ng) {
                error(field, "has " + cell.size() + " modalities but A has " + ng);
                return null;
            }
            double[][] out = new double[ng][];
            boolean ok = true;
            for (int g = 0; g < ng; g++) {
                String path = field + "{" + (g + 1) + "}";
                JsonNode v = cell.get(g);
                int[] shape = MatlabArray.shapeOf(v);
                int rows = shape == null || shape.length == 0
                        ? 1
                        : (shape.length == 1 ? (nf == 1 && shape[0] == ns[0] ? 1 : shape[0]) : shape[0]);
                if (no[g] == 0) no[g] = rows;
                int[] dims = new int[nf + 1];
                dims[0] = no[g];
                System.arraycopy(ns, 0, dims, 1, nf);
                double[] data = array(v, path, dims, "No x " + sizesText());
                if (data == null) {
                    ok = false;
                    continue;
                }
                if (counts) {
                    for (int i = 0; i < data.length; i++) {
                        if (data[i] < 0) {
                            error(
                                    path,
                                    "entry " + index(dims, i) + " is " + data[i] + "; Dirichlet counts must be >= 0");
                            ok = false;
                            break;
                        }
                    }
                    out[g] = data;
                } else {
                    out[g] = normalised(data, no[g], path, true);
                    if (out[g] == null) ok = false;
                }
            }
            return ok ? out : null;
        }

        /**
         * Column-normalises as spm_norm does, warning once per array about columns not summing to
         * 1; negative entries are errors, and all-zero columns are errors where spm_MDP_check
         * refuses them ("missing entries" in A and B).
         */
        private double[] normalised(double[] data, int rows, String path, boolean zeroColumnIsError) {
            int badColumns = 0;
            String example = null;
            for (int i = 0; i < data.length; i++) {
                if (data[i] < 0) {
                    error(path, "entry " + (i + 1) + " (linear index) is " + data[i] + "; probabilities must be >= 0");
                    return null;
                }
            }
            double[] out = data.clone();
            for (int off = 0; off < out.length; off += rows) {
                double sum = 0;
                for (int i = 0; i < rows; i++) sum += out[off + i];
                if (sum == 0 && zeroColumnIsError) {
                    error(path, "column " + (off / rows + 1) + " is all zeros; spm_MDP_check rejects missing entries");
                    return null;
                }
                if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                    badColumns++;
                    if (example == null)
                        example = "column " + (off / rows + 1) + " sums to " + String.format(Locale.ROOT, "%.4g", sum);
                }
                org.neuroflux.math.SpmMath.normaliseColumn(out, off, rows);
            }
            if (badColumns > 0)
                warn(path, badColumns + " column(s) normalised to sum to 1 as SPM does (" + example + ")");
            return out;
        }

        private double[][] readInitial(String field, boolean counts) {
            JsonNode cell = cell(field, nf, "hidden factor");
            if (cell == null) return null;
            double[][] out = new double[nf][];
            for (int f = 0; f < nf; f++) {
                String path = field + "{" + (f + 1) + "}";
                double[] v = array(cell.get(f), path, new int[] {ns[f], 1}, "Ns x 1");
                if (v == null) continue;
                for (int s = 0; s < ns[f]; s++) {
                    if (v[s] < 0) {
                        error(path, "entry " + (s + 1) + " is " + v[s] + "; expected >= 0");
                        v = null;
                        break;
                    }
                }
                if (v == null) continue;
                if (counts) {
                    out[f] = v;
                } else {
                    double sum = 0;
                    for (double x : v) sum += x;
                    if (Math.abs(sum - 1) > SUM_TOLERANCE)
                        warn(path, "normalised as SPM does (it sums to " + sum + ")");
                    out[f] = v.clone();
                    org.neuroflux.math.SpmMath.normaliseColumn(out[f], 0, ns[f]);
                }
            }
            return out;
        }

        private double[][] readPreferences(int epochs) {
            double[][] c = new double[ng][];
            if (!node.has("C")) {
                for (int g = 0; g < ng; g++) c[g] = new double[no[g] * epochs];
                return c;
            }
            JsonNode cell = cell("C", ng, "outcome modality");
            if (cell == null) return null;
            boolean ok = true;
            for (int g = 0; g < ng; g++) {
                String path = "C{" + (g + 1) + "}";
                JsonNode v = cell.get(g);
                int[] shape = MatlabArray.shapeOf(v);
                int cols = shape != null && shape.length == 2 ? shape[1] : 1;
                if (cols != 1 && cols != epochs) {
                    error(
                            path,
                            "has " + cols + " columns; expected 1 (constant) or T = " + epochs
                                    + (cols < epochs
                                            ? " (SPM would fail indexing C(:,t))"
                                            : " (SPM would silently ignore the extra columns)"));
                    ok = false;
                    continue;
                }
                double[] data = array(v, path, new int[] {no[g], cols}, "No x T");
                if (data == null) {
                    ok = false;
                    continue;
                }
                c[g] = new double[no[g] * epochs];
                for (int t = 0; t < epochs; t++)
                    System.arraycopy(data, cols == 1 ? 0 : t * no[g], c[g], t * no[g], no[g]);
            }
            return ok ? c : null;
        }

        private double[] readPolicyPrior(int np) {
            double[] e = array(node.get("E"), "E", new int[] {np, 1}, "Np x 1");
            if (e == null) return null;
            return normalised(e, np, "E", false);
        }

        // --- Dirichlet counts b, c, e (a and d are read beside A and D) -----------------------------

        /** b: one Ns x Ns x Nu array of counts >= 0 per factor, shaped as B. */
        private double[][] readTransitionCounts() {
            JsonNode cell = cell("b", nf, "hidden factor");
            if (cell == null) return null;
            double[][] out = new double[nf][];
            boolean ok = true;
            for (int f = 0; f < nf; f++) {
                String path = "b{" + (f + 1) + "}";
                int[] dims = {ns[f], ns[f], nu[f]};
                out[f] = counts(
                        array(cell.get(f), path, dims, "Ns x Ns x Nu (the shape of B{" + (f + 1) + "})"), path, dims);
                ok &= out[f] != null;
            }
            return ok ? out : null;
        }

        /** c: per modality No x 1 (repeated over T, as SPM repeats it) or No x T counts >= 0. */
        private double[][] readPreferenceCounts(int epochs) {
            if (node.has("C"))
                warn("C", "ignored: with counts c the agent's preferences are spm_psi(c + 1/32), as in SPM");
            JsonNode cell = cell("c", ng, "outcome modality");
            if (cell == null) return null;
            double[][] out = new double[ng][];
            boolean ok = true;
            for (int g = 0; g < ng; g++) {
                String path = "c{" + (g + 1) + "}";
                int[] shape = MatlabArray.shapeOf(cell.get(g));
                int cols = shape != null && shape.length == 2 ? shape[1] : 1;
                if (cols != 1 && cols != epochs) {
                    error(path, "has " + cols + " columns; expected 1 (repeated over T) or T = " + epochs);
                    ok = false;
                    continue;
                }
                int[] dims = {no[g], cols};
                double[] data = counts(array(cell.get(g), path, dims, "No x 1 or No x T"), path, dims);
                if (data == null) {
                    ok = false;
                    continue;
                }
                out[g] = new double[no[g] * epochs];
                for (int t = 0; t < epochs; t++)
                    System.arraycopy(data, cols == 1 ? 0 : t * no[g], out[g], t * no[g], no[g]);
            }
            return ok ? out : null;
        }

        /** e: Np x 1 counts >= 0. */
        private double[] readPolicyCounts(int np) {
            if (node.has("E"))
                warn("E", "ignored by the agent: with counts e its policy prior is e normalised, as in SPM");
            int[] dims = {np, 1};
            return counts(array(node.get("e"), "e", dims, "Np x 1"), "e", dims);
        }

        /** data unless it holds a negative count (reported); null stays null. */
        private double[] counts(double[] data, String path, int[] dims) {
            if (data == null) return null;
            for (int i = 0; i < data.length; i++) {
                if (data[i] < 0) {
                    error(path, "entry " + index(dims, i) + " is " + data[i] + "; Dirichlet counts must be >= 0");
                    return null;
                }
            }
            return data;
        }

        private int[][][] readSequentialPolicies() {
            JsonNode v = node.get("V");
            int[] shape = MatlabArray.shapeOf(v);
            int[] dims;
            if (shape == null || shape.length > 3) {
                error("V", "is " + MatlabArray.describe(shape) + "; expected (T-1) x Np x F");
                return null;
            } else if (shape.length == 0) {
                dims = new int[] {1, 1, 1}; // a scalar: one policy of one step (T = 2)
            } else if (shape.length == 3) {
                dims = shape;
            } else if (shape.length == 2) {
                dims = new int[] {shape[0], shape[1], 1};
            } else {
                // a flat list: one policy of n steps, or n one-step policies; T decides
                int n = shape[0];
                if (node.has("T") && node.get("T").isNumber() && node.get("T").asInt() == 2 && n > 1)
                    dims = new int[] {1, n, 1};
                else if (!node.has("T") && n > 1 && nf == 1) {
                    error(
                            "V",
                            "is a flat list of " + n
                                    + ": jsonencode lost its orientation; add T to say whether it is one policy of " + n
                                    + " steps (T = " + (n + 1) + ") or " + n + " one-step policies (T = 2)");
                    return null;
                } else dims = new int[] {n, 1, 1};
            }
            if (dims[2] != nf) {
                error(
                        "V",
                        "names " + dims[2] + " factors per step but B has " + nf
                                + " (spm_MDP_check: V(:,:,1:Nf) must match B{1:Nf})");
                return null;
            }
            double[] data = array(v, "V", dims, "(T-1) x Np x F");
            if (data == null) return null;
            return policies(data, dims[0], dims[1], "V");
        }

        private int[][][] readMovingPolicies() {
            JsonNode v = node.get("U");
            int[] shape = MatlabArray.shapeOf(v);
            int[] dims;
            if (shape == null || shape.length == 0 || shape.length > 3 || (shape.length == 3 && shape[0] != 1)) {
                error("U", "is " + MatlabArray.describe(shape) + "; expected 1 x Np x F");
                return null;
            } else if (shape.length == 3) {
                dims = shape;
            } else if (shape.length == 2) {
                dims = shape[0] == 1 ? new int[] {1, shape[1], 1} : new int[] {1, shape[0], shape[1]};
                if (shape[0] != 1 && nf != shape[1]) {
                    error("U", "is " + MatlabArray.describe(shape) + "; expected 1 x Np x F with F = " + nf);
                    return null;
                }
                if (shape[0] != 1) {
                    error(
                            "U",
                            "is " + MatlabArray.describe(shape)
                                    + "; a 1 x Np x F array is written as [[[...]]] by jsonencode");
                    return null;
                }
            } else {
                dims = new int[] {1, shape[0], 1};
            }
            if (dims[2] != nf) {
                error("U", "names " + dims[2] + " factors but B has " + nf);
                return null;
            }
            double[] data = array(v, "U", dims, "1 x Np x F");
            if (data == null) return null;
            return policies(data, 1, dims[1], "U");
        }

        private int[][][] policies(double[] data, int steps, int np, String field) {
            int[][][] out = new int[np][steps][nf];
            boolean ok = true;
            for (int j = 0; j < steps; j++) {
                for (int k = 0; k < np; k++) {
                    for (int f = 0; f < nf; f++) {
                        double value = data[j + steps * (k + np * f)];
                        String at = field + "(" + (j + 1) + "," + (k + 1) + "," + (f + 1) + ")";
                        if (value != Math.rint(value) || value < 1 || value > nu[f]) {
                            if (ok)
                                error(
                                        at,
                                        "is " + fmt(value) + "; expected a control of factor " + (f + 1) + " in 1.."
                                                + nu[f] + " (B{" + (f + 1) + "} has " + nu[f] + " control"
                                                + (nu[f] == 1 ? "" : "s") + ")");
                            ok = false;
                        } else {
                            out[k][j][f] = (int) value - 1;
                        }
                    }
                }
            }
            return ok ? out : null;
        }

        private SolverParameters readParameters() {
            SolverParameters d = SolverParameters.DEFAULTS;
            double tau = scalar("tau", d.tau());
            double erp = scalar("erp", d.erp());
            double alpha = scalar("alpha", d.alpha());
            double beta = scalar("beta", d.beta());
            double zeta = scalar("zeta", d.zeta());
            double eta = scalar("eta", d.eta());
            double chi = scalar("chi", d.chi());
            try {
                return new SolverParameters(tau, erp, alpha, beta, zeta, eta, chi);
            } catch (IllegalArgumentException e) {
                String msg = e.getMessage();
                error(msg.substring(0, msg.indexOf(' ')), msg.substring(msg.indexOf(' ') + 1));
                return null;
            }
        }

        private double scalar(String field, double fallback) {
            if (!node.has(field)) return fallback;
            JsonNode v = node.get(field);
            if (!v.isNumber()) {
                error(field, "is " + kind(v) + "; expected a number");
                return fallback;
            }
            return v.asDouble();
        }

        private int readInt(String field, int min) {
            JsonNode v = node.get(field);
            if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble()) || v.asDouble() < min) {
                error(field, "is " + v + "; expected a whole number >= " + min);
                return -1;
            }
            return v.asInt();
        }

        private TrialFixture readFixture(int epochs) {
            int[][] s = indices("s", nf, epochs, ns, "state of factor");
            int[][] o = indices("o", ng, epochs, no, "outcome of modality");
            int[][] u = indices("u", nf, Math.max(0, epochs - 1), nu, "control of factor");
            if (s == null || o == null || u == null) return null;
            for (int t = 0; t < epochs - 1; t++) {
                boolean anyFixed = false;
                boolean anyFree = false;
                for (int f = 0; f < nf; f++) {
                    anyFixed |= u[f][t] != TrialFixture.FREE;
                    anyFree |= u[f][t] == TrialFixture.FREE;
                }
                if (anyFixed && anyFree) {
                    error("u(:," + (t + 1) + ")", "mixes fixed actions and 0; give every factor's action or none");
                    return null;
                }
            }
            return new TrialFixture(s, o, u);
        }

        /**
         * Reads s, o or u: (rows x cols) of 1-based indices, 0 = sample. A flat list (orientation
         * lost) fills MATLAB's linear order, exactly as SPM's {@code s(find(MDP.s)) = ...} does.
         */
        private int[][] indices(String field, int rows, int cols, int[] limits, String what) {
            int[][] out = new int[rows][cols];
            for (int[] r : out) Arrays.fill(r, TrialFixture.FREE);
            if (!node.has(field)) return out;
            JsonNode v = node.get(field);
            int[] shape = MatlabArray.shapeOf(v);
            if (shape == null || shape.length > 2) {
                error(
                        field,
                        "is " + MatlabArray.describe(shape) + "; expected a " + rows + " x " + cols
                                + " array of indices");
                return null;
            }
            if (shape.length == 1 && shape[0] == 0) return out;
            double[] data = MatlabArray.read(v, shape); // a scalar ([]) reads as one entry
            int givenRows = shape.length == 2 ? shape[0] : rows;
            int givenCols = shape.length == 2 ? shape[1] : (data.length + rows - 1) / rows;
            if (shape.length == 2 && givenRows != rows) {
                error(
                        field,
                        "has " + givenRows + " rows; expected " + rows + " (one per "
                                + what.substring(what.lastIndexOf(' ') + 1) + ")");
                return null;
            }
            if (shape.length < 2 && data.length % rows != 0) {
                error(
                        field,
                        "is a flat list of " + data.length + "; with " + rows + " rows it must hold whole columns");
                return null;
            }
            if (givenCols > cols) {
                error(
                        field,
                        "has " + givenCols + " columns; expected at most " + cols
                                + " (SPM would drop the whole array silently)");
                return null;
            }
            boolean ok = true;
            for (int i = 0; i < data.length; i++) {
                int r = i % rows;
                int c = i / rows;
                double value = data[i];
                String at = field + "(" + (r + 1) + "," + (c + 1) + ")";
                if (value == 0) continue;
                if (value < 0 && field.equals("o")) {
                    error(at, "is " + fmt(value) + "; negative outcomes (multi-agent games) are not supported");
                    ok = false;
                } else if (value != Math.rint(value) || value < 0 || value > limits[r]) {
                    error(
                            at,
                            "is " + fmt(value) + "; expected 0 (sample) or "
                                    + (what.startsWith("outcome") ? "an " : "a ") + what + " " + (r + 1) + " in 1.."
                                    + limits[r]);
                    ok = false;
                } else {
                    out[r][c] = (int) value - 1;
                }
            }
            return ok ? out : null;
        }

        // --- names ----------------------------------------------------------------------------

        private List<Factor> factorNames() {
            List<String> names = strings("Bname", nf);
            List<Factor> out = new ArrayList<>();
            for (int f = 0; f < nf; f++) {
                List<String> states = new ArrayList<>();
                for (int s = 0; s < ns[f]; s++) states.add("state " + (s + 1));
                List<String> controls = new ArrayList<>();
                for (int u = 0; u < nu[f]; u++) controls.add("action " + (u + 1));
                out.add(new Factor(names != null ? names.get(f) : "factor " + (f + 1), states, controls));
            }
            return out;
        }

        private List<Modality> modalityNames() {
            List<String> names = strings("Aname", ng);
            List<Modality> out = new ArrayList<>();
            for (int g = 0; g < ng; g++) {
                List<String> outcomes = new ArrayList<>();
                for (int o = 0; o < no[g]; o++) outcomes.add("outcome " + (o + 1));
                out.add(new Modality(names != null ? names.get(g) : "modality " + (g + 1), outcomes));
            }
            return out;
        }

        private List<String> strings(String field, int count) {
            if (!node.has(field)) return null;
            JsonNode v = node.get(field);
            if (v.isTextual() && count == 1) return List.of(v.asText());
            if (!v.isArray() || v.size() != count) {
                warn(field, "ignored: expected a list of " + count + " names");
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode n : v) out.add(n.asText());
            return out;
        }

        private String sizesText() {
            StringBuilder sb = new StringBuilder();
            for (int f = 0; f < nf; f++)
                sb.append(f == 0 ? "" : " x ")
                        .append("Ns")
                        .append(f + 1)
                        .append('=')
                        .append(ns[f]);
            return sb.toString();
        }
    }

    private static String kind(JsonNode n) {
        if (n.isNumber()) return "a number";
        if (n.isTextual()) return "a string";
        if (n.isObject()) return "an object";
        if (n.isArray()) return n.isEmpty() ? "an empty list" : "a list";
        return n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static boolean containsNull(JsonNode n) {
        if (n.isNull()) return true;
        if (n.isArray()) for (JsonNode c : n) if (containsNull(c)) return true;
        return false;
    }

    /** MATLAB subscripts of linear index i in an array of size dims, e.g. "(2,1,3)". */
    static String index(int[] dims, int i) {
        StringBuilder sb = new StringBuilder("(");
        int rest = i;
        for (int d = 0; d < dims.length; d++) {
            sb.append(d == 0 ? "" : ",").append(rest % dims[d] + 1);
            rest /= dims[d];
        }
        return sb.append(')').toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
