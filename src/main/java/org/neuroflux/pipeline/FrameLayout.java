package org.neuroflux.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.model.Factor;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.Modality;
import org.neuroflux.signal.HanningWavelet;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.signal.Timebase;

/**
 * Where each channel sits in a {@link SignalFrame}'s values, for one model shape. Per-factor
 * blocks of rate, error and lfp are laid out factor by factor, then time point, then state
 * ({@code rate/location/centre/t1, rate/location/left/t1, ...}). {@link SignalKind#POTENTIAL} is
 * not stored: it reuses the rate block. The spectral kinds ({@link SignalKind#TF} per factor and
 * frequency, {@link SignalKind#THETA} and {@link SignalKind#PHASE} per factor) follow the
 * frequencies of the session's wavelet, or are absent when the frame rate is below 8 Hz (no
 * frequency from 4 Hz up lies below Nyquist). Immutable and shared by every scheme of a session.
 */
public final class FrameLayout {
    /** One channel: its kind, factor (or -1), label, the index of its stored value, and its frequency (tf, theta, phase; else NaN). */
    public record Channel(SignalKind kind, int factor, String label, int storedIndex, double frequencyHz) {
        public Channel(SignalKind kind, int factor, String label, int storedIndex) {
            this(kind, factor, label, storedIndex, Double.NaN);
        }

        /** The kind's label, the channel's type in a stream header. */
        public String type() {
            return kind.label();
        }

        /** The kind's unit. */
        public String unit() {
            return kind.unit();
        }
    }

    private final int epochs;
    private final int[] stateCounts;
    private final int policies;
    private final int modalities;
    private final int[] factorBlock; // offset of factor f within a per-factor (s, j) block
    private final int perFactorSize;
    private final Map<SignalKind, Integer> offsets = new EnumMap<>(SignalKind.class);
    private final Map<SignalKind, List<Channel>> channels = new EnumMap<>(SignalKind.class);
    private final int storedSize;
    private final HanningWavelet wavelet; // null: no spectral channels

    /** The layout of a 64 Hz stream (SPM's clock). */
    public FrameLayout(GenerativeModel model) {
        this(model, SpectralChannels.wavelet(Timebase.SPM_SAMPLES_PER_SECOND));
    }

    /** The layout with the spectral channels of {@code wavelet} (see {@link SpectralChannels#wavelet}), or none when null. */
    public FrameLayout(GenerativeModel model, HanningWavelet wavelet) {
        this.wavelet = wavelet;
        epochs = model.epochs();
        int nf = model.factorCount();
        stateCounts = new int[nf];
        factorBlock = new int[nf];
        int size = 0;
        for (int f = 0; f < nf; f++) {
            stateCounts[f] = model.factors().get(f).stateCount();
            factorBlock[f] = size;
            size += stateCounts[f] * epochs;
        }
        perFactorSize = size;
        policies = model.policyCount();
        modalities = model.modalityCount();
        int off = 0;
        for (SignalKind k : List.of(SignalKind.RATE, SignalKind.ERROR, SignalKind.LFP)) {
            offsets.put(k, off);
            off += perFactorSize;
        }
        offsets.put(SignalKind.POTENTIAL, offsets.get(SignalKind.RATE));
        offsets.put(SignalKind.POLICY, off);
        off += policies;
        offsets.put(SignalKind.PRECISION, off++);
        offsets.put(SignalKind.DOPAMINE, off++);
        offsets.put(SignalKind.INFOLENGTH, off);
        off += nf;
        offsets.put(SignalKind.INFOLENGTH_WHOLE_PATH, off);
        off += nf;
        offsets.put(SignalKind.OUTCOME, off);
        off += modalities;
        offsets.put(SignalKind.STATE, off);
        off += nf;
        // the spectral block comes last: frames of epochs that did not compute it are stored without it
        int frequencies = wavelet == null ? 0 : wavelet.frequencyCount();
        offsets.put(SignalKind.TF, off);
        off += nf * frequencies;
        offsets.put(SignalKind.THETA, off);
        off += wavelet == null ? 0 : nf;
        offsets.put(SignalKind.PHASE, off);
        off += wavelet == null ? 0 : nf;
        storedSize = off;
        for (SignalKind k : SignalKind.streamedKinds())
            channels.put(k, Collections.unmodifiableList(describe(k, model)));
    }

