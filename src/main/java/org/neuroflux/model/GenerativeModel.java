package org.neuroflux.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable discrete POMDP in SPM's conventions (see {@code docs/algorithm.md} section 2).
 *
 * <p>Probability arrays are normalised column-wise on construction by the readers; this class only
 * checks shapes. Arrays are flat, column-major (MATLAB order), 0-based. Accessors return copies:
 * the solver copies what it needs once, when it is built, never per iteration.
 */
public final class GenerativeModel {
    private final String name;
    private final String description;
    private final List<Factor> factors;
    private final List<Modality> modalities;
    private final int epochs;
    private final double[][] likelihood;
    private final double[][] likelihoodCounts;
    private final double[][] transitions;
    private final double[][] preferences;
    private final double[][] initialStates;
    private final double[][] initialCounts;
    private final double[] policyPrior;
    private final DirichletCounts extraCounts; // b, c, e
    private final int[][][] policies;
    private final boolean movingPolicies;
    private final SolverParameters parameters;
    private final int jointStates;
    private final Subordinate subordinate;

    private GenerativeModel(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.description = b.description == null ? "" : b.description;
        this.factors = List.copyOf(b.factors);
        this.modalities = List.copyOf(b.modalities);
        this.epochs = b.epochs;
        this.parameters = Objects.requireNonNull(b.parameters, "parameters");
        int nf = factors.size();
        int ng = modalities.size();
        if (nf == 0) throw new IllegalArgumentException("a model needs at least one hidden factor");
        if (ng == 0) throw new IllegalArgumentException("a model needs at least one outcome modality");
        if (epochs < 1) throw new IllegalArgumentException("T must be >= 1, was " + epochs);
        int joint = jointStateCount(factors);
        this.jointStates = joint;
        likelihood = checkEach("A", b.likelihood, ng, g -> modalities.get(g).outcomeCount() * joint);
        likelihoodCounts = b.likelihoodCounts == null
                ? null
                : checkEach("a", b.likelihoodCounts, ng, g -> modalities.get(g).outcomeCount() * joint);
        transitions = checkEach("B", b.transitions, nf, f -> {
            Factor x = factors.get(f);
            return x.stateCount() * x.stateCount() * x.controlCount();
        });
        preferences = checkEach("C", b.preferences, ng, g -> modalities.get(g).outcomeCount() * epochs);
        initialStates = checkEach("D", b.initialStates, nf, f -> factors.get(f).stateCount());
        initialCounts = b.initialCounts == null
                ? null
                : checkEach("d", b.initialCounts, nf, f -> factors.get(f).stateCount());
        policies = copyPolicies(b.policies, nf);
        movingPolicies = b.movingPolicies;
        int steps = movingPolicies ? 1 : epochs - 1;
        for (int k = 0; k < policies.length; k++) {
            if (policies[k].length != steps) {
                throw new IllegalArgumentException(
                        "policy " + k + " has " + policies[k].length + " steps, expected " + steps);
            }
            for (int[] step : policies[k]) {
                for (int f = 0; f < nf; f++) {
                    if (step[f] < 0 || step[f] >= factors.get(f).controlCount()) {
                        throw new IllegalArgumentException(
                                "policy " + k + " uses control " + step[f] + " of factor " + f);
                    }
                }
            }
        }
        if (policies.length == 0) throw new IllegalArgumentException("a model needs at least one policy");
        policyPrior = b.policyPrior == null ? uniform(policies.length) : b.policyPrior.clone();
        if (policyPrior.length != policies.length) {
            throw new IllegalArgumentException("E has " + policyPrior.length + " entries, expected " + policies.length);
        }
        extraCounts = new DirichletCounts(
                b.transitionCounts == null ? null : checkEach("b", b.transitionCounts, nf, f -> transitions[f].length),
                b.preferenceCounts == null ? null : checkEach("c", b.preferenceCounts, ng, g -> preferences[g].length),
                b.policyCounts == null
                        ? null
                        : checkEach("e", new double[][] {b.policyCounts}, 1, k -> policies.length)[0]);
        subordinate = b.subordinate;
        if (subordinate != null) checkLinks(subordinate);
    }

