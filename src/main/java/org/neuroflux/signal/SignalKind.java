package org.neuroflux.signal;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The project's one vocabulary of signals (docs/signals.md, docs/protocol.md): each kind has one label
 * (the channel type of a stream and the key of an export), one unit and one description, whether it is
 * streamed by a live session, exported by a recording, or both. Units fit EDF's 8-character physical
 * dimension; "a.u." is the belief scale (a firing rate is a probability in [0, 1]). The streamed kinds
 * are declared in the order a stream's frames carry them.
 */
public enum SignalKind {
    /** Firing rate of a unit (state, time point): SPM's xn, policy-averaged. */
    RATE("rate", "FR", "a.u.", "firing rate", Scope.BOTH, true),
    /** Membrane potential ln(rate + 1e-16) (docs/algorithm.md section 10). */
    POTENTIAL("potential", "VM", "a.u.", "membrane potential ln(rate)", Scope.BOTH, true),
    /** Policy-averaged, mean-subtracted prediction error (SPM's vn). */
    ERROR("error", "PE", "nats", "prediction error vn", Scope.STREAM, true),
    /** Local field potential: within-epoch derivative of the rate (MATLAB gradient), per second. */
    LFP("lfp", "LFP", "a.u./s", "local field potential d rate/dt", Scope.BOTH, true),
    /** Posterior over policies after iteration i (SPM's un). */
    POLICY("policy", "PI", "a.u.", "policy posterior un", Scope.STREAM, false),
    /** Expected precision (gamma) after iteration i (SPM's wn). */
    PRECISION("precision", "GAMMA", "a.u.", "expected precision wn", Scope.BOTH, false),
    /** Phasic dopamine dn = 8 gradient(wn) + wn / 8 (SPM's dn), the gradient per 1/64 s iteration. */
    DOPAMINE("dopamine", "DA", "a.u.", "dopamine 8*gradient(wn)+wn/8", Scope.BOTH, false),
    /**
     * Cumulative Fisher-Rao information length of each factor's beliefs within the trial, in the
     * authors' convention: steps between consecutive stored iterates (docs/algorithm.md section 11).
     */
    INFOLENGTH("infolength", "IL", "1", "Fisher-Rao length, stored iterates", Scope.STREAM, true),
    /** The same over the whole path: each epoch's first step (from its reset belief to its first iterate) counted too. */
    INFOLENGTH_WHOLE_PATH("infolength-whole-path", "ILW", "1", "Fisher-Rao length, whole path", Scope.STREAM, true),
    /** The epoch's outcome per modality, 1-based (argmax for soft observations). */
    OUTCOME("outcome", "O", "index", "outcome per modality, 1-based", Scope.STREAM, false),
    /** The true hidden state per factor, 1-based, when the source is generative; NaN otherwise. */
    STATE("state", "S", "index", "true hidden state, 1-based", Scope.STREAM, true),
    /** Time-frequency magnitude of a factor's LFP at one frequency (4..32 Hz), summed over its units. */
    TF("tf", "TF", "a.u./s", "wavelet magnitude of LFP, sum over units", Scope.BOTH, true),
    /** The 4 Hz (theta) component of a factor's population field (the sum over its units of |LFP|), real part. */
    THETA("theta", "TH", "a.u./s", "4 Hz component of sum of |LFP|", Scope.BOTH, true),
    /** Phase of the 4 Hz component of the population field, in (-pi, pi]. */
    PHASE("phase", "PH", "rad", "phase of 4 Hz component", Scope.BOTH, true),
    /** ERP: ln(rate + 1/32) band-passed by Gaussians of FWHM 2 minus 16 bins (over a whole recording). */
    ERP("erp", "ERP", "a.u.", "ERP: DoG(2,16 bins) of ln(rate+1/32)", Scope.EXPORT, true),
    /** Spike count of a unit's 16 neurons over one sample's 16 sub-bins. */
    SPIKES("spikes", "SP", "count", "Bernoulli spikes: 16 neurons x 16 sub-bins", Scope.EXPORT, true);

    private enum Scope {
        STREAM,
        EXPORT,
        BOTH
    }

    private final String label;
    private final String code;
    private final String unit;
    private final String description;
    private final Scope scope;
    private final boolean perFactor;

    SignalKind(String label, String code, String unit, String description, Scope scope, boolean perFactor) {
        this.label = label;
        this.code = code;
        this.unit = unit;
        this.description = description;
        this.scope = scope;
        this.perFactor = perFactor;
    }

    /** The name a stream's channel type and an export's key use: "rate", "lfp", "infolength-whole-path", ... */
    public String label() {
        return label;
    }

    /** Short code that starts an EDF label (16 characters in all): "FR", "LFP", ... */
    public String code() {
        return code;
    }

    /** Physical unit, at most 8 characters (EDF's physical dimension). */
    public String unit() {
        return unit;
    }

    public String description() {
        return description;
    }

    /** Whether a live session streams this kind. */
    public boolean streamed() {
        return scope != Scope.EXPORT;
    }

    /** Whether a recording (EDF+, CSV/JSONL table) can hold this kind. */
    public boolean exported() {
        return scope != Scope.STREAM;
    }

    /** Whether the kind has channels per factor (a factor selection narrows it). */
    public boolean perFactor() {
        return perFactor;
    }

    /** True for kinds with one channel per unit (state, time point). */
    public boolean perUnit() {
        return this == RATE || this == POTENTIAL || this == ERROR || this == LFP || this == ERP || this == SPIKES;
    }

    /** The kinds a live session streams, in frame order. */
    public static Set<SignalKind> streamedKinds() {
        Set<SignalKind> out = EnumSet.noneOf(SignalKind.class);
        for (SignalKind k : values()) if (k.streamed()) out.add(k);
        return out;
    }

    /** The kinds a recording can hold. */
    public static Set<SignalKind> exportedKinds() {
        Set<SignalKind> out = EnumSet.noneOf(SignalKind.class);
        for (SignalKind k : values()) if (k.exported()) out.add(k);
        return out;
    }

    /** Parses a label ("lfp") of any kind, case-insensitively. */
    public static SignalKind parse(String text) {
        return parse(text, EnumSet.allOf(SignalKind.class), "signal");
    }

    /**
     * Parses a label ("lfp") case-insensitively, accepting only the kinds in {@code allowed}.
     *
     * @param what what the caller calls them in its error ("channel", "signal")
     * @throws IllegalArgumentException naming the text and the allowed labels
     */
    public static SignalKind parse(String text, Set<SignalKind> allowed, String what) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (SignalKind k : allowed) if (k.label.equals(t)) return k;
        StringJoiner known = new StringJoiner(", ");
        for (SignalKind k : allowed) known.add(k.label);
        throw new IllegalArgumentException("unknown " + what + " '" + text + "', expected one of: " + known);
    }
}
