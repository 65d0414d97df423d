package org.neuroflux.model.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelFormat;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.model.ProblemCollector;
import org.neuroflux.model.SolverParameters;
import org.neuroflux.model.TrialFixture;

/**
 * Reads neuroflux's native model format: YAML (or the same structure in JSON) with named factors,
 * states, controls, modalities, outcomes and policies. The format is documented in
 * {@code docs/model-format.md}. Every problem in a file is collected before one
 * {@link ModelValidationException} reports them all, each with its field path, the value found
 * and what was expected.
 */
public final class ModelSpecReader {
    /** Top-level fields, in the order the documentation introduces them. */
    static final List<String> FIELDS = List.of(
            "name",
            "description",
            "T",
            "oneStep",
            "normalise",
            "factors",
            "modalities",
            "policies",
            "A",
            "B",
            "C",
            "D",
            "E",
            "learn",
            "parameters",
            "trial",
            "lower");

    static final List<String> REQUIRED = List.of("T", "factors", "modalities", "policies", "A", "B");
    static final List<String> PARAMETERS = List.of("tau", "erp", "alpha", "beta", "zeta", "eta", "chi");
    static final List<String> LEARN = List.of("a", "b", "c", "d", "e");

    private final ObjectMapper yaml =
            new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private final ModelLimits limits;

    /** A reader with the default {@link ModelLimits}. */
    public ModelSpecReader() {
        this(ModelLimits.DEFAULTS);
    }

    public ModelSpecReader(ModelLimits limits) {
        this.limits = limits;
    }

    public LoadedModel read(Path file) throws IOException, ModelValidationException {
        return read(Files.readString(file), file.getFileName().toString());
    }

    /**
     * Reads one model.
     *
     * @param text   the file's content, YAML or JSON
     * @param source the file name, used in messages and as the default model name
     */
    public LoadedModel read(String text, String source) throws ModelValidationException {
        ProblemCollector problems = new ProblemCollector(source);
        SpecNode root = new SpecNode(parse(text, source, problems), "", problems);
        problems.throwIfErrors();
        Level level = readLevel(root, defaultName(source), problems);
        problems.throwIfErrors();
        return new LoadedModel(
                List.of(level.model()), List.of(level.fixture()), ModelFormat.NATIVE, problems.warnings());
    }

    /** One level of a model as read: the model, its trial and its names. */
    record Level(GenerativeModel model, TrialFixture fixture, Vocabulary names) {}

    /** Reads one model (a whole file, or a lower level below one); null after reporting its problems. */
    Level readLevel(SpecNode root, String defaultName, ProblemCollector problems) {
        int before = problems.errors().size();
        if (!root.mapping(
                "a model: a mapping with the fields " + String.join(", ", REQUIRED) + " (and optional ones)",
                FIELDS,
                REQUIRED)) {
            return null;
        }
        String name = root.field("name").present() ? root.field("name").name("a model name") : defaultName;
        SpecNode about = root.field("description");
        if (about.present() && !about.isText()) about.error("is " + about.kind() + "; expected a text");
        Integer epochs =
                root.field("T").present() ? root.field("T").whole(1, "a whole number >= 1 (epochs per trial)") : null;
        boolean oneStep = root.field("oneStep").flag(false);
        boolean rescale = root.field("normalise").flag(false);
        SolverParameters parameters = parameters(root.field("parameters"));
        SpecNode learn = root.field("learn");
        if (learn.present()) learn.mapping("a mapping with any of a, b, c, d, e (Dirichlet counts)", LEARN, List.of());
        Vocabulary names = Vocabulary.read(root);
        if (!withinLimits(root, names, problems)) return null; // nothing sized by them is allocated

        GenerativeModel.Builder b = new GenerativeModel.Builder();
        TrialFixture fixture = null;
        if (names.hasFactors()) {
            PriorReader priors = new PriorReader(names);
            if (root.field("B").present())
                b.transitions = new TransitionReader(names).transitions(root.field("B"), rescale);
            b.initialStates = priors.initialStates(root.field("D"), rescale);
            if (learn.field("d").present()) b.initialCounts = priors.initialCounts(learn.field("d"), b.initialStates);
            if (learn.field("b").present())
                b.transitionCounts = new CountReader(names).transitions(learn.field("b"), b.transitions);
            if (epochs != null && root.field("policies").present()) {
                PolicyReader policies = new PolicyReader(names);
                b.policies = policies.policies(root.field("policies"), oneStep ? 1 : epochs - 1, oneStep);
                if (b.policies != null && root.field("E").present())
                    b.policyPrior = policies.prior(root.field("E"), rescale);
                if (b.policies != null && learn.field("e").present()) {
                    double[] prior = root.field("E").present() ? b.policyPrior : uniform(b.policies.length);
                    b.policyCounts =
                            new CountReader(names).policyPrior(learn.field("e"), policies.policyNames(), prior);
                }
            }
        }
        if (names.hasModalities() && epochs != null)
            b.preferences = new PriorReader(names).preferences(root.field("C"), epochs);
        if (names.hasModalities() && epochs != null && learn.field("c").present()) {
            if (root.field("C").present()) {
                root.field("C")
                        .error(
                                "is given with learn.c; expected one of them (with learn.c the agent's preferences are psi(c + 1/32))");
            }
            b.preferenceCounts = new PriorReader(names).preferenceCounts(learn.field("c"), epochs);
        }
        if (names.hasFactors() && names.hasModalities()) {
            LikelihoodReader likelihood = new LikelihoodReader(names);
            if (root.field("A").present()) b.likelihood = likelihood.likelihood(root.field("A"), rescale);
            if (learn.field("a").present()) b.likelihoodCounts = likelihood.counts(learn.field("a"), b.likelihood);
            if (epochs != null) fixture = new TrialReader(names).fixture(root.field("trial"), epochs);
        }
        if (root.field("lower").present() && names.hasModalities()) {
            b.subordinate = new LowerLevelReader(this, names)
                    .read(root.field("lower"), (name == null ? defaultName : name) + " (lower level)");
        }
        if (problems.errors().size() > before) return null;

        b.name = name;
        b.description = about.present() ? about.json().asText().strip() : "";
        b.factors = names.factors();
        b.modalities = names.modalities();
        b.epochs = epochs;
        b.movingPolicies = oneStep;
        b.parameters = parameters;
        try {
            return new Level(b.build(), fixture, names);
        } catch (IllegalArgumentException e) { // a reader let an inconsistency through: report it, do not crash
            problems.error(root.path(), "inconsistent model: " + e.getMessage());
            return null;
        }
    }

