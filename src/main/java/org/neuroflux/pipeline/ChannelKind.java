package org.neuroflux.pipeline;

import java.util.Locale;

/**
 * The signals a session can stream. Each frame of a scheme holds, for one iteration, the stored
 * kinds; {@link #POTENTIAL} is derived from {@link #RATE} when a frame is encoded.
 */
public enum ChannelKind {
    /** Policy-averaged firing rate x_n(i, s, j) per factor, state and time point (SPM's xn). */
    RATE("rate", "probability", true),
    /** Membrane potential ln(rate + 1e-16) (docs/algorithm.md section 10), derived from rate. */
    POTENTIAL("potential", "nats", true),
    /** Policy-averaged, mean-subtracted prediction error (SPM's vn). */
    ERROR("error", "nats", true),
    /** Local field potential: the derivative of the rate across the epoch's iterations (MATLAB gradient). */
    LFP("lfp", "probability/iteration", true),
    /** Posterior over policies after iteration i (SPM's un). */
    POLICY("policy", "probability", false),
    /** Expected precision after iteration i (SPM's wn). */
    PRECISION("precision", "1", false),
    /** Simulated dopamine 8 * gradient(wn) + wn / 8 (SPM's dn); see docs/protocol.md for the epoch edge. */
    DOPAMINE("dopamine", "a.u.", false),
    /**
     * Cumulative Fisher-Rao information length of each factor's beliefs within the trial, in the
     * authors' convention: steps between consecutive stored iterates.
     */
    INFOLENGTH("infolength", "1", true),
    /** The same over the whole path: each epoch's first step (from its reset belief to its first iterate) counted too. */
    INFOLENGTH_WHOLE_PATH("infolength-whole-path", "1", true),
    /** The epoch's outcome per modality, 1-based (argmax for soft observations). */
    OUTCOME("outcome", "index", false),
    /** The true hidden state per factor, 1-based, when the source is generative; NaN otherwise. */
    STATE("state", "index", true),
    /**
     * Time-frequency magnitude per factor and frequency (4..32 Hz): the Hanning-wavelet modulus of each
     * unit's LFP (per second), summed over the factor's units (docs/signals.md); lags by the window's half.
     */
    TF("tf", "a.u./s", true),
    /** The real part of the 4 Hz component of the factor's population field, the sum over units of |LFP|. */
    THETA("theta", "a.u./s", true),
    /** The angle of that 4 Hz component, in (-pi, pi]. */
    PHASE("phase", "rad", true);

    private final String label;
    private final String unit;
    private final boolean perFactor;

    ChannelKind(String label, String unit, boolean perFactor) {
        this.label = label;
        this.unit = unit;
        this.perFactor = perFactor;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** Whether a factors= selection narrows this kind. */
    public boolean perFactor() {
        return perFactor;
    }

    public static ChannelKind parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ChannelKind k : values()) if (k.label.equals(t)) return k;
        throw new IllegalArgumentException("unknown channel '" + text + "'");
    }
}
