package org.neuroflux.signal;

/**
 * Simulated ERP of a unit, as SPM's {@code spm_MDP_VB_ERP} derives it from (higher-level) firing rates:
 * x = ln(rate + 1/32), band-passed as Gaussian smoothing at FWHM 2 bins minus Gaussian smoothing at
 * FWHM 16 bins (at 64 Hz: roughly 8 to 32 Hz). The log's 1/32 keeps silent units finite.
 *
 * <p>Immutable; thread-safe. {@link #apply} allocates nothing; the caller passes a workspace.
 */
public final class EventRelatedPotential {
    /** The offset inside SPM's logarithm. */
    public static final double RATE_OFFSET = 1.0 / 32;

    private final GaussianSmoothing narrow;
    private final GaussianSmoothing wide;

    /** SPM's band: FWHM 2 and 16 bins. */
    public EventRelatedPotential() {
        this(2, 16);
    }

    /**
     * @param narrowFwhmBins FWHM of the smoothing that keeps the band's high edge
     * @param wideFwhmBins   FWHM of the smoothing that is subtracted (removes the slow part)
     */
    public EventRelatedPotential(double narrowFwhmBins, double wideFwhmBins) {
        this.narrow = new GaussianSmoothing(narrowFwhmBins);
        this.wide = new GaussianSmoothing(wideFwhmBins);
    }

    public GaussianSmoothing narrow() {
        return narrow;
    }

    public GaussianSmoothing wide() {
        return wide;
    }

    /**
     * ERP of a rate series.
     *
     * @param rate Not modified.
     * @param out  receives n values (log-rate units). Modified; must not alias rate or work.
     * @param work at least 2n doubles of scratch space. Modified.
     */
    public void apply(double[] rate, int off, int n, double[] out, int outOff, double[] work) {
        if (work.length < 2 * n)
            throw new IllegalArgumentException("work needs " + 2 * n + " doubles, has " + work.length);
        for (int i = 0; i < n; i++) work[i] = Math.log(rate[off + i] + RATE_OFFSET);
        bandPass(work, 0, n, out, outOff, work, n);
    }

    /**
     * The band-pass alone: out = smooth(x, narrow) - smooth(x, wide).
     *
     * @param x    Not modified.
     * @param out  Modified; must not alias x or work.
     * @param work n doubles of scratch at workOff. Modified.
     */
    public void bandPass(double[] x, int off, int n, double[] out, int outOff, double[] work, int workOff) {
        narrow.apply(x, off, n, out, outOff);
        wide.apply(x, off, n, work, workOff);
        for (int i = 0; i < n; i++) out[outOff + i] -= work[workOff + i];
    }
}
