package org.neuroflux.signal;

/**
 * Simulated phasic dopamine, SPM's {@code dn = 8 * gradient(wn) + wn / 8} (docs/algorithm.md section
 * 8): the expected precision wn and its rate of change, with MATLAB's {@code gradient} over the
 * iterations (central differences inside, one-sided at the ends, 0 for a single value) per 1/64 s
 * iteration.
 *
 * <p>A window of a longer trace knows the value just before it and, when computed, the value just
 * after it: with them its edges use central differences too, so the windows of a trace give the
 * trace's values. A stream knows the next epoch's first precision only after that epoch has run, so
 * its last value per epoch is one-sided (docs/protocol.md). Stateless; thread-safe; no allocation.
 */
public final class Dopamine {
    private Dopamine() {}

    /** dn from precision w and its rate of change per 1/64 s iteration (a continuous flow's derivative). */
    public static double fromSlope(double slope, double w) {
        return 8 * slope + w / 8;
    }

    /** dn of a whole trace: wn[0 .. n) into dn[0 .. n), SPM's {@code MDP.dn} exactly. */
    public static void trace(double[] wn, int n, double[] dn) {
        window(wn, 0, 1, n, Double.NaN, Double.NaN, 1, dn, 0, 1);
    }

    /**
     * dn of n precisions {@code wn[off + i * stride]}, written to {@code out[outOff + i * outStride]}.
     *
     * @param before              the precision just before the window, NaN when there is none
     * @param after               the precision just after the window, NaN when there is none or it is not known yet
     * @param samplesPerIteration samples per 1/64 s iteration (1 unless a continuous session samples
     *     faster): the per-sample difference times this is the gradient per iteration
     * @param out                 Modified; must not overlap the window's precisions
     */
    public static void window(
            double[] wn,
            int off,
            int stride,
            int n,
            double before,
            double after,
            double samplesPerIteration,
            double[] out,
            int outOff,
            int outStride) {
        for (int i = 0; i < n; i++) {
            double w = wn[off + i * stride];
            double previous = i > 0 ? wn[off + (i - 1) * stride] : before;
            double next = i < n - 1 ? wn[off + (i + 1) * stride] : after;
            double g;
            if (!Double.isNaN(previous) && !Double.isNaN(next)) g = (next - previous) / 2;
            else if (!Double.isNaN(next)) g = next - w;
            else if (!Double.isNaN(previous)) g = w - previous;
            else g = 0;
            out[outOff + i * outStride] = 8 * g * samplesPerIteration + w / 8;
        }
    }
}
