package org.neuroflux.signal;

import org.neuroflux.math.SpmMath;

/**
 * Firing rates and membrane potentials of SPM's units. A unit is one (state s, time point tau) of one
 * factor; its rate at iteration i of epoch t is the policy-averaged belief {@code xn(i, s, tau, t)}
 * (SPM's {@code MDP.xn{f}}, column-major (Ni, Ns, T, T)), and its series is that column concatenated
 * over epochs, as {@code spm_MDP_VB_LFP} builds it. Units are numbered as SPM lists them:
 * {@code unit = s + Ns * tau}.
 *
 * <p>Stateless; thread-safe.
 */
public final class FiringRates {
    private FiringRates() {}

    /** Number of units of a factor with ns states over T time points: ns * T. */
    public static int unitCount(int ns, int epochs) {
        return ns * epochs;
    }

    /**
     * Copies one epoch of one unit: out[outOff + i] = xn(i, s, tau, t), i = 0..ni-1.
     *
     * @param xn  SPM's xn{f}, (ni, ns, epochs, epochs) column-major. Not modified.
     * @param out receives ni values. Modified.
     */
    public static void epoch(
            double[] xn, int ni, int ns, int epochs, int state, int tau, int epoch, double[] out, int outOff) {
        check(ni, ns, epochs, state, tau, epoch, xn.length);
        System.arraycopy(xn, ni * (state + ns * (tau + epochs * epoch)), out, outOff, ni);
    }

    /**
     * The whole trial of one unit: out[outOff + t * ni + i] = xn(i, s, tau, t).
     *
     * @param xn  SPM's xn{f}. Not modified.
     * @param out receives ni * epochs values. Modified.
     */
    public static void unit(double[] xn, int ni, int ns, int epochs, int state, int tau, double[] out, int outOff) {
        for (int t = 0; t < epochs; t++) epoch(xn, ni, ns, epochs, state, tau, t, out, outOff + t * ni);
    }

    /**
     * Membrane potential v = ln(rate + 1e-16): the log-belief whose softmax is the rate (defined up to
     * an additive constant per time point).
     *
     * @param rate Not modified; may alias out.
     * @param out  Modified.
     */
    public static void potential(double[] rate, int off, int n, double[] out, int outOff) {
        for (int i = 0; i < n; i++) out[outOff + i] = SpmMath.ln(rate[off + i]);
    }

    private static void check(int ni, int ns, int epochs, int state, int tau, int epoch, int length) {
        if (ni < 1 || ns < 1 || epochs < 1 || length != ni * ns * epochs * epochs) {
            throw new IllegalArgumentException(
                    "xn of length " + length + " is not (Ni=" + ni + ", Ns=" + ns + ", T=" + epochs + ", T)");
        }
        if (state < 0 || state >= ns || tau < 0 || tau >= epochs || epoch < 0 || epoch >= epochs) {
            throw new IndexOutOfBoundsException("unit (state " + state + ", tau " + tau + ") at epoch " + epoch
                    + " outside Ns=" + ns + ", T=" + epochs);
        }
    }
}
