package org.neuroflux.dynamics;

import org.neuroflux.math.SpmMath;
import org.neuroflux.math.TensorContraction;

/**
 * The state prediction error of docs/algorithm.md section 4, for one marginal (time point j, factor
 * f) of one policy, read from a beliefs array:
 *
 * <pre>
 *   eps = (fwd + qL - ln s) + [j + 1 &lt; R] (bwd + qL - ln s)
 * </pre>
 *
 * with qL = ln(L_j contracted with the other factors' beliefs at j) for j &lt;= t (else 0), fwd =
 * ln D or ln(B x_{j-1}), bwd = ln(B_dagger x_{j+1}). Shared by the discrete sweep (which passes its
 * beliefs as they stand mid-sweep, Gauss-Seidel) and by {@link BeliefFlow} (which passes one state,
 * Jacobi), so both discretise exactly the same error. Every element sees SPM's operations in SPM's
 * order (v = v + px + qL - qx; B x accumulated column by column; sums left to right), which the
 * parity test checks; the logarithms are taken in one batch over a scratch array.
 *
 * <p>Beliefs are laid out per factor: {@code beliefs[f][(block + j) * Ns_f + s]}, so the solver
 * passes block = k T for policy k and the flow passes 0. Controls are read as
 * {@code controls[controlOffset + j * F + f]} for the transition from time point j to j + 1.
 * No allocation; not thread-safe.
 */
final class PredictionError {
    private final AgentModel m;
    private final double[][] likelihoodByEpoch;
    private final TensorContraction contraction;
    private final int[] stateDims;
    private final int[] offsets; // where each factor's belief about the current (block, j) starts
    private final double[] likelihood;
    private final double[] logBatch; // arguments, then values, of one call's logarithms
    private double errorSum;

    /**
     * @param m                 the prepared model arrays
     * @param likelihoodByEpoch L_t over joint states for each epoch t, filled as outcomes arrive
     */
    PredictionError(AgentModel m, double[][] likelihoodByEpoch) {
        this.m = m;
        this.likelihoodByEpoch = likelihoodByEpoch;
        this.contraction = new TensorContraction(m.nf, m.joint);
        this.stateDims = m.ns.clone();
        int maxNs = 0;
        for (int f = 0; f < m.nf; f++) maxNs = Math.max(maxNs, m.ns[f]);
        offsets = new int[m.nf];
        likelihood = new double[maxNs];
        logBatch = new double[4 * maxNs];
    }

    /**
     * Writes ln(s + 1e-16) of marginal (j, f) into lnS and its raw prediction error into eps, and
     * returns s'eps (the marginal's share of the policy's free energy, before division by F).
     * {@link #errorSum()} then gives sum(eps), accumulated left to right.
     *
     * @param beliefs       beliefs[f][(block + j) * Ns_f + s], not modified
     * @param block         index of time point 0 of the policy in the layout
     * @param controls      policy controls, read at controlOffset + j * F + f
     * @param controlOffset offset of the policy's first control
     * @param t             current epoch (0-based): likelihoods exist for time points j &lt;= t
     * @param j             time point (0-based)
     * @param f             factor
     * @param backwardLimit SPM's R: the backward message is used when j + 1 &lt; R
     * @param lnS           output, length &gt;= Ns_f
     * @param eps           output, length &gt;= Ns_f
     */
    double compute(
            double[][] beliefs,
            int block,
            int[] controls,
            int controlOffset,
            int t,
            int j,
            int f,
            int backwardLimit,
            double[] lnS,
            double[] eps) {
        int nf = m.nf;
        int n = m.ns[f];
        double[] xf = beliefs[f];
        double[] a = logBatch;
        for (int g = 0; g < nf; g++) offsets[g] = (block + j) * m.ns[g];
        int at = offsets[f];
        boolean observed = j <= t;
        boolean first = j == 0;
        boolean backward = j + 1 < backwardLimit;
        // log arguments: ln s at [0, n), then qL, fwd and bwd each in the next block when present
        int lOff = n;
        int fOff = observed ? lOff + n : lOff;
        int rOff = first ? fOff : fOff + n;
        int used = backward ? rOff + n : rOff;
        for (int s = 0; s < n; s++) a[s] = xf[at + s] + SpmMath.LOG_FLOOR;
        if (observed) {
            contraction.contract(likelihoodByEpoch[j], stateDims, f, beliefs, offsets, likelihood, 0);
            for (int s = 0; s < n; s++) a[lOff + s] = likelihood[s] + SpmMath.LOG_FLOOR;
        }
        if (!first) message(m.forward[f], controls[controlOffset + (j - 1) * nf + f], n, xf, at - n, a, fOff);
        if (backward) message(m.backward[f], controls[controlOffset + j * nf + f], n, xf, at + n, a, rOff);
        for (int i = 0; i < used; i++) a[i] = Math.log(a[i]);
        double[] lnD = m.lnInitial[f];
        double sum = 0;
        double dot = 0;
        for (int s = 0; s < n; s++) {
            double lnSs = a[s];
            double lnL = observed ? a[lOff + s] : 0;
            double px = first ? lnD[s] : a[fOff + s];
            double e = 0 + px + lnL - lnSs;
            if (backward) e = e + a[rOff + s] + lnL - lnSs;
            lnS[s] = lnSs;
            eps[s] = e;
            sum += e;
            dot += xf[at + s] * e;
        }
        errorSum = sum;
        return dot;
    }

    /** sum(eps) of the last {@link #compute} call, accumulated left to right as MATLAB's sum. */
    double errorSum() {
        return errorSum;
    }

    /**
     * out[outOff + r] = (B(:, :, u) x)(r) + 1e-16, the argument of spm_log: row r's sum over c
     * ascending from 0, the same additions as reference BLAS dgemv's column-by-column accumulation.
     */
    private static void message(double[] b, int u, int n, double[] x, int xOff, double[] out, int outOff) {
        int bOff = u * n * n;
        for (int r = 0; r < n; r++) {
            double acc = 0;
            for (int c = 0; c < n; c++) acc += b[bOff + c * n + r] * x[xOff + c];
            out[outOff + r] = acc + SpmMath.LOG_FLOOR;
        }
    }
}
