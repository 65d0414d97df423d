package org.neuroflux.cluster;

/** A record that does not decode: names the topic's format, the field, what was found and what was expected. */
public final class RecordFormatException extends RuntimeException {
    public RecordFormatException(String message) {
        super(message);
    }

    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
