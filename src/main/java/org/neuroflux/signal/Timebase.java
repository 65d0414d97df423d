package org.neuroflux.signal;

/**
 * The clock that turns belief iterations into time. SPM plots one variational iteration as one bin of
 * 1/64 s, so an epoch of Ni = 16 iterations lasts 250 ms; the same clock is kept for any Ni (the
 * fork's Ni = 512 makes an epoch 8 s long). A continuous-time session samples at its own rate.
 *
 * @param samplesPerSecond sampling rate in Hz (SPM: 64), finite and positive
 * @param samplesPerEpoch  samples in one epoch (SPM: Ni), at least 1
 */
public record Timebase(double samplesPerSecond, int samplesPerEpoch) {
    /** SPM's display clock, the project's one time base: one iteration is {@value} s. */
    public static final double SPM_ITERATION_SECONDS = 1.0 / 64;

    /** The same clock as a rate: 64 samples (iterations) per second. */
    public static final double SPM_SAMPLES_PER_SECOND = 1 / SPM_ITERATION_SECONDS;

    public Timebase {
        if (!(samplesPerSecond > 0) || Double.isInfinite(samplesPerSecond)) {
            throw new IllegalArgumentException("samplesPerSecond must be finite and > 0, was " + samplesPerSecond);
        }
        if (samplesPerEpoch < 1)
            throw new IllegalArgumentException("samplesPerEpoch must be >= 1, was " + samplesPerEpoch);
    }

    /** SPM's clock for Ni iterations per epoch: 64 Hz. */
    public static Timebase spm(int iterationsPerEpoch) {
        return new Timebase(SPM_SAMPLES_PER_SECOND, iterationsPerEpoch);
    }

    /** Seconds per sample. */
    public double secondsPerSample() {
        return 1 / samplesPerSecond;
    }

    /** Duration of one epoch in seconds. */
    public double epochSeconds() {
        return samplesPerEpoch / samplesPerSecond;
    }

    /** Time stamp of sample n (0-based): n / samplesPerSecond, so epoch e starts at e * epochSeconds(). */
    public double seconds(long sample) {
        return sample / samplesPerSecond;
    }
}