    /** Checks the declared sizes (T, names, policies) against the limits before any array is built. */
    private boolean withinLimits(SpecNode root, Vocabulary names, ProblemCollector problems) {
        ModelLimits.Dimensions d = new ModelLimits.Dimensions();
        JsonNode t = root.field("T").json();
        if (t.isNumber()) d.epochs((long) Math.min(Long.MAX_VALUE, Math.ceil(t.asDouble())));
        if (names.hasFactors()) {
            int nf = names.factors().size();
            int[] ns = new int[nf];
            int[] nu = new int[nf];
            for (int f = 0; f < nf; f++) {
                ns[f] = names.factor(f).stateCount();
                nu[f] = names.factor(f).controlCount();
            }
            d.states(ns, nu);
        }
        if (names.hasModalities()) {
            int[] no = new int[names.modalities().size()];
            for (int g = 0; g < no.length; g++) no[g] = names.modality(g).outcomeCount();
            d.outcomes(no);
        }
        JsonNode policies = root.field("policies").json();
        if (policies.isArray()) d.policies(policies.size());
        return limits.check(d, problems);
    }

    private JsonNode parse(String text, String source, ProblemCollector problems) {
        // JSON is (nearly) YAML, but the JSON parser's messages are clearer for .json files; a YAML
        // file may also start with '{' (flow style), so the name decides, not the content
        boolean isJson = source.toLowerCase(Locale.ROOT).endsWith(".json");
        try {
            JsonNode root = (isJson ? json : yaml).readTree(text);
            if (root == null || root.isMissingNode() || root.isNull())
                problems.error("", "the file is empty; expected a model");
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            String message = compact(e.getOriginalMessage());
            if (message.contains("'.inf'")
                    || message.contains("'.nan'")
                    || message.contains("'-.inf'")
                    || message.contains("NaN")) {
                message += " (NaN and infinite values are not allowed; expected a finite number)";
            }
            problems.error("", "not valid " + (isJson ? "JSON" : "YAML") + where + ": " + message);
            return null;
        }
    }

    /** SnakeYAML's messages quote the offending text over several lines; keep the sentences. */
    private static String compact(String message) {
        List<String> parts = new ArrayList<>();
        for (String line : message.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) parts.add(line.strip());
        }
        return parts.isEmpty() ? message.strip() : String.join("; ", parts);
    }

    private static SolverParameters parameters(SpecNode node) {
        SolverParameters d = SolverParameters.DEFAULTS;
        if (!node.present()) return d;
        if (!node.mapping("a mapping of solver parameters", PARAMETERS, List.of())) return d;
        double[] values = {d.tau(), d.erp(), d.alpha(), d.beta(), d.zeta(), d.eta(), d.chi()};
        for (int i = 0; i < values.length; i++) {
            SpecNode p = node.field(PARAMETERS.get(i));
            if (!p.present()) continue;
            boolean eta = PARAMETERS.get(i).equals("eta");
            Double v = eta ? p.nonNegative("a finite number >= 0") : p.finite("a finite number > 0");
            if (v != null && !eta && v <= 0) p.error("is " + SpecNode.fmt(v) + "; expected a finite number > 0");
            else if (v != null) values[i] = v;
        }
        return new SolverParameters(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
    }

    private static double[] uniform(int n) {
        double[] u = new double[n];
        java.util.Arrays.fill(u, 1.0 / n);
        return u;
    }

    private static String defaultName(String source) {
        String base = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }
}
