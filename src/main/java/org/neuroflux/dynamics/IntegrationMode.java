package org.neuroflux.dynamics;

import java.util.Objects;

/**
 * How a {@link TrialSolver} moves beliefs within an epoch.
 *
 * <ul>
 *   <li>{@link Method#DISCRETE} (default): SPM's in-place sweep of Ni discrete iterations, with the
 *       {@link Scheme} and {@link ConvergenceGate} of the options.</li>
 *   <li>{@link Method#FIXED_RK4}: the continuous-time flow {@link BeliefFlow} integrated by classical
 *       RK4 with a fixed step of {@code stepIterations} iterations (1/tau model time each), rounded
 *       down so a whole number of steps fits one iteration.</li>
 *   <li>{@link Method#ADAPTIVE}: the same flow integrated by Dormand-Prince 5(4) with the given
 *       absolute and relative tolerances on the log-beliefs.</li>
 * </ul>
 *
 * In both continuous methods each epoch covers Ni/tau model time, the belief is sampled at the end
 * of every iteration interval, and the scheme and gate of the options are not used for beliefs.
 *
 * @param method            the method
 * @param stepIterations    RK4 step in iterations, in (0, 1] (0 when unused)
 * @param absoluteTolerance adaptive atol, &gt; 0 (0 when unused)
 * @param relativeTolerance adaptive rtol, &gt;= 0 (0 when unused)
 */
public record IntegrationMode(
        Method method, double stepIterations, double absoluteTolerance, double relativeTolerance) {

    /** Default tolerances of {@link #adaptive()}. */
    public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-8;

    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-6;

    private static final IntegrationMode DISCRETE = new IntegrationMode(Method.DISCRETE, 0, 0, 0);

    /** The integration method. */
    public enum Method {
        /** SPM's discrete sweep. */
        DISCRETE,
        /** Continuous time, classical RK4 with a fixed step. */
        FIXED_RK4,
        /** Continuous time, adaptive Dormand-Prince 5(4). */
        ADAPTIVE
    }

    public IntegrationMode {
        Objects.requireNonNull(method, "method");
        if (method == Method.FIXED_RK4 && (!(stepIterations > 0) || stepIterations > 1)) {
            throw new IllegalArgumentException("stepIterations must be in (0, 1], was " + stepIterations);
        }
        if (method == Method.ADAPTIVE) {
            if (!(absoluteTolerance > 0) || Double.isInfinite(absoluteTolerance)) {
                throw new IllegalArgumentException(
                        "absoluteTolerance must be finite and > 0, was " + absoluteTolerance);
            }
            if (!(relativeTolerance >= 0) || Double.isInfinite(relativeTolerance)) {
                throw new IllegalArgumentException(
                        "relativeTolerance must be finite and >= 0, was " + relativeTolerance);
            }
        }
    }

    /** SPM's discrete sweep (the default). */
    public static IntegrationMode discrete() {
        return DISCRETE;
    }

    /** Continuous time by RK4, {@code stepIterations} iterations per step (for example 0.25). */
    public static IntegrationMode fixedRk4(double stepIterations) {
        return new IntegrationMode(Method.FIXED_RK4, stepIterations, 0, 0);
    }

    /** Continuous time by adaptive Dormand-Prince 5(4) with the given tolerances. */
    public static IntegrationMode adaptive(double absoluteTolerance, double relativeTolerance) {
        return new IntegrationMode(Method.ADAPTIVE, 0, absoluteTolerance, relativeTolerance);
    }

    /** Continuous time by adaptive Dormand-Prince 5(4), atol 1e-8, rtol 1e-6. */
    public static IntegrationMode adaptive() {
        return adaptive(DEFAULT_ABSOLUTE_TOLERANCE, DEFAULT_RELATIVE_TOLERANCE);
    }

    /** Whether beliefs follow the continuous-time flow. */
    public boolean continuous() {
        return method != Method.DISCRETE;
    }

    /** RK4 steps per iteration: the fewest whose step does not exceed {@link #stepIterations}. */
    public int stepsPerIteration() {
        if (method != Method.FIXED_RK4) throw new IllegalStateException("not a fixed-step mode: " + method);
        return Math.max(1, (int) Math.ceil((1 / stepIterations) * (1 - 1e-9)));
    }
}
