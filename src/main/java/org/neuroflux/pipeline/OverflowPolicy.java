package org.neuroflux.pipeline;

/** What a subscriber's bounded buffer does when it is full. */
public enum OverflowPolicy {
    /** Drop the oldest buffered frame, count it, keep the session going (default for real-time sessions). */
    DROP_OLDEST("drop-oldest"),
    /** Never drop: the session waits until this subscriber has room (default for "max" sessions). */
    LOSSLESS("lossless");

    private final String label;

    OverflowPolicy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static OverflowPolicy parse(String text) {
        for (OverflowPolicy p : values()) if (p.label.equals(text)) return p;
        throw new IllegalArgumentException("unknown policy '" + text + "', expected drop-oldest or lossless");
    }
}
