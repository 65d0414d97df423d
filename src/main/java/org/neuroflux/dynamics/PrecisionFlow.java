package org.neuroflux.dynamics;

import org.neuroflux.math.SpmMath;

/**
 * The continuous-time precision update (docs/algorithm.md section 8.2, "In continuous time"): the
 * flow of the posterior rate qb = 1/w,
 *
 * <pre>
 *   dqb/dt = -kappa (qb - beta + eg(qb)),    eg = (qu - pu)' Q,
 *   qu = softmax(ln E + Q/qb + F),  pu = softmax(ln E + Q/qb)
 * </pre>
 *
 * with the epoch's policy free energies F and expected free energies Q held fixed, as SPM's
 * precision loop holds them. SPM's discrete update qb - dFdg/2 is the Euler step of length 1/tau
 * of this flow with kappa = tau/2; the fork's qb - dFdg/tau is that step with kappa = 1. Both
 * share the flow's fixed point qb = beta - eg(qb). The state is the single component y[0] = qb.
 *
 * <p>Reads the solver's arrays in place ({@link #bind}); writes the policy posterior and prior at
 * the last evaluated state into its own {@link #posterior()} and {@link #prior()}. Allocates nothing
 * after construction. Not thread-safe.
 */
final class PrecisionFlow implements VectorField {
    private final double[] qu;
    private final double[] pu;
    private final double[] logits;
    private int[] plausible;
    private int count;
    private double[] lnPolicyPrior;
    private double[] freeEnergy;
    private double[] expected;
    private double beta;
    private double kappa;

    /** @param policies the most policies the flow is bound to */
    PrecisionFlow(int policies) {
        qu = new double[policies];
        pu = new double[policies];
        logits = new double[policies];
    }

    /**
     * Binds the flow to one epoch's policy scores.
     *
     * @param plausible     indices of the plausible policies, the first {@code count} used
     * @param lnPolicyPrior ln E per policy
     * @param freeEnergy    F per policy (SPM's negative free energy)
     * @param expected      Q per policy (SPM's negative expected free energy G)
     * @param beta          the prior rate of precision
     * @param kappa         the rate of the flow per model-time unit: tau/2 (SPM) or 1 (fork)
     */
    void bind(
            int[] plausible,
            int count,
            double[] lnPolicyPrior,
            double[] freeEnergy,
            double[] expected,
            double beta,
            double kappa) {
        this.plausible = plausible;
        this.count = count;
        this.lnPolicyPrior = lnPolicyPrior;
        this.freeEnergy = freeEnergy;
        this.expected = expected;
        this.beta = beta;
        this.kappa = kappa;
    }

    @Override
    public void derivative(double t, double[] y, double[] dydt) {
        dydt[0] = -kappa * gradient(y[0]);
    }

    /**
     * dF/dqb at rate qb: qb - beta + (qu - pu)' Q, with qu and pu at precision 1/qb (left in
     * {@link #posterior()} and {@link #prior()}).
     */
    double gradient(double qb) {
        evaluatePolicies(1 / qb);
        double eg = 0;
        for (int p = 0; p < count; p++) eg += (qu[p] - pu[p]) * expected[plausible[p]];
        return qb - beta + eg;
    }

    /** Computes the policy posterior and prior at precision w into {@link #posterior()} and {@link #prior()}. */
    void evaluatePolicies(double w) {
        for (int p = 0; p < count; p++) {
            int k = plausible[p];
            logits[p] = lnPolicyPrior[k] + w * expected[k] + freeEnergy[k];
        }
        SpmMath.softmax(logits, 0, qu, 0, count);
        for (int p = 0; p < count; p++) {
            int k = plausible[p];
            logits[p] = lnPolicyPrior[k] + w * expected[k];
        }
        SpmMath.softmax(logits, 0, pu, 0, count);
    }

    /** qu at the last evaluation, per plausible policy (position p, not policy index). */
    double[] posterior() {
        return qu;
    }

    /** pu at the last evaluation, laid out as {@link #posterior()}. */
    double[] prior() {
        return pu;
    }
}
