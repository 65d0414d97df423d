package org.neuroflux.dynamics;

/**
 * Evidence other than the sampled outcomes, supplied to a {@link TrialSolver} epoch by epoch: a
 * subordinate level's posterior, which becomes the level above's outcome likelihood O{g,t}
 * (docs/model-format.md, "Deep models").
 */
@FunctionalInterface
public interface OutcomeEvidence {
    /**
     * Called in epoch t once its true states and outcomes are known and before the solver uses
     * them; may call {@link TrialSolver#predictOutcome} and {@link TrialSolver#replaceOutcomeLikelihood}.
     */
    void supply(TrialSolver solver, int t);
}
