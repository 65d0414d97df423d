package org.neuroflux.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.model.Factor;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.Modality;

/**
 * Where each channel sits in a {@link SignalFrame}'s values, for one model shape. Per-factor
 * blocks of rate, error and lfp are laid out factor by factor, then time point, then state
 * ({@code rate/location/centre/t1, rate/location/left/t1, ...}). {@link ChannelKind#POTENTIAL} is
 * not stored: it reuses the rate block. Immutable and shared by every scheme of a session.
 */
public final class FrameLayout {
    /** One channel: its kind, factor (or -1), label and the index of its stored value. */
    public record Channel(ChannelKind kind, int factor, String label, int storedIndex) {}

    private final int epochs;
    private final int[] stateCounts;
    private final int policies;
    private final int modalities;
    private final int[] factorBlock; // offset of factor f within a per-factor (s, j) block
    private final int perFactorSize;
    private final Map<ChannelKind, Integer> offsets = new EnumMap<>(ChannelKind.class);
    private final Map<ChannelKind, List<Channel>> channels = new EnumMap<>(ChannelKind.class);
    private final int storedSize;

    public FrameLayout(GenerativeModel model) {
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
        for (ChannelKind k : List.of(ChannelKind.RATE, ChannelKind.ERROR, ChannelKind.LFP)) {
            offsets.put(k, off);
            off += perFactorSize;
        }
        offsets.put(ChannelKind.POTENTIAL, offsets.get(ChannelKind.RATE));
        offsets.put(ChannelKind.POLICY, off);
        off += policies;
        offsets.put(ChannelKind.PRECISION, off++);
        offsets.put(ChannelKind.DOPAMINE, off++);
        offsets.put(ChannelKind.INFOLENGTH, off);
        off += nf;
        offsets.put(ChannelKind.OUTCOME, off);
        off += modalities;
        offsets.put(ChannelKind.STATE, off);
        off += nf;
        storedSize = off;
        for (ChannelKind k : ChannelKind.values()) channels.put(k, Collections.unmodifiableList(describe(k, model)));
    }

    private List<Channel> describe(ChannelKind k, GenerativeModel model) {
        List<Channel> list = new ArrayList<>();
        int base = offsets.get(k);
        switch (k) {
            case RATE, POTENTIAL, ERROR, LFP -> {
                for (int f = 0; f < stateCounts.length; f++) {
                    Factor factor = model.factors().get(f);
                    for (int j = 0; j < epochs; j++) {
                        for (int s = 0; s < stateCounts[f]; s++) {
                            list.add(new Channel(k, f, k.label() + "/" + factor.name() + "/" + factor.states().get(s) + "/t" + (j + 1),
                                    base + perFactorIndex(f, s, j)));
                        }
                    }
                }
            }
            case POLICY -> {
                for (int p = 0; p < policies; p++) list.add(new Channel(k, -1, "policy/" + (p + 1), base + p));
            }
            case PRECISION, DOPAMINE -> list.add(new Channel(k, -1, k.label(), base));
            case INFOLENGTH, STATE -> {
                for (int f = 0; f < stateCounts.length; f++)
                    list.add(new Channel(k, f, k.label() + "/" + model.factors().get(f).name(), base + f));
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
    public int perFactorIndex(int f, int s, int j) { return factorBlock[f] + j * stateCounts[f] + s; }

    public int offset(ChannelKind kind) { return offsets.get(kind); }

    public List<Channel> channels(ChannelKind kind) { return channels.get(kind); }

    /** Number of doubles stored per frame. */
    public int storedSize() { return storedSize; }

    public int perFactorSize() { return perFactorSize; }

    public int epochs() { return epochs; }

    public int factorCount() { return stateCounts.length; }

    public int stateCount(int f) { return stateCounts[f]; }

    public int policyCount() { return policies; }

    public int modalityCount() { return modalities; }
}
