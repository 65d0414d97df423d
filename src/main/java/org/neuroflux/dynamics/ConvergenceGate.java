package org.neuroflux.dynamics;

/**
 * Decides whether iteration i (1-based) of a policy's sweep updates beliefs, given the change dF
 * of that policy's free energy over the previous iteration.
 */
public enum ConvergenceGate {
    /** SPM r7487: {@code dF > exp(-8) || i > 4}; can skip only iterations 2-4. */
    SPM,
    /** The authors' fork: {@code dF > exp(-8) || i <= 4}; freezes a policy once it has converged. */
    FREEZE_AFTER_CONVERGENCE,
    /** Every iteration updates: the plain discretisation of the flow, for convergence studies. */
    ALWAYS;

    private static final double THRESHOLD = Math.exp(-8);

    public boolean updates(double dF, int iteration) {
        return switch (this) {
            case SPM -> dF > THRESHOLD || iteration > 4;
            case FREEZE_AFTER_CONVERGENCE -> dF > THRESHOLD || iteration <= 4;
            case ALWAYS -> true;
        };
    }

    /**
     * True when a policy that skips iteration i (1-based) skips every later one too: a skipped
     * iteration keeps the policy's free energy, so the next dF is exactly 0, and the fork's gate
     * then only reopens for i <= 4. SPM's gate always reopens at i = 5.
     */
    public boolean skipsForGood(int iteration) {
        return this == FREEZE_AFTER_CONVERGENCE && iteration > 4;
    }
}
