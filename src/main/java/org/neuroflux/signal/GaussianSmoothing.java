package org.neuroflux.signal;

/**
 * Gaussian smoothing of a time series as SPM's {@code spm_conv(x, fwhm, 0)} does it: sigma =
 * fwhm / sqrt(8 ln 2) + eps, a kernel truncated at E = min(fix(6 sigma), n) bins either side and
 * normalised to sum 1, and the series extended at both ends by its mirror image (half-sample
 * symmetric: x(-1) = x(0), x(n) = x(n-1)), so a constant stays constant up to the ends.
 *
 * <p>Immutable; thread-safe; {@link #apply} does not allocate.
 */
public final class GaussianSmoothing {
    private static final double EPS = Math.ulp(1.0);

    private final double fwhm;
    private final double sigma;
    private final int reach;
    /** unnormalised kernel exp(-x^2 / (2 sigma^2)) for x = 0..reach. */
    private final double[] kernel;

    /** @param fwhmBins full width at half maximum in samples, > 0 */
    public GaussianSmoothing(double fwhmBins) {
        if (!(fwhmBins > 0) || Double.isInfinite(fwhmBins))
            throw new IllegalArgumentException("fwhm must be finite and > 0, was " + fwhmBins);
        this.fwhm = fwhmBins;
        this.sigma = fwhmBins / Math.sqrt(8 * Math.log(2)) + EPS;
        this.reach = (int) (6 * sigma);
        this.kernel = new double[reach + 1];
        for (int x = 0; x <= reach; x++) kernel[x] = Math.exp(-(double) x * x / (2 * sigma * sigma));
    }

    public double fwhm() {
        return fwhm;
    }

    public double sigma() {
        return sigma;
    }

    /** Kernel half-width E for a series of n samples: min(fix(6 sigma), n). */
    public int reach(int n) {
        return Math.min(reach, n);
    }

    /** Weight of lag x (|x| <= reach(n)) in the normalised kernel for a series of n samples. */
    public double weight(int x, int n) {
        int e = reach(n);
        if (Math.abs(x) > e) return 0;
        return kernel[Math.abs(x)] / norm(e);
    }

    /**
     * Smooths x[off .. off+n).
     *
     * @param x   Not modified; must not alias out.
     * @param out receives n values. Modified.
     */
    public void apply(double[] x, int off, int n, double[] out, int outOff) {
        int e = reach(n);
        double norm = norm(e);
        for (int t = 0; t < n; t++) {
            double s = 0;
            for (int d = -e; d <= e; d++) s += kernel[Math.abs(d)] * mirrored(x, off, n, t + d);
            out[outOff + t] = s / norm;
        }
    }

    /** Value at index p of x[off .. off+n) extended by mirroring (valid for -n <= p < 2n). */
    static double mirrored(double[] x, int off, int n, int p) {
        if (p < 0) return x[off - p - 1];
        if (p >= n) return x[off + 2 * n - p - 1];
        return x[off + p];
    }

    private double norm(int e) {
        double s = 0;
        for (int d = -e; d <= e; d++) s += kernel[Math.abs(d)];
        return s;
    }
}
