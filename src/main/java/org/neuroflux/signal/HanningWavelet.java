package org.neuroflux.signal;

/**
 * Time-frequency analysis by a Hanning-windowed complex exponential ("Morlet-like") transform, the
 * transform of SPM's {@code spm_wft}: for each frequency f the signal is convolved with
 * {@code w(q) exp(-2 pi i f (q - n/2 + 1) dt)} over a window of n bins, where w is the Hanning window
 * {@code 0.5 (1 - cos(2 pi (q + 1) / (n + 1)))}, q = 0..n-1, normalised to sum 1. The output at sample t
 * uses the input samples {@code t - n/2 + 1 .. t + n/2}; samples outside the signal count as 0, as in
 * MATLAB's {@code conv}. SPM's defaults (64 Hz): 4..32 Hz in 1 Hz steps, n = 16 bins (250 ms).
 *
 * <p>The result is SPM's coefficient C(f, t) re-modulated by {@code exp(2 pi i f t dt)}: its modulus is
 * SPM's |C| (the amplitude envelope, half the amplitude of a pure sinusoid), and its real part is what
 * {@code spm_iwft} reconstructs, so its angle is the instantaneous phase of the band (the theta phase at
 * 4 Hz, with cos(2 pi f t) at phase 2 pi f t).
 *
 * <p>Immutable after construction (precomputed kernels); thread-safe. The transform methods do not
 * allocate. {@link WaveletStream} computes the same values sample by sample.
 */
public final class HanningWavelet {
    private final double[] frequencies;
    private final int window;
    private final double samplesPerSecond;
    /** kernel of frequency k at tap q: [k * window + q], applied to x[t - window/2 + 1 + q]. */
    private final double[] kernelRe;

    private final double[] kernelIm;

    /**
     * @param frequenciesHz    analysed frequencies in Hz. Not modified (copied).
     * @param window           window length in samples, even and at least 2
     * @param samplesPerSecond sampling rate in Hz
     */
    public HanningWavelet(double[] frequenciesHz, int window, double samplesPerSecond) {
        if (frequenciesHz.length == 0) throw new IllegalArgumentException("need at least one frequency");
        if (window < 2 || window % 2 != 0)
            throw new IllegalArgumentException("window must be even and >= 2, was " + window);
        if (!(samplesPerSecond > 0))
            throw new IllegalArgumentException("samplesPerSecond must be > 0, was " + samplesPerSecond);
        this.frequencies = frequenciesHz.clone();
        this.window = window;
        this.samplesPerSecond = samplesPerSecond;
        double[] h = new double[window];
        double sum = 0;
        for (int q = 0; q < window; q++) {
            h[q] = 0.5 * (1 - Math.cos(2 * Math.PI * (q + 1) / (window + 1)));
            sum += h[q];
        }
        int nf = frequencies.length;
        kernelRe = new double[nf * window];
        kernelIm = new double[nf * window];
        for (int k = 0; k < nf; k++) {
            double omega = 2 * Math.PI * frequencies[k] / samplesPerSecond;
            for (int q = 0; q < window; q++) {
                double lag = q - window / 2 + 1; // m - t
                double weight = h[window - 1 - q] / sum;
                kernelRe[k * window + q] = weight * Math.cos(omega * lag);
                kernelIm[k * window + q] = -weight * Math.sin(omega * lag);
            }
        }
    }

    /** SPM's analysis: 4, 5, ..., 32 Hz over a window of samplesPerSecond / 4 samples (250 ms; 16 at 64 Hz). */
    public static HanningWavelet spm(double samplesPerSecond) {
        double[] hz = new double[29];
        for (int k = 0; k < hz.length; k++) hz[k] = 4 + k;
        int n = (int) Math.round(samplesPerSecond / 4);
        return new HanningWavelet(hz, n + (n % 2), samplesPerSecond);
    }

    public int frequencyCount() {
        return frequencies.length;
    }

    /** Frequency k in Hz. */
    public double frequency(int k) {
        return frequencies[k];
    }

    /** Window length in samples. */
    public int window() {
        return window;
    }

    public double samplesPerSecond() {
        return samplesPerSecond;
    }

    /** How many samples after t the output at t needs: window / 2. */
    public int latency() {
        return window / 2;
    }

    /**
     * One coefficient: the kernel of frequency k applied at sample t of x[off .. off+n) (zero outside).
     *
     * @param x  Not modified.
     * @param reIm receives the real and imaginary part at reIm[reImOff], reIm[reImOff + 1]. Modified.
     */
    public void coefficient(int k, double[] x, int off, int n, int t, double[] reIm, int reImOff) {
        int first = t - window / 2 + 1;
        int qFrom = Math.max(0, -first);
        int qTo = Math.min(window, n - first);
        double re = 0;
        double im = 0;
        int base = k * window;
        for (int q = qFrom; q < qTo; q++) {
            double v = x[off + first + q];
            re += kernelRe[base + q] * v;
            im += kernelIm[base + q] * v;
        }
        reIm[reImOff] = re;
        reIm[reImOff + 1] = im;
    }

    /**
     * Complex coefficients of frequency k for every sample of x[off .. off+n).
     *
     * @param x  Not modified; must not alias re or im.
     * @param re receives n values at reOff. Modified.
     * @param im receives n values at imOff. Modified.
     */
    public void transform(int k, double[] x, int off, int n, double[] re, int reOff, double[] im, int imOff) {
        int first0 = -window / 2 + 1;
        int base = k * window;
        for (int t = 0; t < n; t++) {
            int first = t + first0;
            int qFrom = Math.max(0, -first);
            int qTo = Math.min(window, n - first);
            double sr = 0;
            double si = 0;
            for (int q = qFrom; q < qTo; q++) {
                double v = x[off + first + q];
                sr += kernelRe[base + q] * v;
                si += kernelIm[base + q] * v;
            }
            re[reOff + t] = sr;
            im[imOff + t] = si;
        }
    }

    /**
     * Adds the modulus |C(f, t)| of every frequency and sample of x[off .. off+n) to magnitudes, laid
     * out [outOff + k + frequencyCount() * t]; called once per unit, this gives SPM's
     * {@code sum(abs(wft), 3)}.
     *
     * @param x          Not modified.
     * @param magnitudes accumulated into (not cleared). Modified.
     */
    public void addMagnitudes(double[] x, int off, int n, double[] magnitudes, int outOff) {
        int nf = frequencies.length;
        int first0 = -window / 2 + 1;
        for (int t = 0; t < n; t++) {
            int first = t + first0;
            int qFrom = Math.max(0, -first);
            int qTo = Math.min(window, n - first);
            for (int k = 0; k < nf; k++) {
                int base = k * window;
                double sr = 0;
                double si = 0;
                for (int q = qFrom; q < qTo; q++) {
                    double v = x[off + first + q];
                    sr += kernelRe[base + q] * v;
                    si += kernelIm[base + q] * v;
                }
                magnitudes[outOff + k + nf * t] += Math.hypot(sr, si);
            }
        }
    }

    /** Real part of tap q of frequency k's kernel (for {@link WaveletStream}). */
    double kernelRe(int k, int q) {
        return kernelRe[k * window + q];
    }

    /** Imaginary part of tap q of frequency k's kernel. */
    double kernelIm(int k, int q) {
        return kernelIm[k * window + q];
    }
}
