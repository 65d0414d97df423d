package org.neuroflux.cluster;

import java.util.Arrays;

/**
 * One owned session's observation offsets (docs/cluster.md, "Observation offsets"): those handed to
 * the session in order and not yet covered by a committed state, so which offset a state taken now
 * covers, and which offsets a committed state releases. A session restored from a state skips the
 * records that state covers. Thread-safe: the member's thread hands observations over, the
 * session's emitting thread takes states, the publisher's thread reports commits.
 */
final class SessionOffsets {
    private final int partition;
    private final long skipBelow;
    private long[] pending = new long[8]; // handed over, not yet covered by a committed state, ascending
    private int size;
    private long base; // observations the session applied before pending[0]
    private long lastOffset; // just past the last observation a committed state covers

    /**
     * @param applied    observations the session has applied (its restored state's count, or 0)
     * @param lastOffset the restored state's {@code lastObservationOffset}, or 0
     */
    SessionOffsets(int partition, long applied, long lastOffset) {
        this.partition = partition;
        this.base = applied;
        this.lastOffset = lastOffset;
        this.skipBelow = lastOffset;
    }

    int partition() {
        return partition;
    }

    /**
     * An observation read at {@code offset} for this session: true when it is handed over (and now
     * pending), false when the restored state already covers it, so it must not be applied again.
     */
    synchronized boolean handOver(long offset) {
        if (PartitionOffsets.alreadyApplied(offset, skipBelow)) return false;
        if (size == pending.length) pending = Arrays.copyOf(pending, 2 * size);
        pending[size++] = offset;
        return true;
    }

    /** The {@code lastObservationOffset} of a state taken after the session applied {@code applied} observations. */
    synchronized long lastOffsetAt(long applied) {
        long k = applied - base; // applied since the last committed state
        if (k <= 0 || size == 0) return lastOffset;
        return pending[(int) Math.min(k, size) - 1] + 1;
    }

    /**
     * A state taken after {@code applied} observations committed: returns the offsets it covers,
     * which need never be read again.
     */
    synchronized long[] committed(long applied, long lastObservationOffset) {
        int k = (int) Math.max(0, Math.min(size, applied - base));
        long[] covered = Arrays.copyOf(pending, k);
        System.arraycopy(pending, k, pending, 0, size - k);
        size -= k;
        base += k;
        lastOffset = Math.max(lastOffset, lastObservationOffset);
        return covered;
    }

    /** The session is gone for good (deleted): every pending offset, which will never be applied. */
    synchronized long[] release() {
        long[] all = Arrays.copyOf(pending, size);
        size = 0;
        return all;
    }
}