    private List<Channel> describe(SignalKind k, GenerativeModel model) {
        List<Channel> list = new ArrayList<>();
        int base = offsets.get(k);
        switch (k) {
            case RATE, POTENTIAL, ERROR, LFP -> {
                for (int f = 0; f < stateCounts.length; f++) {
                    Factor factor = model.factors().get(f);
                    for (int j = 0; j < epochs; j++) {
                        for (int s = 0; s < stateCounts[f]; s++) {
                            list.add(new Channel(
                                    k,
                                    f,
                                    k.label() + "/" + factor.name() + "/"
                                            + factor.states().get(s) + "/t" + (j + 1),
                                    base + perFactorIndex(f, s, j)));
                        }
                    }
                }
            }
            case POLICY -> {
                for (int p = 0; p < policies; p++) list.add(new Channel(k, -1, "policy/" + (p + 1), base + p));
            }
            case PRECISION, DOPAMINE -> list.add(new Channel(k, -1, k.label(), base));
            case INFOLENGTH, INFOLENGTH_WHOLE_PATH, STATE -> {
                for (int f = 0; f < stateCounts.length; f++)
                    list.add(new Channel(
                            k, f, k.label() + "/" + model.factors().get(f).name(), base + f));
            }
            case TF -> {
                if (wavelet == null) break;
                int n = wavelet.frequencyCount();
                for (int f = 0; f < stateCounts.length; f++) {
                    for (int q = 0; q < n; q++) {
                        double hz = wavelet.frequency(q);
                        String label = "tf/" + model.factors().get(f).name() + "/"
                                + (hz == Math.rint(hz) ? Long.toString((long) hz) : Double.toString(hz)) + "Hz";
                        list.add(new Channel(k, f, label, base + f * n + q, hz));
                    }
                }
            }
            case THETA, PHASE -> {
                if (wavelet == null) break;
                for (int f = 0; f < stateCounts.length; f++)
                    list.add(new Channel(
                            k, f, k.label() + "/" + model.factors().get(f).name(), base + f, wavelet.frequency(0)));
            }
            case OUTCOME -> {
                for (int g = 0; g < modalities; g++) {
                    Modality m = model.modalities().get(g);
                    list.add(new Channel(k, -1, "outcome/" + m.name(), base + g));
                }
            }
            default -> throw new IllegalStateException(k.toString());
        }
        return list;
    }

    /** Index of (factor f, state s, time point j) within a per-factor block. */
    public int perFactorIndex(int f, int s, int j) {
        return factorBlock[f] + j * stateCounts[f] + s;
    }

    public int offset(SignalKind kind) {
        Integer offset = offsets.get(kind);
        if (offset == null) throw new IllegalArgumentException(kind + " is not streamed");
        return offset;
    }

    /** The channels of a kind (none for a kind that is not streamed, or spectral kinds without a wavelet). */
    public List<Channel> channels(SignalKind kind) {
        return channels.getOrDefault(kind, List.of());
    }

    /** Number of doubles stored per frame. */
    public int storedSize() {
        return storedSize;
    }

    public int perFactorSize() {
        return perFactorSize;
    }

    public int epochs() {
        return epochs;
    }

    public int factorCount() {
        return stateCounts.length;
    }

    public int stateCount(int f) {
        return stateCounts[f];
    }

    public int policyCount() {
        return policies;
    }

    public int modalityCount() {
        return modalities;
    }

    /** The time-frequency transform behind tf, theta and phase, or null when the stream has none. */
    public HanningWavelet wavelet() {
        return wavelet;
    }

    /** Frames by which tf, theta and phase lag the frame that carries them (window / 2), 0 without them. */
    public int spectralLatency() {
        return wavelet == null ? 0 : wavelet.latency();
    }
}
