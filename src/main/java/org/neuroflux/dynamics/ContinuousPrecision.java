package org.neuroflux.dynamics;

/**
 * The continuous-time replacement of SPM's precision loop for one epoch (docs/algorithm.md section
 * 8.2, "In continuous time"): integrates the {@link PrecisionFlow} over the epoch's Ni/tau model time
 * with the beliefs' integrator and steps (RK4 with the same steps per sample, or Dormand-Prince with
 * the same tolerances), and samples qb, the precision w = 1/qb, its rate of change dw/dt and the
 * policy posterior at the same times i/tau as the beliefs. Workspaces preallocated; no allocation
 * per epoch. Not thread-safe.
 */
final class ContinuousPrecision {
    private final PrecisionFlow flow;
    private final Rk4Stepper rk4;
    private final DormandPrinceIntegrator adaptive;
    private final int stepsPerIteration;
    private final double[] y = new double[1];
    private final double[] dydt = new double[1];

    ContinuousPrecision(IntegrationMode mode, int policies) {
        if (!mode.continuous()) throw new IllegalArgumentException("not a continuous mode: " + mode);
        flow = new PrecisionFlow(policies);
        if (mode.method() == IntegrationMode.Method.FIXED_RK4) {
            stepsPerIteration = mode.stepsPerIteration();
            rk4 = new Rk4Stepper(flow, 1, mode.stepIterations());
            adaptive = null;
        } else {
            stepsPerIteration = 0;
            rk4 = null;
            adaptive = new DormandPrinceIntegrator(flow, 1, mode.absoluteTolerance(), mode.relativeTolerance());
        }
    }

    /** The flow, to bind to the epoch's scores before {@link #start}. */
    PrecisionFlow flow() {
        return flow;
    }

    /** Starts an epoch at rate qb (model time 0). */
    void start(double qb) {
        y[0] = qb;
        if (adaptive != null) adaptive.reset();
    }

    /**
     * Advances the rate from t0 to t1 (one sample interval) and evaluates the flow there, leaving
     * the policy posterior and prior at t1 in the flow.
     *
     * @return dqb/dt at t1
     */
    double advance(double t0, double t1) {
        if (rk4 != null) rk4.integrate(t0, y, t1, stepsPerIteration);
        else adaptive.integrate(t0, y, t1);
        flow.derivative(t1, y, dydt);
        return dydt[0];
    }

    /** The rate qb at the last sample. */
    double rate() {
        return y[0];
    }
}
