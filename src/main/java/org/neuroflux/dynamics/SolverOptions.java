package org.neuroflux.dynamics;

import java.util.Objects;

/**
 * How the solver iterates, separately from the model. The two presets reproduce SPM r7487
 * ({@link #spm()}) and the authors' fork {@code spm_MDP_VB_X_nat3.m} ({@link #nat3()}); each switch
 * can be changed on its own for like-for-like comparisons.
 *
 * <p>{@link #withIntegration} switches the belief update to continuous time:
 * {@code SolverOptions.spm().withIntegration(IntegrationMode.adaptive())} integrates the flow that
 * both discrete schemes discretise over the same model time (Ni iterations of 1/tau each), and
 * precision by the flow of which SPM's update is the Euler step (docs/algorithm.md section 8.2);
 * policy pruning, action and learning stay as SPM does them.
 *
 * @param scheme                      the belief step (discrete integration only)
 * @param iterations                  Ni, iterations per epoch (SPM 16, fork 512); in continuous time
 *                                    the epoch lasts Ni/tau and is sampled Ni times
 * @param gate                        convergence gate (discrete integration only)
 * @param precisionStepOverTau        precision step dFdg/tau (fork) instead of dFdg/2 (SPM)
 * @param precisionForMovingPolicies  update precision for one-step policies U too (fork); SPM fixes it to 1/beta
 * @param integration                 discrete sweep (default) or continuous-time flow
 * @param samplesPerIteration         continuous time: samples of the flow per iteration of the model's own clock
 *                                    (Ni'/Ni of a continuous session, which runs Ni' samples with tau' = tau Ni'/Ni);
 *                                    the precision flow's rate and dopamine's derivative are per model iteration
 *                                    1/tau = samplesPerIteration/tau' (docs/algorithm.md section 8.2). 1 by default
 */
public record SolverOptions(
        Scheme scheme,
        int iterations,
        ConvergenceGate gate,
        boolean precisionStepOverTau,
        boolean precisionForMovingPolicies,
        IntegrationMode integration,
        double samplesPerIteration) {

    /** Why the Euclidean scheme has no adaptive continuous mode (the CLI and the server show it). */
    public static final String EUCLIDEAN_NEEDS_FIXED_STEP =
            "the Euclidean flow is integrated by projected RK4 only (rk4 with a fixed step): "
                    + "its field is stiff where a belief nears 0 (the -ln s in eps changes as 1/s) and kinks on the simplex's faces, "
                    + "where an adaptive explicit integrator stalls";

    public SolverOptions {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(integration, "integration");
        if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, was " + iterations);
        if (!(samplesPerIteration > 0) || Double.isInfinite(samplesPerIteration))
            throw new IllegalArgumentException(
                    "samplesPerIteration must be finite and > 0, was " + samplesPerIteration);
        if (scheme == Scheme.EUCLIDEAN && integration.method() == IntegrationMode.Method.ADAPTIVE) {
            throw new IllegalArgumentException(EUCLIDEAN_NEEDS_FIXED_STEP);
        }
    }

    /** Options sampled once per model iteration (samplesPerIteration 1). */
    public SolverOptions(
            Scheme scheme,
            int iterations,
            ConvergenceGate gate,
            boolean precisionStepOverTau,
            boolean precisionForMovingPolicies,
            IntegrationMode integration) {
        this(scheme, iterations, gate, precisionStepOverTau, precisionForMovingPolicies, integration, 1);
    }

    /** Options with the discrete sweep ({@link IntegrationMode#discrete()}). */
    public SolverOptions(
            Scheme scheme,
            int iterations,
            ConvergenceGate gate,
            boolean precisionStepOverTau,
            boolean precisionForMovingPolicies) {
        this(scheme, iterations, gate, precisionStepOverTau, precisionForMovingPolicies, IntegrationMode.discrete());
    }

    /** SPM r7487: active inference, Ni = 16, SPM's gate, precision step /2, fixed precision under U, discrete. */
    public static SolverOptions spm() {
        return new SolverOptions(
                Scheme.ACTIVE_INFERENCE, 16, ConvergenceGate.SPM, false, false, IntegrationMode.discrete());
    }

    /** The authors' fork exactly: natural gradient, Ni = 512, freezing gate, step /tau, precision under U, discrete. */
    public static SolverOptions nat3() {
        return new SolverOptions(
                Scheme.NATURAL_GRADIENT,
                512,
                ConvergenceGate.FREEZE_AFTER_CONVERGENCE,
                true,
                true,
                IntegrationMode.discrete());
    }

    public SolverOptions withScheme(Scheme value) {
        return new SolverOptions(
                value,
                iterations,
                gate,
                precisionStepOverTau,
                precisionForMovingPolicies,
                integration,
                samplesPerIteration);
    }

    public SolverOptions withIterations(int value) {
        return new SolverOptions(
                scheme,
                value,
                gate,
                precisionStepOverTau,
                precisionForMovingPolicies,
                integration,
                samplesPerIteration);
    }

    public SolverOptions withGate(ConvergenceGate value) {
        return new SolverOptions(
                scheme,
                iterations,
                value,
                precisionStepOverTau,
                precisionForMovingPolicies,
                integration,
                samplesPerIteration);
    }

    public SolverOptions withIntegration(IntegrationMode value) {
        return new SolverOptions(
                scheme, iterations, gate, precisionStepOverTau, precisionForMovingPolicies, value, samplesPerIteration);
    }

    /** Continuous time: samples per model iteration (see the record's doc); the session sets Ni'/Ni. */
    public SolverOptions withSamplesPerIteration(double value) {
        return new SolverOptions(
                scheme, iterations, gate, precisionStepOverTau, precisionForMovingPolicies, integration, value);
    }
}
