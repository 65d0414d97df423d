package org.neuroflux.pipeline;

import java.time.Duration;

/**
 * How real-time generative sessions are stepped in batches (docs/architecture.md, "Batched
 * sessions"; config {@code pacing.batchLanes}, {@code pacing.batchJoinWaitMs}).
 *
 * @param lanes    most sessions one batch steps; 1 turns batching off (every session steps alone)
 * @param joinWait longest a new session waits for a batch's next trial before it starts a batch of its own
 */
public record BatchingSettings(int lanes, Duration joinWait) {
    /** The defaults: batches of up to 256 sessions, a new session waits at most 1 s. */
    public static final BatchingSettings DEFAULT = new BatchingSettings(256, Duration.ofMillis(1000));

    /** Every session steps alone. */
    public static final BatchingSettings OFF = new BatchingSettings(1, Duration.ZERO);

    public BatchingSettings {
        if (lanes < 1) throw new IllegalArgumentException("batch lanes must be >= 1, was " + lanes);
        if (joinWait.isNegative()) throw new IllegalArgumentException("join wait must be >= 0, was " + joinWait);
    }

    public boolean enabled() {
        return lanes > 1;
    }
}
