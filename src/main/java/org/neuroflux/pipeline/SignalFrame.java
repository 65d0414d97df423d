package org.neuroflux.pipeline;

/**
 * One iteration (tick) of a session: every stored channel (see {@link FrameLayout}) of every
 * scheme, one primitive array per scheme. Immutable after construction: the arrays are private and
 * never handed out, so a frame is shared by every subscriber of the session, and a subscriber's
 * message for the tick carries the schemes and channels it asked for.
 */
public final class SignalFrame {
    private final long sequence;
    private final long trial;
    private final int epoch;
    private final int iteration;
    private final double modelTimeSeconds;
    private final long wallClockMicros;
    private final double[][] values;
    private final String resumedBy;
    private final int level;

    /** A frame of a single-level session (level 0). Takes ownership of {@code values}, see the other constructor. */
    public SignalFrame(
            long sequence,
            long trial,
            int epoch,
            int iteration,
            double modelTimeSeconds,
            long wallClockMicros,
            double[][] values) {
        this(sequence, trial, epoch, iteration, modelTimeSeconds, wallClockMicros, values, 0);
    }

    /**
     * Takes ownership of {@code values} (one array per scheme, in the session's scheme order): the caller must not modify them afterwards.
     *
     * @param level 0 in a single-level session; in a deep one the level whose iteration this is (1 = top,
     *              2 = the level below, whose values are laid out by the lower model's {@link FrameLayout})
     */
    public SignalFrame(
            long sequence,
            long trial,
            int epoch,
            int iteration,
            double modelTimeSeconds,
            long wallClockMicros,
            double[][] values,
            int level) {
        this.level = level;
        this.sequence = sequence;
        this.trial = trial;
        this.epoch = epoch;
        this.iteration = iteration;
        this.modelTimeSeconds = modelTimeSeconds;
        this.wallClockMicros = wallClockMicros;
        this.values = values;
        this.resumedBy = null;
    }

    private SignalFrame(long sequence, long wallClockMicros, String owner) {
        this.sequence = sequence;
        this.trial = -1;
        this.epoch = -1;
        this.iteration = -1;
        this.modelTimeSeconds = Double.NaN;
        this.wallClockMicros = wallClockMicros;
        this.values = new double[0][];
        this.resumedBy = owner;
        this.level = 0;
    }

    /**
     * Not a frame but a notice in the frame stream (cluster mode, docs/cluster.md): the session was
     * started again on {@code owner}, and its next frame has {@code sequence}. It travels in order
     * with the frames, so a subscriber sees it exactly where the stream jumps.
     */
    public static SignalFrame resumed(String owner, long sequence, long wallClockMicros) {
        return new SignalFrame(sequence, wallClockMicros, java.util.Objects.requireNonNull(owner, "owner"));
    }

    /** The new owner's instance id when this is a resumed notice ({@link #resumed}), else null. */
    public String resumedBy() {
        return resumedBy;
    }

    /** The session's iteration counter n (0-based, over all trials). */
    public long sequence() {
        return sequence;
    }

    /** 0 in a single-level session; else the level whose iteration this is (1 = top). */
    public int level() {
        return level;
    }

    /** Trial number, 0-based. */
    public long trial() {
        return trial;
    }

    /** Epoch within the trial, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** Iteration within the epoch, 0-based. */
    public int iteration() {
        return iteration;
    }

    /** Model time of the frame: n times the session's frame period (n / 64 s in discrete sessions). */
    public double modelTimeSeconds() {
        return modelTimeSeconds;
    }

    /** When the frame was emitted, microseconds since the Unix epoch. */
    public long wallClockMicros() {
        return wallClockMicros;
    }

    /** Number of schemes carried (the session's). */
    public int schemeCount() {
        return values.length;
    }

    /**
     * The stored value at index i of the layout for scheme e (index into the session's schemes);
     * NaN past the end of a row stored without its trailing spectral block (an epoch computed
     * while nobody asked for tf, theta or phase).
     */
    public double value(int scheme, int i) {
        double[] row = values[scheme];
        return i < row.length ? row[i] : Double.NaN;
    }

    /** Stored values of scheme e (the spectral block may be absent, see {@link #value}). */
    public int size(int scheme) {
        return values[scheme].length;
    }
}
