package org.neuroflux.dynamics;

import org.neuroflux.math.SpecialFunctions;
import org.neuroflux.math.SpmMath;
import org.neuroflux.model.GenerativeModel;

/**
 * The arrays the solver reads, prepared from a model once per trial exactly as spm_MDP_VB_X's
 * set-up does: normalised likelihood (from the counts a when present), sB and rB (normalised B and
 * B transposed, from the counts b when present), ln D (from the counts d when present), ln softmax C
 * (C = spm_psi(c + 1/32) when counts c are present), ln E (from the counts e), and the novelty terms
 * wA and wD. {@link #prepare} refills the arrays in place, so a new trial allocates nothing.
 */
final class AgentModel {
    final int nf;
    final int ng;
    final int epochs;
    final int np;
    final int joint;
    final int[] ns;
    final int[] nu;
    final int[] no;
    final int jointControls;

    /** Agent's likelihood, (No_g, joint) column-major. */
    final double[][] likelihood;
    /** Generative process's likelihood (the model's A). */
    final double[][] processLikelihood;
    /** Forward transitions sB[f], (Ns, Ns, Nu). */
    final double[][] forward;
    /** Backward transitions rB[f] = norm(B'), (Ns, Ns, Nu). */
    final double[][] backward;
    /** Generative process's transitions (the model's B). */
    final double[][] processTransitions;

    final double[][] initial;
    final double[][] lnInitial;
    final double[][] processInitial;
    /** ln softmax(C) per column, (No_g, T). */
    final double[][] lnPreferences;

    final double[] lnPolicyPrior;
    /** wA[g] = spm_wnorm(a) .* (a > 0), or null. */
    final double[][] likelihoodNovelty;
    /** wD[f] = spm_wnorm(d), or null. */
    final double[][] initialNovelty;

    AgentModel(GenerativeModel model) {
        nf = model.factorCount();
        ng = model.modalityCount();
        epochs = model.epochs();
        np = model.policyCount();
        joint = model.jointStateCount();
        ns = new int[nf];
        nu = new int[nf];
        int controls = 1;
        for (int f = 0; f < nf; f++) {
            ns[f] = model.factors().get(f).stateCount();
            nu[f] = model.factors().get(f).controlCount();
            controls *= nu[f];
        }
        jointControls = controls;
        no = new int[ng];
        for (int g = 0; g < ng; g++) no[g] = model.modalities().get(g).outcomeCount();
        likelihood = new double[ng][];
        processLikelihood = new double[ng][];
        lnPreferences = new double[ng][];
        likelihoodNovelty = model.learnsLikelihood() ? new double[ng][] : null;
        for (int g = 0; g < ng; g++) {
            likelihood[g] = new double[no[g] * joint];
            processLikelihood[g] = new double[no[g] * joint];
            lnPreferences[g] = new double[no[g] * epochs];
            if (likelihoodNovelty != null) likelihoodNovelty[g] = new double[no[g] * joint];
        }
        forward = new double[nf][];
        backward = new double[nf][];
        processTransitions = new double[nf][];
        initial = new double[nf][];
        lnInitial = new double[nf][];
        processInitial = new double[nf][];
        initialNovelty = model.learnsInitialStates() ? new double[nf][] : null;
        for (int f = 0; f < nf; f++) {
            int size = ns[f] * ns[f] * nu[f];
            forward[f] = new double[size];
            backward[f] = new double[size];
            processTransitions[f] = new double[size];
            initial[f] = new double[ns[f]];
            lnInitial[f] = new double[ns[f]];
            processInitial[f] = new double[ns[f]];
            if (initialNovelty != null) initialNovelty[f] = new double[ns[f]];
        }
        lnPolicyPrior = new double[np];
        prepare(model);
    }

