package org.neuroflux.model;

/**
 * Upper bounds on a model's size, checked by every reader from the declared dimensions before any
 * array is allocated, so that a small file cannot ask for gigabytes (T = 10^9, 10^5 states, a
 * product of many factors). The defaults admit every shipped and SPM reference model many times
 * over; the server reads them from {@code limits.model*} in its configuration.
 *
 * @param maxEpochs             T, epochs per trial
 * @param maxStates             hidden states per factor
 * @param maxOutcomes           outcomes per modality
 * @param maxPolicies           policies (V or U columns, or the native list)
 * @param maxFactors            hidden factors
 * @param maxModalities         outcome modalities
 * @param maxElements           numbers in all of the model's arrays together (A, B, C over T, D, policies, trial data)
 * @param maxIterationsPerTrial T x Ni, the belief-update iterations (frames) of one trial
 */
public record ModelLimits(
        int maxEpochs,
        int maxStates,
        int maxOutcomes,
        int maxPolicies,
        int maxFactors,
        int maxModalities,
        long maxElements,
        long maxIterationsPerTrial) {
    /** Shipped models are at most T = 6, 8 states, 5 outcomes, 6 policies, 2 factors, 3 modalities. */
    public static final ModelLimits DEFAULTS =
            new ModelLimits(1_000, 4_096, 4_096, 10_000, 16, 16, 20_000_000L, 1_048_576L);

    /** Every limit must be at least 1. */
    public ModelLimits {
        if (maxEpochs < 1
                || maxStates < 1
                || maxOutcomes < 1
                || maxPolicies < 1
                || maxFactors < 1
                || maxModalities < 1
                || maxElements < 1
                || maxIterationsPerTrial < 1) {
            throw new IllegalArgumentException("every model limit must be >= 1");
        }
    }

    /**
     * The model's dimensions as far as a reader knows them before reading any array; -1 (or null)
     * for what is not known (yet). Each breach is recorded as a {@link ProblemCollector#tooLarge}
     * problem naming the field, its value and the limit.
     *
     * @return true if nothing is over a limit
     */
    public boolean check(Dimensions d, ProblemCollector problems) {
        int before = problems.errors().size();
        over(problems, d.pathOfT, d.epochs, maxEpochs, "epochs per trial (T)", "maxEpochs");
        if (d.states != null) {
            over(problems, d.pathOfFactors, d.states.length, maxFactors, "hidden factors", "maxFactors");
            for (int f = 0; f < d.states.length; f++) {
                over(problems, d.statePath(f), d.states[f], maxStates, "states of factor " + (f + 1), "maxStates");
            }
        }
        if (d.outcomes != null) {
            over(problems, d.pathOfModalities, d.outcomes.length, maxModalities, "outcome modalities", "maxModalities");
            for (int g = 0; g < d.outcomes.length; g++) {
                over(
                        problems,
                        d.outcomePath(g),
                        d.outcomes[g],
                        maxOutcomes,
                        "outcomes of modality " + (g + 1),
                        "maxOutcomes");
            }
        }
        over(problems, d.pathOfPolicies, d.policies, maxPolicies, "policies", "maxPolicies");
        if (problems.errors().size() == before) {
            double elements = d.elements();
            if (elements > maxElements) {
                problems.tooLarge(
                        "",
                        "would hold " + String.format(java.util.Locale.ROOT, "%.0f", elements)
                                + " numbers in its arrays (A, B, C over T, D, policies); the limit is " + maxElements
                                + " (limits.modelMaxElements)");
            }
        }
        return problems.errors().size() == before;
    }

    /** The problem with T x Ni iterations per trial, or null when within the limit. */
    public String iterationsProblem(int epochs, int iterationsPerEpoch) {
        long n = (long) epochs * iterationsPerEpoch;
        if (n <= maxIterationsPerTrial) return null;
        return "T x iterations per epoch = " + epochs + " x " + iterationsPerEpoch + " = " + n
                + " iterations per trial; the limit is " + maxIterationsPerTrial
                + " (limits.modelMaxIterationsPerTrial)";
    }

    private static void over(
            ProblemCollector problems, String path, long value, long limit, String what, String setting) {
        if (value > limit) {
            String name = "model" + Character.toUpperCase(setting.charAt(0)) + setting.substring(1);
            problems.tooLarge(path, "is " + value + " " + what + "; the limit is " + limit + " (limits." + name + ")");
        }
    }

    /**
     * What a reader has learnt of a model's size from its field shapes, before allocating.
     * Unknown values stay -1 / null and are not checked.
     */
    public static final class Dimensions {
        long epochs = -1;
        int[] states;
        int[] controls;
        int[] outcomes;
        long policies = -1;
        String pathOfT = "T";
        String pathOfFactors = "factors";
        String pathOfModalities = "modalities";
        String pathOfPolicies = "policies";
        String stateFormat = "factors[%d].states";
        String outcomeFormat = "modalities[%d].outcomes";

        /** Field paths in the reader's notation; %d is the 1-based factor or modality. */
        public Dimensions paths(
                String t,
                String factors,
                String modalities,
                String policies,
                String stateFormat,
                String outcomeFormat) {
            this.pathOfT = t;
            this.pathOfFactors = factors;
            this.pathOfModalities = modalities;
            this.pathOfPolicies = policies;
            this.stateFormat = stateFormat;
            this.outcomeFormat = outcomeFormat;
            return this;
        }

        public Dimensions epochs(long t) {
            this.epochs = t;
            return this;
        }

        public Dimensions states(int[] ns, int[] nu) {
            this.states = ns;
            this.controls = nu;
            return this;
        }

        public Dimensions outcomes(int[] no) {
            this.outcomes = no;
            return this;
        }

        public Dimensions policies(long np) {
            this.policies = np;
            return this;
        }

        String statePath(int f) {
            return String.format(java.util.Locale.ROOT, stateFormat, f + 1);
        }

        String outcomePath(int g) {
            return String.format(java.util.Locale.ROOT, outcomeFormat, g + 1);
        }

        /** Numbers the model's arrays will hold (a double, so that no product overflows). */
        double elements() {
            double t = Math.max(epochs, 1);
            double joint = 1;
            double n = 0;
            int nf = states == null ? 0 : states.length;
            if (states != null) {
                for (int f = 0; f < nf; f++) {
                    joint *= states[f];
                    double nu = controls == null ? 1 : controls[f];
                    n += (double) states[f] * states[f] * nu + states[f] * (1 + t); // B, D and the trial's states
                }
            }
            if (outcomes != null) {
                for (int no : outcomes)
                    n += no * (states == null ? 1 : joint) + no * t + t; // A, C over T, the trial's outcomes
            }
            if (policies > 0) n += policies * t * Math.max(nf, 1);
            return n;
        }
    }
}
