package org.neuroflux.dynamics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The belief-update step applied at every iteration (docs/algorithm.md section 5; the
 * geometry of the three in section 5.5). Two are natural (their continuous-time limit is the
 * replicator flow, the Fisher-metric gradient flow on the simplex); {@link #EUCLIDEAN} is the
 * non-natural baseline.
 */
public enum Scheme {
    /** SPM's neuronal scheme: an Euler step of dv/dt = eps, s = softmax(ln s + (eps - mean eps)/tau). */
    ACTIVE_INFERENCE("active-inference", "ai"),
    /**
     * The authors' natural-gradient step s + s.*eps/tau, renormalised, falling back to the active
     * inference step when a component would be <= 0.
     */
    NATURAL_GRADIENT("natural-gradient", "ng"),
    /**
     * The Euclidean (non-natural) gradient step: s = the Euclidean projection onto the simplex of
     * s + (eps - mean eps)/tau; in continuous time the projected gradient flow ds/dt = eps - mean eps.
     */
    EUCLIDEAN("euclidean", "eu");

    private final String label;
    private final String shortLabel;

    Scheme(String label, String shortLabel) {
        this.label = label;
        this.shortLabel = shortLabel;
    }

    /** The name used on the command line, in files and in metrics tags. */
    public String label() {
        return label;
    }

    /** The abbreviation accepted by {@link #parse} (ai, ng, eu). */
    public String shortLabel() {
        return shortLabel;
    }

    /**
     * Whether the scheme has a continuous-time flow of its own. The natural-gradient step is the
     * active-inference flow's other discretisation (the same flow to O(1/tau^2)), so in continuous
     * time it is that flow, not a scheme of its own.
     */
    public boolean hasOwnFlow() {
        return this != NATURAL_GRADIENT;
    }

    /** "active-inference, natural-gradient or euclidean": every label, for messages. */
    public static String labels() {
        String[] all = Arrays.stream(values()).map(Scheme::label).toArray(String[]::new);
        return String.join(", ", Arrays.copyOf(all, all.length - 1)) + " or " + all[all.length - 1];
    }

    /** Every label, comma separated (for option defaults and docs). */
    public static String labelList() {
        return Arrays.stream(values()).map(Scheme::label).collect(Collectors.joining(","));
    }

    /** Parses a label (active-inference, natural-gradient, euclidean) or its abbreviation (ai, ng, eu). */
    public static Scheme parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Scheme s : values()) if (s.label.equals(t) || s.shortLabel.equals(t)) return s;
        throw new IllegalArgumentException("unknown scheme '" + text + "', expected " + labels());
    }

    @Override
    public String toString() {
        return label;
    }
}
