package org.neuroflux.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a new owner reads when it is assigned a partition (docs/cluster.md, "Failover"): the state
 * topic's partition from its beginning to its end, read_committed, so only states committed with
 * their frames count; the last record of each session wins and a tombstone removes it. A record that
 * does not decode is logged and skipped, and its session restarts from its previous state, if any.
 */
public final class StateRestore {
    private static final Logger LOG = LoggerFactory.getLogger(StateRestore.class);

    private final KafkaClients clients;
    private final ClusterTopics topics;

    public StateRestore(KafkaClients clients, ClusterTopics topics) {
        this.clients = clients;
        this.topics = topics;
    }

    /** Session id -> its last committed state, for the sessions of {@code partition}. */
    public Map<String, StateRecord> read(int partition, Duration timeout) {
        return read(List.of(partition), timeout).get(partition);
    }

    /**
     * Partition -> (session id -> its last committed state), for the sessions of {@code partitions},
     * read by one consumer: a failover moves several partitions at once, and each consumer costs a
     * start-up.
     */
    public Map<Integer, Map<String, StateRecord>> read(Collection<Integer> partitions, Duration timeout) {
        List<TopicPartition> tps = new ArrayList<>();
        Map<Integer, Map<String, StateRecord>> states = new HashMap<>();
        for (int p : partitions) {
            tps.add(new TopicPartition(topics.state(), p));
            states.put(p, new HashMap<>());
        }
        if (tps.isEmpty()) return states;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.committedConsumer("restore", null))) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end =
                    consumer.endOffsets(tps, timeout); // read_committed: the last stable offsets
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end, timeout)) {
                if (System.nanoTime() > deadline)
                    throw new org.apache.kafka.common.errors.TimeoutException(
                            "restoring " + tps + ": not at offsets " + end + " within " + timeout);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) continue;
                    Map<String, StateRecord> of = states.get(r.partition());
                    if (r.value() == null) {
                        of.remove(r.key());
                        continue;
                    }
                    try {
                        of.put(r.key(), StateRecordCodec.decode(r.value()));
                    } catch (RecordFormatException e) {
                        LOG.warn(
                                "kafka: {}-{} offset {} (session {}) skipped: {}",
                                r.topic(),
                                r.partition(),
                                r.offset(),
                                r.key(),
                                e.getMessage());
                    }
                }
            }
        }
        return states;
    }

    private static boolean reached(
            KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet())
            if (consumer.position(e.getKey(), timeout) < e.getValue()) return false;
        return true;
    }
}
