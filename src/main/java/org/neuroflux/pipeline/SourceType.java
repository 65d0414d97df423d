package org.neuroflux.pipeline;

import java.util.Locale;

/** Where a session's outcomes come from. */
public enum SourceType {
    /** The model's own generative process, sampled once per epoch and shared by all schemes. */
    GENERATIVE,
    /** A client over the observations WebSocket, one message per epoch. */
    CLIENT,
    /** A recorded list of observations, replayed in order. */
    REPLAY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SourceType parse(String text) {
        for (SourceType t : values()) if (t.label().equals(text)) return t;
        throw new IllegalArgumentException("unknown source type '" + text + "', expected generative, client or replay");
    }
}
