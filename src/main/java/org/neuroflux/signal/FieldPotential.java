package org.neuroflux.signal;

/**
 * Local field potential: the rate of change of a unit's firing rate within each epoch, as
 * {@code spm_MDP_VB_LFP} computes it with MATLAB's {@code gradient} over the iterations of an epoch
 * (central differences inside, one-sided differences at the epoch's first and last iteration, 0 for a
 * one-iteration epoch), multiplied by the sampling rate so the unit is rate per second. With
 * {@code samplesPerSecond = 1} the values are SPM's exactly.
 *
 * <p>Each epoch depends only on its own samples, so a stream computes it as soon as an epoch ends.
 * Stateless; thread-safe; no allocation.
 */
public final class FieldPotential {
    private FieldPotential() {}

    /**
     * LFP of one epoch of n samples.
     *
     * @param rate the epoch's firing rates rate[off .. off+n). Not modified; may alias out (in place).
     * @param out  receives n values in rate units per second. Modified.
     */
    public static void epoch(double[] rate, int off, int n, double samplesPerSecond, double[] out, int outOff) {
        if (n < 1) throw new IllegalArgumentException("an epoch needs at least one sample, was " + n);
        if (n == 1) {
            out[outOff] = 0;
            return;
        }
        // a and b hold the two previous inputs, so out may overwrite rate in place
        double a = rate[off];
        double b = rate[off + 1];
        out[outOff] = (b - a) * samplesPerSecond;
        for (int i = 1; i < n - 1; i++) {
            double c = rate[off + i + 1];
            out[outOff + i] = (c - a) / 2 * samplesPerSecond;
            a = b;
            b = c;
        }
        out[outOff + n - 1] = (b - a) * samplesPerSecond;
    }

    /**
     * LFP of consecutive epochs of samplesPerEpoch samples each, every epoch on its own.
     *
     * @param rate epochs * samplesPerEpoch rates. Not modified; may alias out.
     * @param out  Modified.
     */
    public static void epochs(
            double[] rate,
            int off,
            int epochs,
            int samplesPerEpoch,
            double samplesPerSecond,
            double[] out,
            int outOff) {
        for (int e = 0; e < epochs; e++) {
            epoch(
                    rate,
                    off + e * samplesPerEpoch,
                    samplesPerEpoch,
                    samplesPerSecond,
                    out,
                    outOff + e * samplesPerEpoch);
        }
    }
}
