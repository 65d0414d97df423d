package org.neuroflux.dynamics;

import java.util.Arrays;
import org.neuroflux.math.SpmMath;
import org.neuroflux.math.TensorContraction;

/**
 * The state prediction error of docs/dynamics.md section 3, for one marginal (time point j, factor
 * f) of one policy, read from a beliefs array:
 *
 * <pre>
 *   eps = (fwd + qL - ln s) + [j + 1 &lt; R] (bwd + qL - ln s)
 * </pre>
 *
 * with qL = ln(L_j contracted with the other factors' beliefs at j) for j &lt;= t (else 0), fwd =
 * ln D or ln(B x_{j-1}), bwd = ln(B_dagger x_{j+1}). Shared by the discrete sweep (which passes its
 * beliefs as they stand mid-sweep, Gauss-Seidel) and by {@link BeliefFlow} (which passes one state,
 * Jacobi), so both discretise exactly the same error. Follows SPM's evaluation order
 * v = v + px + qL - qx, which the parity test checks bit for bit.
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
    private final double[][] others;
    private final double[] message;
    private final double[] lnLikelihood;

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
        others = new double[m.nf][];
        for (int f = 0; f < m.nf; f++) {
            others[f] = new double[m.ns[f]];
            maxNs = Math.max(maxNs, m.ns[f]);
        }
        message = new double[maxNs];
        lnLikelihood = new double[maxNs];
    }

    /**
     * Writes ln(s + 1e-16) of marginal (j, f) into lnS and its raw prediction error into eps.
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
    void compute(double[][] beliefs, int block, int[] controls, int controlOffset, int t, int j, int f,
                 int backwardLimit, double[] lnS, double[] eps) {
        int nf = m.nf;
        int n = m.ns[f];
        if (j <= t) {
            for (int g = 0; g < nf; g++) {
                if (g != f) System.arraycopy(beliefs[g], (block + j) * m.ns[g], others[g], 0, m.ns[g]);
            }
            contraction.contract(likelihoodByEpoch[j], stateDims, f, others, lnLikelihood);
            SpmMath.ln(lnLikelihood, 0, lnLikelihood, 0, n);
        } else {
            Arrays.fill(lnLikelihood, 0, n, 0);
        }
        double[] x = beliefs[f];
        SpmMath.ln(x, (block + j) * n, lnS, 0, n);
        if (j == 0) {
            System.arraycopy(m.lnInitial[f], 0, message, 0, n);
        } else {
            int control = controls[controlOffset + (j - 1) * nf + f];
            SpmMath.matVec(m.forward[f], control * n * n, n, x, (block + j - 1) * n, message, 0);
            SpmMath.ln(message, 0, message, 0, n);
        }
        for (int s = 0; s < n; s++) eps[s] = 0 + message[s] + lnLikelihood[s] - lnS[s];
        if (j + 1 < backwardLimit) {
            int control = controls[controlOffset + j * nf + f];
            SpmMath.matVec(m.backward[f], control * n * n, n, x, (block + j + 1) * n, message, 0);
            SpmMath.ln(message, 0, message, 0, n);
            for (int s = 0; s < n; s++) eps[s] = eps[s] + message[s] + lnLikelihood[s] - lnS[s];
        }
    }
}
