package org.neuroflux.dynamics;

/**
 * What one agent's last epoch produced, as readers of frames and meters see it: the per-iteration
 * traces (rates, errors, policy posterior, precision) and the epoch's outcomes. Implemented by
 * {@link TrialSolver} for its one agent and by {@link BatchSolver#lane} for one lane of a batch, so
 * the code that turns an epoch into rows reads both alike. Indices and meanings are
 * {@link TrialSolver}'s.
 */
public interface EpochResults {
    /** Policy-averaged belief of factor f, state s, time point j after iteration i of the last epoch. */
    double rate(int f, int i, int s, int j);

    /** Policy-averaged mean-subtracted prediction error, indexed as {@link #rate}. */
    double error(int f, int i, int s, int j);

    /** Policy-averaged belief about time point j at the start of the last epoch (0 where not computed). */
    double startRate(int f, int s, int j);

    /** Policy posterior of policy k after precision iteration i of the last epoch. */
    double policyPosteriorAt(int k, int i);

    /** Expected precision after precision iteration i of the last epoch. */
    double precisionAt(int i);

    /** Policy posterior of policy k at the end of epoch t. */
    double policyPosterior(int k, int t);

    /** Precision at the end of epoch t. */
    double precision(int t);

    int policyCount();

    /** Outcome of modality g at epoch t (0-based). */
    int outcome(int g, int t);

    /** True state of factor f at epoch t (0-based), or {@code TrialFixture.FREE} when outcomes were supplied. */
    int state(int f, int t);

    /** SPM's H(t) of the last epoch. */
    double totalFreeEnergy();

    /** (Negative) expected free energy of policy k in the last epoch. */
    double expectedFreeEnergy(int k);
}