    /** Each link{f,g} maps this level's outcomes of modality g to the lower level's states of factor f. */
    private void checkLinks(Subordinate sub) {
        if (sub.higherModalityCount() != modalities.size()) {
            throw new IllegalArgumentException(
                    "link has columns for " + sub.higherModalityCount() + " modalities, expected " + modalities.size());
        }
        for (int f = 0; f < sub.model().factorCount(); f++) {
            for (int g = 0; g < modalities.size(); g++) {
                int expected = sub.model().factors().get(f).stateCount()
                        * modalities.get(g).outcomeCount();
                if (sub.linked(f, g) && sub.link(f, g).length != expected) {
                    throw new IllegalArgumentException("link{" + (f + 1) + "," + (g + 1) + "} has "
                            + sub.link(f, g).length + " entries, expected " + expected + " (lower states x outcomes)");
                }
            }
        }
    }

    private interface SizeOf {
        int of(int index);
    }

    private static double[][] checkEach(String field, double[][] arrays, int count, SizeOf size) {
        Objects.requireNonNull(arrays, field);
        if (arrays.length != count)
            throw new IllegalArgumentException(field + " has " + arrays.length + " arrays, expected " + count);
        double[][] copy = new double[count][];
        for (int i = 0; i < count; i++) {
            if (arrays[i].length != size.of(i)) {
                throw new IllegalArgumentException(
                        field + "[" + i + "] has " + arrays[i].length + " entries, expected " + size.of(i));
            }
            copy[i] = arrays[i].clone();
        }
        return copy;
    }

    private static int[][][] copyPolicies(int[][][] policies, int nf) {
        Objects.requireNonNull(policies, "policies");
        int[][][] copy = new int[policies.length][][];
        for (int k = 0; k < policies.length; k++) {
            copy[k] = new int[policies[k].length][];
            for (int j = 0; j < policies[k].length; j++) {
                if (policies[k][j].length != nf)
                    throw new IllegalArgumentException("policy " + k + " step " + j + " names " + policies[k][j].length
                            + " factors, expected " + nf);
                copy[k][j] = policies[k][j].clone();
            }
        }
        return copy;
    }

    private static double[] uniform(int n) {
        double[] u = new double[n];
        Arrays.fill(u, 1.0 / n);
        return u;
    }

