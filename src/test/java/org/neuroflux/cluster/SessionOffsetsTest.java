package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The exactly-once rule of observations (docs/cluster.md, "Observation offsets"), without a broker:
 * a state covers the observations its session applied, the partition's committable offset moves
 * only past those a committed state covers, and a session restored from a state skips the records
 * it covers when its new owner reads them again.
 */
class SessionOffsetsTest {
    @Test
    void aCommittedStateReleasesTheOffsetsItCoversAndNoOthers() {
        PartitionOffsets partition = new PartitionOffsets(10);
        SessionOffsets a = new SessionOffsets(0, 0, 0);
        SessionOffsets b = new SessionOffsets(0, 0, 0);
        for (long offset = 10; offset < 14; offset++) { // read in order: a, a, b, a
            assertTrue((offset == 12 ? b : a).handOver(offset));
            partition.pending(offset);
        }
        assertEquals(0, a.lastOffsetAt(0), "a state before any observation covers none");
        assertEquals(12, a.lastOffsetAt(2), "after two applied: just past offset 11");
        // the state after two observations is written, but not committed yet: nothing moves
        assertEquals(10, partition.committable());
        for (long offset : a.committed(2, 12)) partition.applied(offset);
        assertEquals(12, partition.committable(), "b's observation at 12 still waits");
        assertEquals(12, a.lastOffsetAt(2), "a state with no new observation covers the same");
        assertEquals(14, a.lastOffsetAt(3));
        // an aborted transaction's state never reports: the next committed one covers both
        for (long offset : b.committed(1, 13)) partition.applied(offset);
        assertEquals(13, partition.committable());
        assertArrayEquals(new long[] {13}, a.committed(3, 14));
        partition.applied(13);
        assertEquals(14, partition.committable(), "nothing pending: the read position");
        assertArrayEquals(new long[0], a.committed(3, 14), "committed twice: nothing more");
    }

    @Test
    void aRestoredSessionSkipsWhatItsStateCoversAndCountsOnFromIt() {
        // the state: 5 observations applied, the last at offset 39; the group had committed 36
        SessionOffsets s = new SessionOffsets(3, 5, 40);
        PartitionOffsets partition = new PartitionOffsets(36);
        for (long offset = 36; offset < 40; offset++) {
            assertFalse(s.handOver(offset), "offset " + offset + " is in the restored state");
            partition.passed(offset);
        }
        assertTrue(s.handOver(40));
        partition.pending(40);
        assertEquals(40, partition.committable());
        assertEquals(40, s.lastOffsetAt(5), "a boundary before the 6th observation: the restored one");
        assertEquals(41, s.lastOffsetAt(6));
        for (long offset : s.committed(6, 41)) partition.applied(offset);
        assertEquals(41, partition.committable());
        assertEquals(3, s.partition());
    }

    @Test
    void aDeletedSessionReleasesItsPendingOffsets() {
        SessionOffsets s = new SessionOffsets(0, 0, 0);
        PartitionOffsets partition = new PartitionOffsets(0);
        for (long offset = 0; offset < 20; offset++) {
            s.handOver(offset);
            partition.pending(offset);
        }
        for (long offset : s.committed(4, 4)) partition.applied(offset);
        assertEquals(4, partition.committable());
        for (long offset : s.release()) partition.applied(offset);
        assertEquals(20, partition.committable(), "it will never apply them: they no longer hold the partition");
    }
}
