package org.neuroflux.pipeline;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;
import org.neuroflux.model.DirichletCounts;
import org.neuroflux.model.GenerativeModel;

/**
 * A session's state at an epoch boundary, small enough to write at every boundary (docs/cluster.md,
 * "State at epoch boundaries"). The solver is deterministic, so the state after epoch k of a trial
 * is the state at the trial's start plus the trial's first k epochs run again: the snapshot holds,
 * per scheme, the learned Dirichlet counts and the random stream's counter at the trial's start,
 * and the outcomes the trial's epochs consumed (none for a generative source, which samples them).
 * Restoring runs those epochs again without emitting, then the session emits on from
 * {@link #nextSequence()}: the same frames, bit for bit, as if it had never stopped.
 *
 * <p>Binary, big-endian, doubles as their IEEE 754 bits:
 * <pre>
 *   byte format (1), long trial, int epochsInTrial, long nextSequence, long epochs,
 *   long observationsApplied, int replayIndex, int schemes,
 *   per scheme: long random, then for a, b, c, d, e in turn: int count (-1: not learned), count x (int n, n doubles),
 *   int observations, per observation: int modalities, per modality: int index, or -1 then int n, n doubles
 * </pre>
 */
public final class SessionSnapshot {
    public static final byte FORMAT = 1;
    private static final String[] COUNTS = {"a", "b", "c", "d", "e"};

    private final long trial;
    private final int epochsInTrial;
    private final long nextSequence;
    private final long epochs;
    private final long observationsApplied;
    private final int replayIndex;
    private final long[] randoms;
    private final GenerativeModel[] models; // taken: the trial-start models (immutable), read when encoding
    private final DirichletCounts[] counts; // decoded
    private final List<Observation> observations;

    SessionSnapshot(
            long trial,
            int epochsInTrial,
            long nextSequence,
            long epochs,
            long observationsApplied,
            int replayIndex,
            long[] randoms,
            GenerativeModel[] models,
            DirichletCounts[] counts,
            List<Observation> observations) {
        this.trial = trial;
        this.epochsInTrial = epochsInTrial;
        this.nextSequence = nextSequence;
        this.epochs = epochs;
        this.observationsApplied = observationsApplied;
        this.replayIndex = replayIndex;
        this.randoms = randoms;
        this.models = models;
        this.counts = counts;
        this.observations = List.copyOf(observations);
    }

    /** Trials finished before the one this boundary is in. */
    public long trial() {
        return trial;
    }

    /** Epochs of the current trial run up to this boundary (at least 1). */
    public int epochsInTrial() {
        return epochsInTrial;
    }

    /** The sequence number of the first frame after this boundary. */
    public long nextSequence() {
        return nextSequence;
    }

    /** Epochs the session has run, over all trials. */
    public long epochs() {
        return epochs;
    }

    /** Observations of a client source applied so far, over all trials. */
    public long observationsApplied() {
        return observationsApplied;
    }

    int replayIndex() {
        return replayIndex;
    }

    int schemes() {
        return randoms.length;
    }

    long random(int scheme) {
        return randoms[scheme];
    }

    /** The learned counts scheme {@code e} started the trial with, in the given model (the session's definition). */
    GenerativeModel model(int scheme, GenerativeModel definition) {
        if (models != null) return models[scheme];
        DirichletCounts c = counts[scheme];
        check(scheme, "a", c.likelihood() != null, definition.learnsLikelihood());
        check(scheme, "b", c.transitions() != null, definition.learnsTransitions());
        check(scheme, "c", c.preferences() != null, definition.learnsPreferences());
        check(scheme, "d", c.initial() != null, definition.learnsInitialStates());
        check(scheme, "e", c.policies() != null, definition.learnsPolicyPrior());
        try {
            return definition.withLearned(c);
        } catch (IllegalArgumentException e) {
            throw new FormatException("scheme " + scheme + " counts: " + e.getMessage() + " (the session's model)");
        }
    }

