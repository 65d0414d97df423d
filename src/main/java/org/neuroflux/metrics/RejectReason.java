package org.neuroflux.metrics;

/**
 * Why an ingest message was refused: one vocabulary for the error reply's {@code code}, the log
 * line and the {@code reason} tag of the rejected-observations counter.
 */
public enum RejectReason {
    /** Not JSON, not an object, unknown fields, binary messages, wrong types. */
    MALFORMED("malformed"),
    /** Wrong number of modalities or outcomes. */
    SHAPE("shape"),
    /** An outcome index or name that does not exist, probabilities that do not sum, values too far from every mean. */
    RANGE("range"),
    /** NaN or infinite numbers. */
    NOT_FINITE("not-finite"),
    /** Larger than {@code limits.maxMessageBytes}. */
    TOO_LARGE("too-large"),
    /** Over {@code limits.ingestMessagesPerSecond}. */
    RATE_LIMIT("rate-limit"),
    /** The session's ingest queue is full. */
    QUEUE_FULL("queue-full"),
    /** The session is closing. */
    CLOSING("closing"),
    /** Cluster mode: the broker did not acknowledge the observation (nothing was accepted). */
    UNAVAILABLE("unavailable");

    private final String tag;

    RejectReason(String tag) {
        this.tag = tag;
    }

    /** The tag value on meters and the {@code code} of error replies. */
    public String tag() {
        return tag;
    }
}
