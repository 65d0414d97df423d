package org.neuroflux.cluster;

import java.util.Objects;

/**
 * A session's state at an epoch boundary, as the state topic holds it (docs/cluster.md, "State at
 * epoch boundaries"). The envelope carries what the cluster layer itself needs for resuming; the
 * engine's own snapshot (solver state, learned counts, random streams, counters, source position)
 * travels as {@code engine}, written and read by the engine.
 *
 * @param nextSequence          the sequence number of the first frame after this boundary: the
 *                              {@code resumed} notice's {@code sequence}
 * @param epochsRun             epochs completed by the session, over all trials
 * @param lastObservationOffset the offset just past the last observation the session applied (0: none)
 * @param committedAtMicros     when the owner wrote it (Unix µs)
 * @param owner                 the instance id of the owner that wrote it
 * @param engine                the engine's snapshot, opaque here
 */
public record StateRecord(
        long nextSequence,
        long epochsRun,
        long lastObservationOffset,
        long committedAtMicros,
        String owner,
        byte[] engine) {
    public StateRecord {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(engine, "engine");
        if (nextSequence < 0 || epochsRun < 0 || lastObservationOffset < 0)
            throw new IllegalArgumentException("nextSequence, epochsRun and lastObservationOffset must be >= 0, were "
                    + nextSequence + ", " + epochsRun + ", " + lastObservationOffset);
    }
}
