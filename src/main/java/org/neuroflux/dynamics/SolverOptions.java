package org.neuroflux.dynamics;

import java.util.Objects;

/**
 * How the solver iterates, separately from the model. The two presets reproduce SPM r7487
 * ({@link #spm()}) and the authors' fork {@code spm_MDP_VB_X_nat3.m} ({@link #nat3()}); each switch
 * can be changed on its own for like-for-like comparisons.
 *
 * @param scheme                      the belief step
 * @param iterations                  Ni, iterations per epoch (SPM 16, fork 512)
 * @param gate                        convergence gate
 * @param precisionStepOverTau        precision step dFdg/tau (fork) instead of dFdg/2 (SPM)
 * @param precisionForMovingPolicies  update precision for one-step policies U too (fork); SPM fixes it to 1/beta
 */
public record SolverOptions(Scheme scheme, int iterations, ConvergenceGate gate, boolean precisionStepOverTau,
                            boolean precisionForMovingPolicies) {

    public SolverOptions {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(gate, "gate");
        if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, was " + iterations);
    }

    /** SPM r7487: active inference, Ni = 16, SPM's gate, precision step /2, fixed precision under U. */
    public static SolverOptions spm() {
        return new SolverOptions(Scheme.ACTIVE_INFERENCE, 16, ConvergenceGate.SPM, false, false);
    }

    /** The authors' fork exactly: natural gradient, Ni = 512, freezing gate, step /tau, precision under U. */
    public static SolverOptions nat3() {
        return new SolverOptions(Scheme.NATURAL_GRADIENT, 512, ConvergenceGate.FREEZE_AFTER_CONVERGENCE, true, true);
    }

    public SolverOptions withScheme(Scheme value) {
        return new SolverOptions(value, iterations, gate, precisionStepOverTau, precisionForMovingPolicies);
    }

    public SolverOptions withIterations(int value) {
        return new SolverOptions(scheme, value, gate, precisionStepOverTau, precisionForMovingPolicies);
    }
}
