package org.neuroflux.export;

import java.util.Locale;

/**
 * The signals a {@link Recording} can hold (docs/signals.md), with the code that starts their EDF
 * labels and their physical unit. "a.u." is the belief scale: a firing rate is a probability in [0, 1].
 */
public enum SignalKind {
    /** Firing rate of a unit (state, time point): SPM's xn, policy-averaged. */
    RATE("FR", "a.u.", "firing rate"),
    /** Membrane potential ln(rate + 1e-16). */
    POTENTIAL("VM", "a.u.", "membrane potential ln(rate)"),
    /** Local field potential: within-epoch derivative of the rate, per second. */
    LFP("LFP", "a.u./s", "local field potential d rate/dt"),
    /** ERP: ln(rate + 1/32) band-passed by Gaussians of FWHM 2 minus 16 bins. */
    ERP("ERP", "a.u.", "ERP: DoG(2,16 bins) of ln(rate+1/32)"),
    /** Time-frequency magnitude of a factor's LFP at one frequency, summed over its units. */
    TF("TF", "a.u./s", "wavelet magnitude of LFP, sum over units"),
    /** The 4 Hz (theta) component of a factor's population field (the sum over its units of |LFP|), real part. */
    THETA("TH", "a.u./s", "4 Hz component of sum of |LFP|"),
    /** Phase of the 4 Hz component of the population field. */
    PHASE("PH", "rad", "phase of 4 Hz component"),
    /** Spike count of a unit's 16 neurons over one sample's 16 sub-bins. */
    SPIKES("SP", "count", "Bernoulli spikes: 16 neurons x 16 sub-bins"),
    /** Phasic dopamine dn = 8 gradient(wn) + wn / 8. */
    DOPAMINE("DA", "a.u.", "dopamine 8*gradient(wn)+wn/8"),
    /** Expected precision (gamma) wn. */
    PRECISION("GAMMA", "a.u.", "expected precision wn");

    private final String code;
    private final String unit;
    private final String description;

    SignalKind(String code, String unit, String description) {
        this.code = code;
        this.unit = unit;
        this.description = description;
    }

    /** Short code that starts an EDF label. */
    public String code() {
        return code;
    }

    /** Physical unit. */
    public String unit() {
        return unit;
    }

    public String description() {
        return description;
    }

    /** Lower-case name used on the command line and in tidy tables: "rate", "lfp", ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for signals with one channel per unit (state, time point). */
    public boolean perUnit() {
        return this == RATE || this == POTENTIAL || this == LFP || this == ERP || this == SPIKES;
    }

    /** Parses a key ("lfp"), case-insensitively. */
    public static SignalKind parse(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (SignalKind s : values()) if (s.key().equals(k)) return s;
        StringBuilder known = new StringBuilder();
        for (SignalKind s : values())
            known.append(known.length() == 0 ? "" : ", ").append(s.key());
        throw new IllegalArgumentException("unknown signal '" + key + "', expected one of: " + known);
    }
}
