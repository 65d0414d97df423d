package org.neuroflux.cluster;

import java.util.Arrays;

/**
 * The observation offsets of one owned partition (docs/cluster.md, "Observation offsets"): which
 * observations were read but no committed state covers yet, and so the offset the owner may commit
 * now. Sessions of one partition apply their observations out of order with respect to
 * each other, so the committable offset is that of the oldest observation still pending, or the
 * read position when none is: a committed offset never passes an unapplied observation, and a new
 * owner rereads from there. Offsets are kept in a growing ring of primitives, without boxing. Not
 * thread-safe: its owner guards it.
 */
public final class PartitionOffsets {
    private long[] offsets = new long[64]; // ring, ascending from head
    private boolean[] applied = new boolean[64];
    private int head;
    private int size;
    private long position; // the next offset to be read

    /** @param position where reading starts: the group's committed offset for the partition */
    public PartitionOffsets(long position) {
        if (position < 0) throw new IllegalArgumentException("position must be >= 0, was " + position);
        this.position = position;
    }

    /**
     * Whether an observation read again after a failover was applied before it: the restored state
     * records {@code lastObservationOffset}, the offset just past the session's last applied observation.
     */
    public static boolean alreadyApplied(long offset, long lastObservationOffset) {
        return offset < lastObservationOffset;
    }

    /** An observation read at {@code offset} and queued for its session: pending until {@link #applied}. */
    public void pending(long offset) {
        advance(offset);
        if (size == offsets.length) grow();
        int i = (head + size) % offsets.length;
        offsets[i] = offset;
        applied[i] = false;
        size++;
    }

    /** A record read and not queued (already applied before a failover, or for a deleted session). */
    public void passed(long offset) {
        advance(offset);
    }

    /** The pending observation at {@code offset} was applied by its session's epoch. */
    public void applied(long offset) {
        int k = find(offset);
        if (k < 0 || applied[(head + k) % offsets.length])
            throw new IllegalStateException("offset " + offset + " is not pending in this partition");
        applied[(head + k) % offsets.length] = true;
        while (size > 0 && applied[head]) {
            head = (head + 1) % offsets.length;
            size--;
        }
    }

    /** The offset to commit now: the oldest pending observation's, or the read position. */
    public long committable() {
        return size == 0 ? position : offsets[head];
    }

    /** Observations read and not yet applied (including applied ones behind an older pending one). */
    public int pendingCount() {
        return size;
    }

    public long position() {
        return position;
    }

    private void advance(long offset) {
        if (offset < position)
            throw new IllegalArgumentException("offset " + offset + " is behind the read position " + position);
        position = offset + 1;
    }

    /** Index from head of {@code offset} (the ring is ascending), or -1. */
    private int find(long offset) {
        int lo = 0, hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = offsets[(head + mid) % offsets.length];
            if (v < offset) lo = mid + 1;
            else if (v > offset) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    private void grow() {
        long[] o = new long[offsets.length * 2];
        boolean[] a = new boolean[o.length];
        for (int k = 0; k < size; k++) {
            o[k] = offsets[(head + k) % offsets.length];
            a[k] = applied[(head + k) % offsets.length];
        }
        offsets = o;
        applied = a;
        head = 0;
    }

    @Override
    public String toString() {
        long[] pending = new long[size];
        for (int k = 0; k < size; k++) pending[k] = offsets[(head + k) % offsets.length];
        return "PartitionOffsets[position=" + position + ", pending=" + Arrays.toString(pending) + "]";
    }
}
