package org.neuroflux.dynamics;

import org.neuroflux.math.SpmMath;

/**
 * The continuous-time replacement of the discrete sweep for one policy in one epoch: loads the
 * policy's beliefs into a {@link BeliefFlow}, integrates it over Ni/tau model time (the duration of
 * Ni discrete iterations), records the beliefs and the mean-subtracted prediction error at the end
 * of every iteration interval i/tau as the iterates xn and vn, writes the final beliefs back and
 * returns the policy's free energy at the final state. For the Euclidean flow the state holds the
 * beliefs themselves, integrated by projected RK4: each fixed step is projected back onto the
 * simplex (see {@link BeliefFlow}). Workspaces sized for the longest horizon;
 * no allocation per epoch. Not thread-safe.
 */
final class ContinuousEpoch {
    private final AgentModel m;
    private final int ni;
    private final BeliefFlow flow;
    private final Rk4Stepper rk4;
    private final DormandPrinceIntegrator adaptive;
    private final int stepsPerIteration;
    private final double[] y;
    private final double[] dydt;
    private final double[] scratch;

    ContinuousEpoch(AgentModel m, PredictionError error, IntegrationMode mode, int iterations) {
        this(m, error, mode, iterations, Scheme.ACTIVE_INFERENCE);
    }

    /** @param scheme whose flow to integrate (natural gradient integrates the active-inference flow: the same flow) */
    ContinuousEpoch(AgentModel m, PredictionError error, IntegrationMode mode, int iterations, Scheme scheme) {
        if (!mode.continuous()) throw new IllegalArgumentException("not a continuous mode: " + mode);
        this.m = m;
        this.ni = iterations;
        if (scheme == Scheme.EUCLIDEAN && mode.method() != IntegrationMode.Method.FIXED_RK4) {
            throw new IllegalArgumentException(SolverOptions.EUCLIDEAN_NEEDS_FIXED_STEP);
        }
        this.flow = new BeliefFlow(m, error, scheme);
        int maxDimension = 0;
        for (int f = 0; f < m.nf; f++) maxDimension += m.epochs * m.ns[f];
        y = new double[maxDimension];
        dydt = new double[maxDimension];
        int maxNs = 0;
        for (int f = 0; f < m.nf; f++) maxNs = Math.max(maxNs, m.ns[f]);
        scratch = new double[maxNs];
        if (mode.method() == IntegrationMode.Method.FIXED_RK4) {
            stepsPerIteration = mode.stepsPerIteration();
            rk4 = new Rk4Stepper(flow, maxDimension, mode.stepIterations());
            adaptive = null;
        } else {
            stepsPerIteration = 0;
            rk4 = null;
            adaptive =
                    new DormandPrinceIntegrator(flow, maxDimension, mode.absoluteTolerance(), mode.relativeTolerance());
        }
    }

    /**
     * Integrates policy k's flow through one epoch.
     *
     * @param x             beliefs x[f][(k T + j) Ns + s], read and replaced by the final beliefs
     * @param xn            per-iteration beliefs, written at i + Ni (s + Ns (j + T k))
     * @param vn            per-iteration mean-subtracted prediction errors, same layout
     * @return the policy's free energy sum_j sum_f s' eps / F at the end of the epoch
     */
    double run(
            double[][] x,
            double[][] xn,
            double[][] vn,
            int[] policies,
            int k,
            int t,
            int horizon,
            int backwardLimit,
            double tau) {
        int nf = m.nf;
        int T = m.epochs;
        flow.bind(policies, k * (T - 1) * nf, t, horizon, backwardLimit);
        int n = flow.dimension();
        OdeIntegrator integrator = rk4 != null ? rk4 : adaptive;
        integrator.reshape(n);
        integrator.reset();
        boolean onBeliefs = flow.onBeliefs();
        for (int j = 0; j < horizon; j++) {
            for (int f = 0; f < nf; f++) {
                int ns = m.ns[f];
                int from = (k * T + j) * ns;
                int off = flow.offset(j, f);
                if (onBeliefs) {
                    System.arraycopy(x[f], from, y, off, ns);
                    continue;
                }
                double mean = 0;
                for (int s = 0; s < ns; s++) {
                    double p = x[f][from + s];
                    double v = p > 0 ? Math.log(p) : SpmMath.ln(p);
                    y[off + s] = v;
                    mean += v;
                }
                mean /= ns;
                for (int s = 0; s < ns; s++) y[off + s] -= mean;
            }
        }
        for (int i = 0; i < ni; i++) {
            double t0 = i / tau;
            double t1 = (i + 1) / tau;
            if (onBeliefs) {
                // projected RK4: every step ends back on the simplex (docs/algorithm.md section 5.5, boundary handling)
                double h = (t1 - t0) / stepsPerIteration;
                for (int step = 0; step < stepsPerIteration; step++) {
                    double end = step == stepsPerIteration - 1 ? t1 : t0 + (step + 1) * h;
                    rk4.integrate(t0 + step * h, y, end, 1);
                    for (int j = 0; j < horizon; j++) {
                        for (int f = 0; f < nf; f++) SimplexProjection.project(y, flow.offset(j, f), m.ns[f], scratch);
                    }
                }
            } else if (rk4 != null) {
                rk4.integrate(t0, y, t1, stepsPerIteration);
            } else {
                adaptive.integrate(t0, y, t1);
            }
            flow.derivative(t1, y, dydt); // beliefs, centred error and free energy at the sample
            for (int j = 0; j < horizon; j++) {
                for (int f = 0; f < nf; f++) {
                    int ns = m.ns[f];
                    int off = flow.offset(j, f);
                    int base = i + ni * ns * (j + T * k);
                    for (int s = 0; s < ns; s++) {
                        xn[f][base + ni * s] = flow.belief(j, f, s);
                        vn[f][base + ni * s] = flow.centredError(j, f, s);
                    }
                }
            }
        }
        for (int j = 0; j < horizon; j++) {
            for (int f = 0; f < nf; f++) {
                int ns = m.ns[f];
                for (int s = 0; s < ns; s++) x[f][(k * T + j) * ns + s] = flow.belief(j, f, s);
            }
        }
        return flow.freeEnergy();
    }

    /** The flow (for tests and diagnostics). */
    BeliefFlow flow() {
        return flow;
    }

    /** The adaptive integrator, or null in fixed-step mode (for tests and diagnostics). */
    DormandPrinceIntegrator adaptiveIntegrator() {
        return adaptive;
    }
}
