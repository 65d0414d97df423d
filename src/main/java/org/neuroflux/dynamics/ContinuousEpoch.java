package org.neuroflux.dynamics;

import org.neuroflux.math.SpmMath;

/**
 * The continuous-time replacement of the discrete sweep for one policy in one epoch: loads the
 * policy's beliefs into a {@link BeliefFlow}, integrates it over Ni/tau model time (the duration of
 * Ni discrete iterations), records the beliefs and the mean-subtracted prediction error at the end
 * of every iteration interval i/tau as the iterates xn and vn, writes the final beliefs back and
 * returns the policy's free energy at the final state. Workspaces sized for the longest horizon;
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

    ContinuousEpoch(AgentModel m, PredictionError error, IntegrationMode mode, int iterations) {
        if (!mode.continuous()) throw new IllegalArgumentException("not a continuous mode: " + mode);
        this.m = m;
        this.ni = iterations;
        this.flow = new BeliefFlow(m, error);
        int maxDimension = 0;
        for (int f = 0; f < m.nf; f++) maxDimension += m.epochs * m.ns[f];
        y = new double[maxDimension];
        dydt = new double[maxDimension];
        if (mode.method() == IntegrationMode.Method.FIXED_RK4) {
            stepsPerIteration = mode.stepsPerIteration();
            rk4 = new Rk4Stepper(flow, maxDimension, mode.stepIterations());
            adaptive = null;
        } else {
            stepsPerIteration = 0;
            rk4 = null;
            adaptive = new DormandPrinceIntegrator(flow, maxDimension, mode.absoluteTolerance(), mode.relativeTolerance());
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
    double run(double[][] x, double[][] xn, double[][] vn, int[] policies, int k, int t, int horizon,
               int backwardLimit, double tau) {
        int nf = m.nf;
        int T = m.epochs;
        flow.bind(policies, k * (T - 1) * nf, t, horizon, backwardLimit);
        int n = flow.dimension();
        OdeIntegrator integrator = rk4 != null ? rk4 : adaptive;
        integrator.reshape(n);
        integrator.reset();
        for (int j = 0; j < horizon; j++) {
            for (int f = 0; f < nf; f++) {
                int ns = m.ns[f];
                int from = (k * T + j) * ns;
                int off = flow.offset(j, f);
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
            if (rk4 != null) {
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
                        vn[f][base + ni * s] = dydt[off + s];
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
    BeliefFlow flow() { return flow; }

    /** The adaptive integrator, or null in fixed-step mode (for tests and diagnostics). */
    DormandPrinceIntegrator adaptiveIntegrator() { return adaptive; }
}
