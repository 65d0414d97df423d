package org.neuroflux.cluster;

import java.util.List;

/**
 * The value of a signals-topic record: a batch of a session's frames, or a notice to its
 * subscribers. Subscribers' instances read these with read_committed, so they only ever see frames
 * whose state was committed with them (docs/cluster.md, "State at epoch boundaries").
 */
public sealed interface SignalRecord permits SignalRecord.FrameBatch, SignalRecord.Resumed {

    /**
     * One frame: one iteration (or continuous sample) of one scheme, the fields of the WebSocket
     * frame (docs/protocol.md) and every stored channel value. {@code level} is 0 in a single-level
     * session, else the level whose iteration this is (1 = top).
     */
    record Frame(
            int scheme,
            long sequence,
            long trial,
            int epoch,
            int iteration,
            int level,
            double modelTimeSeconds,
            long wallClockMicros,
            double[] values) {}

    /** Consecutive frames of one session, in the order the session produced them. */
    record FrameBatch(List<Frame> frames) implements SignalRecord {
        public FrameBatch {
            frames = List.copyOf(frames);
        }
    }

    /**
     * The session now runs on {@code owner}, resumed from its state at the last committed epoch
     * boundary: its next frame has {@code sequence}, which may repeat (frames after that boundary
     * were committed before the failover) or skip (frames were not) earlier ones.
     *
     * @param owner         the new owner's instance id
     * @param sequence      the sequence number of the first frame after the notice
     * @param atMicros      when the new owner resumed the session (Unix µs)
     */
    record Resumed(String owner, long sequence, long atMicros) implements SignalRecord {}
}
