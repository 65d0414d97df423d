package org.neuroflux.pipeline;

/** A configured limit (sessions, subscribers per session) is reached. */
public final class SessionLimitException extends RuntimeException {
    public SessionLimitException(String message) {
        super(message);
    }
}
