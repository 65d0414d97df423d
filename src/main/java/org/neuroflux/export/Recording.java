package org.neuroflux.export;

import java.util.List;
import java.util.Objects;
import org.neuroflux.signal.Timebase;

/**
 * Synthesised electrophysiology of consecutive trials, on one clock: channels of equal length, sample n
 * at time n / samplesPerSecond, plus annotations. Sample n of a trial is the state after iteration n+1
 * of that trial (SPM's xn), so epoch e of trial k starts at sample {@code trialStart(k) + e * Ni}.
 *
 * <p>Immutable once built: the channel arrays are owned by the recording and only copied out.
 */
public final class Recording {
    private final String model;
    private final String scheme;
    private final Timebase timebase;
    private final int[] trialStarts;
    private final int samples;
    private final List<Channel> channels;
    private final double[][] data;
    private final List<Annotation> annotations;

    Recording(
            String model,
            String scheme,
            Timebase timebase,
            int[] trialStarts,
            int samples,
            List<Channel> channels,
            double[][] data,
            List<Annotation> annotations) {
        this.model = Objects.requireNonNull(model, "model");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.timebase = Objects.requireNonNull(timebase, "timebase");
        this.trialStarts = trialStarts.clone();
        this.samples = samples;
        this.channels = List.copyOf(channels);
        this.annotations = List.copyOf(annotations);
        if (data.length != channels.size())
            throw new IllegalArgumentException(data.length + " data rows for " + channels.size() + " channels");
        for (int c = 0; c < data.length; c++) {
            if (data[c].length != samples) {
                throw new IllegalArgumentException("channel " + channels.get(c).name() + " has " + data[c].length
                        + " samples, expected " + samples);
            }
        }
        this.data = data;
    }

    public String model() {
        return model;
    }

    public String scheme() {
        return scheme;
    }

    public Timebase timebase() {
        return timebase;
    }

    public int sampleCount() {
        return samples;
    }

    public int trialCount() {
        return trialStarts.length;
    }

    /** First sample of trial k (0-based). */
    public int trialStart(int k) {
        return trialStarts[k];
    }

    /** Samples in trial k. */
    public int trialLength(int k) {
        return (k + 1 < trialStarts.length ? trialStarts[k + 1] : samples) - trialStarts[k];
    }

    /** 0-based trial of sample n. */
    public int trialOf(int n) {
        int k = trialStarts.length - 1;
        while (k > 0 && trialStarts[k] > n) k--;
        return k;
    }

    /** 0-based epoch (within its trial) of sample n. */
    public int epochOf(int n) {
        return (n - trialStarts[trialOf(n)]) / timebase.samplesPerEpoch();
    }

    /** 0-based iteration (within its epoch) of sample n. */
    public int iterationOf(int n) {
        return (n - trialStarts[trialOf(n)]) % timebase.samplesPerEpoch();
    }

    public List<Channel> channels() {
        return channels;
    }

    public Channel channel(int c) {
        return channels.get(c);
    }

    /** Index of the channel with this name or label, or -1. */
    public int indexOf(String nameOrLabel) {
        for (int c = 0; c < channels.size(); c++) {
            Channel ch = channels.get(c);
            if (ch.name().equals(nameOrLabel) || ch.label().equals(nameOrLabel)) return c;
        }
        return -1;
    }

    /** Value of channel c at sample n. */
    public double value(int c, int n) {
        return data[c][n];
    }

    /** A copy of channel c. */
    public double[] copyOf(int c) {
        return data[c].clone();
    }

    /**
     * Copies samples [from, from + n) of channel c.
     *
     * @param out Modified.
     */
    public void copy(int c, int from, int n, double[] out, int outOff) {
        System.arraycopy(data[c], from, out, outOff, n);
    }

    public List<Annotation> annotations() {
        return annotations;
    }

    /** Minimum and maximum of channel c: {min, max}. */
    public double[] range(int c) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : data[c]) {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return new double[] {min, max};
    }
}
