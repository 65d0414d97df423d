package org.neuroflux.dynamics;

import org.neuroflux.model.DirichletCounts;
import org.neuroflux.model.GenerativeModel;

/**
 * Dirichlet counts after a trial's learning step and their (negative) free energies; each pair is
 * null where the model does not learn that parameter.
 *
 * @param likelihoodCounts  a[g] after the update
 * @param initialCounts     d[f] after the update
 * @param likelihoodEnergy  Fa[g] = -spm_KL_dir(a_post, a_prior)
 * @param initialEnergy     Fd[f] = -spm_KL_dir(d_post, d_prior)
 * @param transitionCounts  b[f] after the update
 * @param transitionEnergy  Fb[f]
 * @param preferenceCounts  c[g] after the update, (No_g, T)
 * @param preferenceEnergy  Fc[g] (one per modality; see docs/algorithm.md, learning)
 * @param policyCounts      e after the update
 * @param policyEnergy      Fe, a single value
 */
public record LearnedCounts(
        double[][] likelihoodCounts,
        double[][] initialCounts,
        double[] likelihoodEnergy,
        double[] initialEnergy,
        double[][] transitionCounts,
        double[] transitionEnergy,
        double[][] preferenceCounts,
        double[] preferenceEnergy,
        double[] policyCounts,
        double[] policyEnergy) {

    /** Only a and d learned (or neither). */
    public LearnedCounts(
            double[][] likelihoodCounts, double[][] initialCounts, double[] likelihoodEnergy, double[] initialEnergy) {
        this(likelihoodCounts, initialCounts, likelihoodEnergy, initialEnergy, null, null, null, null, null, null);
    }

    /** The same with b, c and e (and their energies) added. */
    LearnedCounts with(double[][] b, double[] fb, double[][] c, double[] fc, double[] e, double[] fe) {
        return new LearnedCounts(likelihoodCounts, initialCounts, likelihoodEnergy, initialEnergy, b, fb, c, fc, e, fe);
    }

    /** The learned counts alone. */
    public DirichletCounts counts() {
        return new DirichletCounts(likelihoodCounts, transitionCounts, preferenceCounts, initialCounts, policyCounts);
    }

    /**
     * The model the next trial runs: {@code model} with these counts in place of its own, as SPM
     * passes a struct array's learned counts on ({@code MDP(i).a = OUT(i-1).a}, likewise b, c, d, e).
     */
    public GenerativeModel applyTo(GenerativeModel model) {
        boolean none = likelihoodCounts == null
                && transitionCounts == null
                && preferenceCounts == null
                && initialCounts == null
                && policyCounts == null;
        return none ? model : model.withLearned(counts());
    }
}
