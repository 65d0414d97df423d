package org.neuroflux.signal;

/**
 * {@link HanningWavelet} one sample at a time, for streams: push one frame (a value for every channel,
 * e.g. the LFP of every unit) per sample; once window/2 further samples have arrived, the output for
 * that sample is ready: the modulus summed over channels per frequency (SPM's time-frequency image) and
 * the complex coefficient of one frequency summed over channels (the 4 Hz component gives theta phase).
 * Pushing window/2 zero frames with {@link #flush()} at the end completes the last outputs; the values
 * then equal the offline transform of the whole signal exactly (same kernels, same summation order).
 *
 * <p>All buffers are allocated in the constructor; {@link #push}, {@link #flush} and the readers do not
 * allocate. Not thread-safe: one instance per stream.
 */
public final class WaveletStream {
    private final HanningWavelet wavelet;
    private final int channels;
    private final int window;
    /** ring of the last window frames: [slot * channels + c]. */
    private final double[] ring;

    private long pushed;

    /**
     * @param wavelet  the transform
     * @param channels values per frame, at least 1
     */
    public WaveletStream(HanningWavelet wavelet, int channels) {
        if (channels < 1) throw new IllegalArgumentException("channels must be >= 1, was " + channels);
        this.wavelet = wavelet;
        this.channels = channels;
        this.window = wavelet.window();
        this.ring = new double[window * channels];
    }

    public int channels() {
        return channels;
    }

    /** Samples between pushing a sample and its output being ready: window / 2. */
    public int latency() {
        return window / 2;
    }

    /**
     * Pushes the next frame.
     *
     * @param frame channels values at frame[off ..]. Not modified.
     * @return true when an output is ready (for sample {@link #readySample()})
     */
    public boolean push(double[] frame, int off) {
        int slot = (int) (pushed % window);
        System.arraycopy(frame, off, ring, slot * channels, channels);
        pushed++;
        return readySample() >= 0;
    }

    /** Pushes a zero frame (the signal's end, where MATLAB's conv pads with zeros). */
    public boolean flush() {
        int slot = (int) (pushed % window);
        java.util.Arrays.fill(ring, slot * channels, (slot + 1) * channels, 0);
        pushed++;
        return readySample() >= 0;
    }

    /** The 0-based sample whose output is ready, or -1 before the first one. */
    public long readySample() {
        return pushed - 1 - window / 2;
    }

    /**
     * Modulus |C(f, t)| of every frequency, summed over channels, at the ready sample.
     *
     * @param out receives frequencyCount values at outOff. Modified.
     */
    public void magnitudes(double[] out, int outOff) {
        requireReady();
        int nf = wavelet.frequencyCount();
        for (int k = 0; k < nf; k++) {
            double total = 0;
            for (int c = 0; c < channels; c++) {
                double sr = 0;
                double si = 0;
                for (int q = 0; q < window; q++) {
                    double v = tap(q, c);
                    sr += wavelet.kernelRe(k, q) * v;
                    si += wavelet.kernelIm(k, q) * v;
                }
                total += Math.hypot(sr, si);
            }
            out[outOff + k] = total;
        }
    }

    /**
     * The complex coefficient of frequency k summed over channels at the ready sample (SPM's
     * {@code sum(wft(k,:,:), 3)}, re-modulated; see {@link HanningWavelet}).
     *
     * @param reIm receives the real and imaginary parts. Modified.
     */
    public void component(int k, double[] reIm, int off) {
        requireReady();
        double sr = 0;
        double si = 0;
        for (int c = 0; c < channels; c++) {
            double cr = 0;
            double ci = 0;
            for (int q = 0; q < window; q++) {
                double v = tap(q, c);
                cr += wavelet.kernelRe(k, q) * v;
                ci += wavelet.kernelIm(k, q) * v;
            }
            sr += cr;
            si += ci;
        }
        reIm[off] = sr;
        reIm[off + 1] = si;
    }

    /** Input at tap q of the ready output: sample readySample() - window/2 + 1 + q, 0 before the start. */
    private double tap(int q, int c) {
        long sample = pushed - window + q;
        if (sample < 0) return 0;
        return ring[(int) (sample % window) * channels + c];
    }

    private void requireReady() {
        if (readySample() < 0)
            throw new IllegalStateException("no output ready: " + pushed + " frames pushed, latency " + window / 2);
    }
}
