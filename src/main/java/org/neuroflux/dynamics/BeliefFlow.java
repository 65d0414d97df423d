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
 * <p>{@link Scheme#EUCLIDEAN} has a flow of its own, the projected (Euclidean) gradient flow, on
 * the beliefs themselves: y stacks the beliefs s, and
 *
 * <pre>
 *   ds/dt = Pi_T(s) (eps(s)),   s = P(y)
 * </pre>
 *
 * where Pi_T(s) projects onto the tangent cone of the simplex at s ({@link
 * SimplexProjection#tangentCone}): eps - mean(eps) in the interior, and on a face the components
 * at 0 only move inward. Boundary handling: the field is evaluated at the Euclidean projection
 * P(y) of the state (an integrator's stage may overshoot a face by a step's error), and
 * {@link ContinuousEpoch} projects the state back onto the simplex after every sample interval.
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
    private final boolean euclidean; // y holds beliefs, not log-beliefs
    private final double[][] centredErrors; // centredErrors[f][j * Ns_f + s]: eps - mean(eps) at the last evaluation
    private final double[] scratch; // the projections' sort
    private final double[] velocity;
    private int[] controls;
    private int controlOffset;
    private int epoch;
    private int horizon;
    private int backwardLimit;
    private double freeEnergy;

    BeliefFlow(AgentModel m, PredictionError error) {
        this(m, error, Scheme.ACTIVE_INFERENCE);
    }

    /** The flow of {@code scheme}: the replicator flow (active inference, natural gradient) or the Euclidean one. */
    BeliefFlow(AgentModel m, PredictionError error, Scheme scheme) {
        this.m = m;
        this.error = error;
        this.euclidean = scheme == Scheme.EUCLIDEAN;
        factorOffset = new int[m.nf];
        beliefs = new double[m.nf][];
        centredErrors = new double[m.nf][];
        int size = 0;
        int maxNs = 0;
        for (int f = 0; f < m.nf; f++) {
            factorOffset[f] = size;
            size += m.ns[f];
            maxNs = Math.max(maxNs, m.ns[f]);
            beliefs[f] = new double[m.epochs * m.ns[f]];
            centredErrors[f] = new double[m.epochs * m.ns[f]];
        }
        blockSize = size;
        lnS = new double[maxNs];
        eps = new double[maxNs];
        scratch = new double[maxNs];
        velocity = new double[maxNs];
    }

    /** Whether the state holds beliefs (the Euclidean flow) rather than log-beliefs. */
    boolean onBeliefs() {
        return euclidean;
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
    public int dimension() {
        return horizon * blockSize;
    }

    /** Time points in the state (SPM's S of the bound epoch). */
    public int horizon() {
        return horizon;
    }

    /** Index in y of state 0 of marginal (time point j, factor f). */
    public int offset(int j, int f) {
        return j * blockSize + factorOffset[f];
    }

    @Override
    public void derivative(double t, double[] y, double[] dydt) {
        int nf = m.nf;
        for (int j = 0; j < horizon; j++) {
            for (int f = 0; f < nf; f++) {
                int n = m.ns[f];
                if (euclidean) {
                    System.arraycopy(y, offset(j, f), beliefs[f], j * n, n);
                    SimplexProjection.project(beliefs[f], j * n, n, scratch);
                } else {
                    SpmMath.softmax(y, offset(j, f), beliefs[f], j * n, n);
                }
            }
        }
        double fk = 0;
        for (int j = 0; j < horizon; j++) {
            for (int f = 0; f < nf; f++) {
                int n = m.ns[f];
                error.compute(beliefs, 0, controls, controlOffset, epoch, j, f, backwardLimit, lnS, eps);
                fk = fk + SpmMath.dot(beliefs[f], j * n, eps, 0, n) / nf;
                double mean = SpmMath.sum(eps, 0, n) / n;
                int off = offset(j, f);
                double[] centred = centredErrors[f];
                for (int s = 0; s < n; s++) centred[j * n + s] = eps[s] - mean;
                if (euclidean) {
                    SimplexProjection.tangentCone(beliefs[f], j * n, eps, 0, velocity, n, scratch);
                    System.arraycopy(velocity, 0, dydt, off, n);
                } else {
                    for (int s = 0; s < n; s++) dydt[off + s] = eps[s] - mean;
                }
            }
        }
        freeEnergy = fk;
    }

    /** Belief s of marginal (j, f) at the state of the last evaluation. */
    public double belief(int j, int f, int s) {
        return beliefs[f][j * m.ns[f] + s];
    }

    /** Mean-subtracted prediction error of marginal (j, f) at the state of the last evaluation (SPM's vn). */
    public double centredError(int j, int f, int s) {
        return centredErrors[f][j * m.ns[f] + s];
    }

    /** The policy's free energy sum_j sum_f s' eps / F at the state of the last evaluation. */
    public double freeEnergy() {
        return freeEnergy;
    }
}