    /** Product of the factors' state counts: the number of joint hidden states. */
    public static int jointStateCount(List<Factor> factors) {
        int n = 1;
        for (Factor f : factors) n = Math.multiplyExact(n, f.stateCount());
        return n;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public List<Factor> factors() {
        return factors;
    }

    public List<Modality> modalities() {
        return modalities;
    }

    /** Number of epochs (outcomes) per trial, T. */
    public int epochs() {
        return epochs;
    }

    public int factorCount() {
        return factors.size();
    }

    public int modalityCount() {
        return modalities.size();
    }

    public int policyCount() {
        return policies.length;
    }

    public int jointStateCount() {
        return jointStates;
    }

    /** A[g], the generative process's likelihood, (No_g, Ns_1..Ns_F) column-major, columns normalised. */
    public double[] likelihood(int g) {
        return likelihood[g].clone();
    }

    /** a[g], Dirichlet counts for A[g], or null when the model does not learn A. */
    public double[] likelihoodCounts(int g) {
        return likelihoodCounts == null ? null : likelihoodCounts[g].clone();
    }

    public boolean learnsLikelihood() {
        return likelihoodCounts != null;
    }

    /** B[f], (Ns_f, Ns_f, Nu_f) column-major, indexed (to, from, control); columns normalised. */
    public double[] transitions(int f) {
        return transitions[f].clone();
    }

    /** C[g], log preferences (No_g, T) column-major, as given (the solver applies ln softmax). */
    public double[] preferences(int g) {
        return preferences[g].clone();
    }

    /** D[f], the prior over initial states (normalised). */
    public double[] initialStates(int f) {
        return initialStates[f].clone();
    }

    /** d[f], Dirichlet counts for D[f], or null when the model does not learn D. */
    public double[] initialCounts(int f) {
        return initialCounts == null ? null : initialCounts[f].clone();
    }

    public boolean learnsInitialStates() {
        return initialCounts != null;
    }

    /** b[f], Dirichlet counts for B[f] (same layout), or null when the model does not learn B. */
    public double[] transitionCounts(int f) {
        return extraCounts.transitions() == null ? null : extraCounts.transitions()[f].clone();
    }

    public boolean learnsTransitions() {
        return extraCounts.transitions() != null;
    }

    /** c[g], Dirichlet counts for the preferences, (No_g, T) like C, or null when C is not learned. */
    public double[] preferenceCounts(int g) {
        return extraCounts.preferences() == null ? null : extraCounts.preferences()[g].clone();
    }

    public boolean learnsPreferences() {
        return extraCounts.preferences() != null;
    }

    /** e, Dirichlet counts for the policy prior E, or null when E is not learned. */
    public double[] policyCounts() {
        return extraCounts.policies() == null ? null : extraCounts.policies().clone();
    }

    public boolean learnsPolicyPrior() {
        return extraCounts.policies() != null;
    }

    /** E, the prior over policies (normalised). */
    public double[] policyPrior() {
        return policyPrior.clone();
    }

    // Copying accessors for the solver's per-trial set-up: fill a caller-owned array (of the exact
    // length the getter above would return) instead of allocating a copy.

    /** Copies A[g] into dst. */
    public void copyLikelihood(int g, double[] dst) {
        copy(likelihood[g], dst);
    }

    /** Copies a[g] into dst; the model must learn A. */
    public void copyLikelihoodCounts(int g, double[] dst) {
        copy(likelihoodCounts[g], dst);
    }

    /** Copies B[f] into dst. */
    public void copyTransitions(int f, double[] dst) {
        copy(transitions[f], dst);
    }

    /** Copies C[g] into dst. */
    public void copyPreferences(int g, double[] dst) {
        copy(preferences[g], dst);
    }

    /** Copies D[f] into dst. */
    public void copyInitialStates(int f, double[] dst) {
        copy(initialStates[f], dst);
    }

    /** Copies d[f] into dst; the model must learn D. */
    public void copyInitialCounts(int f, double[] dst) {
        copy(initialCounts[f], dst);
    }

    /** Copies E into dst. */
    public void copyPolicyPrior(double[] dst) {
        copy(policyPrior, dst);
    }

    /** Copies b[f] into dst; the model must learn B. */
    public void copyTransitionCounts(int f, double[] dst) {
        copy(extraCounts.transitions()[f], dst);
    }

    /** Copies c[g] into dst; the model must learn C. */
    public void copyPreferenceCounts(int g, double[] dst) {
        copy(extraCounts.preferences()[g], dst);
    }

    /** Copies e into dst; the model must learn E. */
    public void copyPolicyCounts(double[] dst) {
        copy(extraCounts.policies(), dst);
    }

    private static void copy(double[] src, double[] dst) {
        if (dst.length != src.length)
            throw new IllegalArgumentException("destination has " + dst.length + " entries, expected " + src.length);
        System.arraycopy(src, 0, dst, 0, src.length);
    }

    /** Control of factor f at step j under policy k (0-based). */
    public int policyControl(int k, int j, int f) {
        return policies[k][j][f];
    }

    /** Steps per policy: T-1 for sequential policies (V), 1 for moving one-step policies (U). */
    public int policySteps() {
        return movingPolicies ? 1 : epochs - 1;
    }

    /** True for SPM's one-step "moving" policies U, false for sequential policies V. */
    public boolean movingPolicies() {
        return movingPolicies;
    }

    public SolverParameters parameters() {
        return parameters;
    }

    /** The lower level of a deep model (SPM's MDP.MDP and link), or null for a single-level model. */
    public Subordinate subordinate() {
        return subordinate;
    }

    /**
     * A copy with another prior over initial states (not necessarily normalised: the solver
     * normalises it, as SPM does): what a subordinate level receives from the level above.
     */
    public GenerativeModel withInitialStates(double[][] newInitialStates) {
        Builder b = toBuilder();
        b.initialStates = newInitialStates;
        return b.build();
    }

    /** A copy of this model with other Dirichlet counts (learning carries them from trial to trial). */
    public GenerativeModel withCounts(double[][] newLikelihoodCounts, double[][] newInitialCounts) {
        Builder b = toBuilder();
        b.likelihoodCounts = newLikelihoodCounts;
        b.initialCounts = newInitialCounts;
        return b.build();
    }

    /**
     * A copy of this model whose counts are replaced by those {@code learned} holds; counts it holds
     * null for stay as they are (a model cannot start learning a parameter it does not learn).
     */
    public GenerativeModel withLearned(DirichletCounts learned) {
        Builder b = toBuilder();
        if (learned.likelihood() != null && likelihoodCounts != null) b.likelihoodCounts = learned.likelihood();
        if (learned.transitions() != null && extraCounts.transitions() != null)
            b.transitionCounts = learned.transitions();
        if (learned.preferences() != null && extraCounts.preferences() != null)
            b.preferenceCounts = learned.preferences();
        if (learned.initial() != null && initialCounts != null) b.initialCounts = learned.initial();
        if (learned.policies() != null && extraCounts.policies() != null) b.policyCounts = learned.policies();
        return b.build();
    }

    public GenerativeModel withParameters(SolverParameters newParameters) {
        Builder b = toBuilder();
        b.parameters = newParameters;
        return b.build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.description = description;
        b.factors = factors;
        b.modalities = modalities;
        b.epochs = epochs;
        b.likelihood = likelihood;
        b.likelihoodCounts = likelihoodCounts;
        b.transitions = transitions;
        b.preferences = preferences;
        b.initialStates = initialStates;
        b.initialCounts = initialCounts;
        b.policyPrior = policyPrior;
        b.transitionCounts = extraCounts.transitions();
        b.preferenceCounts = extraCounts.preferences();
        b.policyCounts = extraCounts.policies();
        b.policies = policies;
        b.movingPolicies = movingPolicies;
        b.parameters = parameters;
        b.subordinate = subordinate;
        return b;
    }

    /** A one-line summary, as {@code neuroflux validate} prints it. */
    public String summary() {
        StringBuilder sb = new StringBuilder(name).append(": ");
        for (int f = 0; f < factors.size(); f++) {
            sb.append(f == 0 ? "" : " x ")
                    .append(factors.get(f).name())
                    .append('(')
                    .append(factors.get(f).stateCount())
                    .append(')');
        }
        sb.append(" states; ");
        for (int g = 0; g < modalities.size(); g++) {
            sb.append(g == 0 ? "" : ", ")
                    .append(modalities.get(g).name())
                    .append('(')
                    .append(modalities.get(g).outcomeCount())
                    .append(')');
        }
        sb.append(" outcomes; ")
                .append(policies.length)
                .append(movingPolicies ? " one-step" : "")
                .append(" policies; T=")
                .append(epochs);
        sb.append("; tau=").append(fmt(parameters.tau()));
        if (learnsLikelihood()) sb.append("; learns a");
        if (learnsTransitions()) sb.append("; learns b");
        if (learnsPreferences()) sb.append("; learns c");
        if (learnsInitialStates()) sb.append("; learns d");
        if (learnsPolicyPrior()) sb.append("; learns e");
        if (subordinate != null)
            sb.append("; above a lower level [")
                    .append(subordinate.model().summary())
                    .append(']');
        return sb.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Mutable assembly of a model; the readers fill it and {@link #build()} checks shapes. */
    public static final class Builder {
        public String name;
        public String description;
        public List<Factor> factors;
        public List<Modality> modalities;
        public int epochs;
        public double[][] likelihood;
        public double[][] likelihoodCounts;
        public double[][] transitions;
        public double[][] preferences;
        public double[][] initialStates;
        public double[][] initialCounts;
        public double[] policyPrior;
        /** b, c ((No_g, T) like C) and e: Dirichlet counts of B, C and E, each null when not learned. */
        public double[][] transitionCounts;

        public double[][] preferenceCounts;
        public double[] policyCounts;
        public int[][][] policies;
        public boolean movingPolicies;
        public SolverParameters parameters = SolverParameters.DEFAULTS;
        public Subordinate subordinate;

        public GenerativeModel build() {
            return new GenerativeModel(this);
        }
    }
}
