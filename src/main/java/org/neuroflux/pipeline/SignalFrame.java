package org.neuroflux.pipeline;

/**
 * One iteration of one scheme of a session: every stored channel (see {@link FrameLayout}) as one
 * primitive array. Immutable after construction: the array is private and never handed out, so a
 * frame can be shared by every subscriber of the session.
 */
public final class SignalFrame {
    private final int scheme;
    private final long sequence;
    private final long trial;
    private final int epoch;
    private final int iteration;
    private final double modelTimeSeconds;
    private final long wallClockMicros;
    private final double[] values;

    /** Takes ownership of {@code values}: the caller must not modify it afterwards. */
    public SignalFrame(int scheme, long sequence, long trial, int epoch, int iteration, double modelTimeSeconds,
                       long wallClockMicros, double[] values) {
        this.scheme = scheme;
        this.sequence = sequence;
        this.trial = trial;
        this.epoch = epoch;
        this.iteration = iteration;
        this.modelTimeSeconds = modelTimeSeconds;
        this.wallClockMicros = wallClockMicros;
        this.values = values;
    }

    /** Index of the scheme in the session's scheme list. */
    public int scheme() { return scheme; }

    /** The session's iteration counter n (0-based, over all trials): equal for the schemes of one iteration. */
    public long sequence() { return sequence; }

    /** Trial number, 0-based. */
    public long trial() { return trial; }

    /** Epoch within the trial, 0-based. */
    public int epoch() { return epoch; }

    /** Iteration within the epoch, 0-based. */
    public int iteration() { return iteration; }

    /** Model time n / 64 seconds (SPM's display convention: one iteration = 1/64 s). */
    public double modelTimeSeconds() { return modelTimeSeconds; }

    /** When the frame was emitted, microseconds since the Unix epoch. */
    public long wallClockMicros() { return wallClockMicros; }

    /**
     * The stored value at index i of the layout; NaN past the end of a frame stored without its
     * trailing spectral block (an epoch computed while nobody asked for tf, theta or phase).
     */
    public double value(int i) { return i < values.length ? values[i] : Double.NaN; }

    public int size() { return values.length; }
}
