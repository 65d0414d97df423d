package org.neuroflux.dynamics;

/**
 * Dirichlet counts after a trial's learning step and their (negative) free energies.
 *
 * @param likelihoodCounts  a[g] after the update, or null when A is not learned
 * @param initialCounts     d[f] after the update, or null when D is not learned
 * @param likelihoodEnergy  Fa[g] = -spm_KL_dir(a_post, a_prior), or null
 * @param initialEnergy     Fd[f] = -spm_KL_dir(d_post, d_prior), or null
 */
public record LearnedCounts(double[][] likelihoodCounts, double[][] initialCounts,
                            double[] likelihoodEnergy, double[] initialEnergy) {}