    private static void check(int scheme, String field, boolean present, boolean learned) {
        if (present != learned)
            throw new FormatException("scheme " + scheme + " counts " + field + ": " + (present ? "present" : "absent")
                    + ", expected " + (learned ? "present" : "absent") + " as the session's model "
                    + (learned ? "learns" : "does not learn") + " " + field);
    }

    /** The outcomes this trial's epochs consumed, in order (empty for a generative source). */
    List<Observation> observations() {
        return observations;
    }

    /** A snapshot that does not decode, naming the field, what was found and what was expected. */
    public static final class FormatException extends IllegalArgumentException {
        FormatException(String message) {
            super("engine snapshot: " + message);
        }
    }

    // --- encoding --------------------------------------------------------------------------------

    public byte[] encode() {
        int size = 1 + 8 + 4 + 8 + 8 + 8 + 4 + 4;
        for (int e = 0; e < randoms.length; e++) {
            size += 8;
            for (int k = 0; k < COUNTS.length; k++) {
                double[][] a = countsOf(e, k);
                size += 4;
                if (a != null) for (double[] x : a) size += 4 + 8 * x.length;
            }
        }
        size += 4;
        for (Observation o : observations) {
            size += 4;
            for (int g = 0; g < o.modalityCount(); g++)
                size += 4 + (o.indices()[g] >= 0 ? 0 : 4 + 8 * o.probabilities()[g].length);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(FORMAT)
                .putLong(trial)
                .putInt(epochsInTrial)
                .putLong(nextSequence)
                .putLong(epochs)
                .putLong(observationsApplied)
                .putInt(replayIndex)
                .putInt(randoms.length);
        for (int e = 0; e < randoms.length; e++) {
            b.putLong(randoms[e]);
            for (int k = 0; k < COUNTS.length; k++) {
                double[][] a = countsOf(e, k);
                if (a == null) {
                    b.putInt(-1);
                    continue;
                }
                b.putInt(a.length);
                for (double[] x : a) putDoubles(b, x);
            }
        }
        b.putInt(observations.size());
        for (Observation o : observations) {
            b.putInt(o.modalityCount());
            for (int g = 0; g < o.modalityCount(); g++) {
                int index = o.indices()[g];
                b.putInt(index);
                if (index < 0) putDoubles(b, o.probabilities()[g]);
            }
        }
        return b.array();
    }

    private static void putDoubles(ByteBuffer b, double[] x) {
        b.putInt(x.length);
        for (double v : x) b.putLong(Double.doubleToRawLongBits(v));
    }

    /** Counts k (a, b, c, d, e) of scheme e, or null when not learned. */
    private double[][] countsOf(int e, int k) {
        if (models == null) {
            DirichletCounts c = counts[e];
            return switch (k) {
                case 0 -> c.likelihood();
                case 1 -> c.transitions();
                case 2 -> c.preferences();
                case 3 -> c.initial();
                default -> c.policies() == null ? null : new double[][] {c.policies()};
            };
        }
        GenerativeModel m = models[e];
        return switch (k) {
            case 0 -> m.learnsLikelihood() ? each(m.modalityCount(), m::likelihoodCounts) : null;
            case 1 -> m.learnsTransitions() ? each(m.factorCount(), m::transitionCounts) : null;
            case 2 -> m.learnsPreferences() ? each(m.modalityCount(), m::preferenceCounts) : null;
            case 3 -> m.learnsInitialStates() ? each(m.factorCount(), m::initialCounts) : null;
            default -> m.learnsPolicyPrior() ? new double[][] {m.policyCounts()} : null;
        };
    }

    private static double[][] each(int n, java.util.function.IntFunction<double[]> array) {
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = array.apply(i);
        return a;
    }

    /** @throws FormatException naming the field, for a truncated, inconsistent or unknown snapshot */
    public static SessionSnapshot decode(byte[] value) {
        if (value == null) throw new FormatException("null");
        ByteBuffer b = ByteBuffer.wrap(value);
        String field = "format";
        try {
            byte format = b.get();
            if (format != FORMAT)
                throw new FormatException(
                        "format " + format + " is not supported (this instance reads " + FORMAT + ")");
            field = "trial";
            long trial = nonNegative(field, b.getLong());
            field = "epochsInTrial";
            int epochsInTrial = b.getInt();
            if (epochsInTrial < 1)
                throw new FormatException("epochsInTrial: " + epochsInTrial + ", expected at least 1");
            field = "nextSequence";
            long next = nonNegative(field, b.getLong());
            field = "epochs";
            long epochs = nonNegative(field, b.getLong());
            field = "observationsApplied";
            long applied = nonNegative(field, b.getLong());
            field = "replayIndex";
            int replayIndex = (int) nonNegative(field, b.getInt());
            field = "schemes";
            int schemes = count(b, field, 8);
            long[] randoms = new long[schemes];
            DirichletCounts[] counts = new DirichletCounts[schemes];
            for (int e = 0; e < schemes; e++) {
                field = "scheme " + e + " random";
                randoms[e] = b.getLong();
                double[][][] c = new double[COUNTS.length][][];
                for (int k = 0; k < COUNTS.length; k++) {
                    field = "scheme " + e + " counts " + COUNTS[k];
                    int n = b.getInt();
                    if (n == -1) continue;
                    if (n < 0 || n > b.remaining() / 4)
                        throw new FormatException(field + ": " + n + " arrays, expected -1 or 0.." + b.remaining() / 4);
                    c[k] = new double[n][];
                    for (int i = 0; i < n; i++) c[k][i] = doubles(b, field + "[" + i + "]");
                }
                if (c[4] != null && c[4].length != 1)
                    throw new FormatException("scheme " + e + " counts e: " + c[4].length + " arrays, expected 1");
                counts[e] = new DirichletCounts(c[0], c[1], c[2], c[3], c[4] == null ? null : c[4][0]);
            }
            field = "observations";
            int n = count(b, field, 4);
            Observation[] observations = new Observation[n];
            for (int k = 0; k < n; k++) {
                field = "observation " + k + " modalities";
                int ng = count(b, field, 4);
                int[] indices = new int[ng];
                double[][] p = new double[ng][];
                for (int g = 0; g < ng; g++) {
                    field = "observation " + k + " modality " + g;
                    indices[g] = b.getInt();
                    if (indices[g] < -1)
                        throw new FormatException(field + ": index " + indices[g] + ", expected >= -1");
                    if (indices[g] == -1) p[g] = doubles(b, field);
                }
                observations[k] = new Observation(indices, p);
            }
            if (b.hasRemaining())
                throw new FormatException(b.remaining() + " bytes after the last observation, expected none");
            return new SessionSnapshot(
                    trial,
                    epochsInTrial,
                    next,
                    epochs,
                    applied,
                    replayIndex,
                    randoms,
                    null,
                    counts,
                    List.of(observations));
        } catch (BufferUnderflowException e) {
            throw new FormatException(field + ": truncated at byte " + b.position() + " of " + value.length);
        }
    }

    private static long nonNegative(String field, long v) {
        if (v < 0) throw new FormatException(field + ": " + v + ", expected >= 0");
        return v;
    }

    /** A count, checked against the bytes left (each item takes at least {@code minBytes}) before allocating. */
    private static int count(ByteBuffer b, String field, int minBytes) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining() / minBytes)
            throw new FormatException(field + ": " + n + ", expected 0.." + b.remaining() / minBytes);
        return n;
    }

    private static double[] doubles(ByteBuffer b, String field) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining() / 8)
            throw new FormatException(field + ": " + n + " values, expected 0.." + b.remaining() / 8);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Double.longBitsToDouble(b.getLong());
        return x;
    }
}
