package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PartitionOffsetsTest {
    @Test
    void theCommittableOffsetNeverPassesAnUnappliedObservation() {
        PartitionOffsets p = new PartitionOffsets(10);
        assertEquals(10, p.committable());
        p.pending(10); // session A
        p.pending(11); // session B
        p.passed(12); // already applied before a failover
        p.pending(13); // session A
        assertEquals(10, p.committable());
        p.applied(11); // B's epoch came first
        assertEquals(10, p.committable(), "A's observation at 10 is still waiting");
        p.applied(10);
        assertEquals(13, p.committable());
        p.applied(13);
        assertEquals(14, p.committable(), "nothing pending: the read position");
        assertEquals(0, p.pendingCount());
    }

    @Test
    void misuseIsRefused() {
        PartitionOffsets p = new PartitionOffsets(5);
        assertThrows(IllegalArgumentException.class, () -> p.pending(4));
        p.pending(5);
        assertThrows(IllegalArgumentException.class, () -> p.passed(5));
        assertThrows(IllegalStateException.class, () -> p.applied(6));
        p.pending(6);
        p.applied(6);
        assertThrows(IllegalStateException.class, () -> p.applied(6), "applied twice");
        assertThrows(IllegalArgumentException.class, () -> new PartitionOffsets(-1));
    }

    @Test
    void alreadyAppliedComparesWithTheOffsetPastTheLastApplied() {
        assertTrue(PartitionOffsets.alreadyApplied(41, 42));
        assertFalse(PartitionOffsets.alreadyApplied(42, 42));
    }

    /**
     * Random reads and applies over many sessions, against a plain model, then a simulated failover:
     * a new owner rereads from the committed offset and, skipping what each session had applied,
     * applies every observation exactly once.
     */
    @Test
    void randomInterleavingsAgreeWithAModelAndAFailoverAppliesEachObservationOnce() {
        SplittableRandom random = new SplittableRandom(7);
        for (int run = 0; run < 50; run++) {
            int sessions = 1 + random.nextInt(8);
            List<String> log = new ArrayList<>(); // the partition: session of each offset
            PartitionOffsets p = new PartitionOffsets(0);
            TreeSet<Long> model = new TreeSet<>();
            Map<String, ArrayDeque<Long>> queues = new HashMap<>();
            Map<String, Long> lastApplied = new HashMap<>(); // offset past the last applied, per session
            List<Long> appliedOffsets = new ArrayList<>();
            long committed = 0;
            Map<String, Long> committedLastApplied = new HashMap<>();
            for (int step = 0; step < 400; step++) {
                if (random.nextInt(3) > 0) {
                    String s = "s" + random.nextInt(sessions);
                    long offset = log.size();
                    log.add(s);
                    p.pending(offset);
                    model.add(offset);
                    queues.computeIfAbsent(s, k -> new ArrayDeque<>()).add(offset);
                } else {
                    String s = "s" + random.nextInt(sessions);
                    ArrayDeque<Long> q = queues.get(s);
                    if (q == null || q.isEmpty()) continue;
                    long offset = q.poll(); // a session applies its own observations in order
                    p.applied(offset);
                    model.remove(offset);
                    appliedOffsets.add(offset);
                    lastApplied.put(s, offset + 1);
                }
                assertEquals(
                        model.isEmpty() ? p.position() : model.first(),
                        p.committable(),
                        "run " + run + " step " + step);
                if (random.nextInt(10) == 0) { // a transaction commits offsets and the sessions' states together
                    committed = p.committable();
                    committedLastApplied = new HashMap<>(lastApplied);
                }
            }
            // failover: the applied observations that were committed survive; the new owner rereads from the committed
            // offset
            List<Long> survived = new ArrayList<>();
            for (Map.Entry<String, Long> e : committedLastApplied.entrySet())
                for (long o : appliedOffsets)
                    if (log.get((int) o).equals(e.getKey()) && o < e.getValue()) survived.add(o);
            PartitionOffsets next = new PartitionOffsets(committed);
            List<Long> reapplied = new ArrayList<>();
            for (long o = committed; o < log.size(); o++) {
                long last = committedLastApplied.getOrDefault(log.get((int) o), 0L);
                if (PartitionOffsets.alreadyApplied(o, last)) next.passed(o);
                else {
                    next.pending(o);
                    reapplied.add(o);
                }
            }
            TreeSet<Long> all = new TreeSet<>(survived);
            for (long o : reapplied) assertTrue(all.add(o), "run " + run + ": offset " + o + " applied twice");
            for (long o = 0; o < log.size(); o++) assertTrue(all.contains(o), "run " + run + ": offset " + o + " lost");
        }
    }
}