    /**
     * Refills every array from the model (same shape as the one this was built for), copying into
     * the arrays already held: no allocation. Each array sees the same operations on the same raw
     * values as SPM's set-up (novelty weights from the raw counts, then normalisation).
     */
    void prepare(GenerativeModel model) {
        for (int g = 0; g < ng; g++) {
            model.copyLikelihood(g, processLikelihood[g]);
            if (model.learnsLikelihood()) {
                model.copyLikelihoodCounts(g, likelihood[g]);
                noveltyWeights(likelihood[g], no[g], true, likelihoodNovelty[g]);
            } else {
                model.copyLikelihood(g, likelihood[g]);
            }
            SpmMath.normaliseColumns(likelihood[g], no[g]);
            double[] lnC = lnPreferences[g];
            if (model.learnsPreferences()) {
                model.copyPreferenceCounts(g, lnC);
                for (int t = 0; t < epochs; t++) psiOfCounts(lnC, t * no[g], no[g]);
            } else {
                model.copyPreferences(g, lnC);
            }
            for (int t = 0; t < epochs; t++) {
                SpmMath.softmax(lnC, t * no[g], lnC, t * no[g], no[g]);
                SpmMath.ln(lnC, t * no[g], lnC, t * no[g], no[g]);
            }
        }
        for (int f = 0; f < nf; f++) {
            double[] b = processTransitions[f];
            model.copyTransitions(f, b);
            if (model.learnsTransitions()) {
                model.copyTransitionCounts(f, forward[f]); // the agent's sB and rB come from the counts b
                b = forward[f];
            } else {
                System.arraycopy(b, 0, forward[f], 0, b.length);
            }
            int n = ns[f];
            for (int u = 0; u < nu[f]; u++) {
                int off = u * n * n;
                for (int to = 0; to < n; to++) {
                    for (int from = 0; from < n; from++) backward[f][off + from + n * to] = b[off + to + n * from];
                }
            }
            SpmMath.normaliseColumns(forward[f], n);
            SpmMath.normaliseColumns(backward[f], n);
            model.copyInitialStates(f, processInitial[f]);
            SpmMath.normaliseColumn(processInitial[f], 0, n);
            if (model.learnsInitialStates()) {
                model.copyInitialCounts(f, initial[f]);
                noveltyWeights(initial[f], n, false, initialNovelty[f]);
            } else {
                model.copyInitialStates(f, initial[f]);
            }
            SpmMath.normaliseColumn(initial[f], 0, n);
            SpmMath.ln(initial[f], 0, lnInitial[f], 0, n);
        }
        if (model.learnsPolicyPrior()) model.copyPolicyCounts(lnPolicyPrior);
        else model.copyPolicyPrior(lnPolicyPrior);
        SpmMath.normaliseColumn(lnPolicyPrior, 0, np);
        SpmMath.ln(lnPolicyPrior, 0, lnPolicyPrior, 0, np);
    }

    /** C = spm_psi(c + 1/32) of one column, in place: psi(c + 1/32) - psi(sum(c + 1/32)). */
    private static void psiOfCounts(double[] c, int off, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += c[off + i] + 1.0 / 32;
        double psiSum = SpecialFunctions.digamma(sum);
        for (int i = 0; i < n; i++) c[off + i] = SpecialFunctions.digamma(c[off + i] + 1.0 / 32) - psiSum;
    }

    /** spm_wnorm: 1/sum(a + 1e-16) - 1/(a + 1e-16) per column, optionally masked to a > 0. */
    private static void noveltyWeights(double[] counts, int rows, boolean maskZeros, double[] out) {
        for (int off = 0; off < counts.length; off += rows) {
            double sum = 0;
            for (int i = 0; i < rows; i++) sum += counts[off + i] + SpmMath.LOG_FLOOR;
            for (int i = 0; i < rows; i++) {
                double w = 1 / sum - 1 / (counts[off + i] + SpmMath.LOG_FLOOR);
                out[off + i] = maskZeros ? w * (counts[off + i] > 0 ? 1 : 0) : w;
            }
        }
    }
}
