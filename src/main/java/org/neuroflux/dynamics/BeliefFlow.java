package org.neuroflux.dynamics;

import org.neuroflux.math.SpmMath;

/**
 * The continuous-time belief dynamics of one policy (docs/algorithm.md section 6): the state y
 * stacks the log-beliefs v of every marginal (time point j below the epoch's horizon, factor f),
 * and
 *
 * <pre>
 *   dv/dt = eps(s) - mean(eps(s)),   s = softmax(v)   (per marginal)
 * </pre>
 *
 * which moves s exactly as the replicator flow ds/dt = (diag(s) - s s') eps. The mean is removed
 * so that v stays centred (softmax ignores it). Every marginal's error is computed from the same
 * state (Jacobi), with the same {@link PredictionError} the discrete sweep uses. Time is model
 * time: one discrete iteration is a step of 1/tau, so SPM's active-inference update is an Euler
 * step of this field.
 *
 * <p>Marginal (j, f) occupies {@code y[offset(j, f) .. offset(j, f) + Ns_f)}. Each evaluation also
 * leaves the beliefs s = softmax(v) and the policy's free energy sum_j sum_f s' eps / F at the
 * evaluated state, readable through {@link #belief} and {@link #freeEnergy}. The solver binds the
 * flow to a policy and epoch before integrating it. No allocation; not thread-safe.
 */
public final class BeliefFlow implements VectorField {
    private final AgentModel m;
    private final PredictionError error;
    private final int blockSize; // sum over f of Ns_f
    private final int[] factorOffset; // start of factor f inside one time point's block
    private final double[][] beliefs; // beliefs[f][j * Ns_f + s]
    private final double[] lnS;
    private final double[] eps;
    private int[] controls;
    private int controlOffset;
    private int epoch;
    private int horizon;
    private int backwardLimit;
    private double freeEnergy;

    BeliefFlow(AgentModel m, PredictionError error) {
        this.m = m;
        this.error = error;
        factorOffset = new int[m.nf];
        beliefs = new double[m.nf][];
        int size = 0;
        int maxNs = 0;
        for (int f = 0; f < m.nf; f++) {
            factorOffset[f] = size;
            size += m.ns[f];
            maxNs = Math.max(maxNs, m.ns[f]);
            beliefs[f] = new double[m.epochs * m.ns[f]];
        }
        blockSize = size;
        lnS = new double[maxNs];
        eps = new double[maxNs];
    }

    /**
     * Binds the flow to one policy in one epoch.
     *
     * @param policyControls controls, read at offset + j * F + f for the transition j -> j + 1
     * @param offset         offset of the policy's first control
     * @param t              epoch (0-based): likelihoods enter for time points j &lt;= t
     * @param horizonLength  number of time points integrated (SPM's S)
     * @param backwardEnd    SPM's R: backward messages for j + 1 &lt; R
     */
    void bind(int[] policyControls, int offset, int t, int horizonLength, int backwardEnd) {
        if (horizonLength < 1 || horizonLength > m.epochs) {
            throw new IllegalArgumentException("horizon must be in 1.." + m.epochs + ", was " + horizonLength);
        }
        this.controls = policyControls;
        this.controlOffset = offset;
        this.epoch = t;
        this.horizon = horizonLength;
        this.backwardLimit = backwardEnd;
    }

    /** Length of the state: horizon times the sum of the factors' state counts. */
    public int dimension() { return horizon * blockSize; }

    /** Time points in the state (SPM's S of the bound epoch). */
    public int horizon() { return horizon; }

    /** Index in y of state 0 of marginal (time point j, factor f). */
    public int offset(int j, int f) { return j * blockSize + factorOffset[f]; }

    @Override
    public void derivative(double t, double[] y, double[] dydt) {
        int nf = m.nf;
        for (int j = 0; j < horizon; j++) {
            for (int f = 0; f < nf; f++) SpmMath.softmax(y, offset(j, f), beliefs[f], j * m.ns[f], m.ns[f]);
        }
        double fk = 0;
        for (int j = 0; j < horizon; j++) {
            for (int f = 0; f < nf; f++) {
                int n = m.ns[f];
                error.compute(beliefs, 0, controls, controlOffset, epoch, j, f, backwardLimit, lnS, eps);
                fk = fk + SpmMath.dot(beliefs[f], j * n, eps, 0, n) / nf;
                double mean = SpmMath.sum(eps, 0, n) / n;
                int off = offset(j, f);
                for (int s = 0; s < n; s++) dydt[off + s] = eps[s] - mean;
            }
        }
        freeEnergy = fk;
    }

    /** Belief s of marginal (j, f) at the state of the last evaluation. */
    public double belief(int j, int f, int s) { return beliefs[f][j * m.ns[f] + s]; }

    /** The policy's free energy sum_j sum_f s' eps / F at the state of the last evaluation. */
    public double freeEnergy() { return freeEnergy; }
}
