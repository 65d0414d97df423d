package org.neuroflux.dynamics;

import java.util.Locale;

/** The belief-update step applied at every iteration (docs/algorithm.md section 5). */
public enum Scheme {
    /** SPM's neuronal scheme: an Euler step of dv/dt = eps, s = softmax(ln s + (eps - mean eps)/tau). */
    ACTIVE_INFERENCE("active-inference"),
    /**
     * The authors' natural-gradient step s + s.*eps/tau, renormalised, falling back to the active
     * inference step when a component would be <= 0.
     */
    NATURAL_GRADIENT("natural-gradient");

    private final String label;

    Scheme(String label) { this.label = label; }

    /** The name used on the command line, in files and in metrics tags. */
    public String label() { return label; }

    /** Parses "active-inference" / "natural-gradient" (also "ai" / "ng"). */
    public static Scheme parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Scheme s : values()) if (s.label.equals(t)) return s;
        if (t.equals("ai")) return ACTIVE_INFERENCE;
        if (t.equals("ng")) return NATURAL_GRADIENT;
        throw new IllegalArgumentException("unknown scheme '" + text + "', expected active-inference or natural-gradient");
    }

    @Override
    public String toString() { return label; }
}
