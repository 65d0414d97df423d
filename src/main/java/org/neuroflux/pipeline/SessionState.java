package org.neuroflux.pipeline;

import java.util.Locale;

/** What a session is doing. */
public enum SessionState {
    /** Producing frames. */
    RUNNING,
    /** A client source with no observation to apply: the session waits for the next one. */
    WAITING,
    /** A "max" session with no lossless subscriber: nothing sets its pace, so it does not run. */
    PAUSED,
    /** A replay source reached the end of its observations. */
    COMPLETED,
    /** Deleted, timed out or shut down. */
    CLOSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
