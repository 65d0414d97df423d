package org.neuroflux.cluster;

import java.time.Duration;
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
        TopicPartition tp = new TopicPartition(topics.state(), partition);
        Map<String, StateRecord> states = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.committedConsumer("restore", null))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), timeout).get(tp); // read_committed: the last stable offset
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(tp, timeout) < end) {
                if (System.nanoTime() > deadline)
                    throw new org.apache.kafka.common.errors.TimeoutException(
                            "restoring " + tp + ": not at offset " + end + " within " + timeout);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) continue;
                    if (r.value() == null) {
                        states.remove(r.key());
                        continue;
                    }
                    try {
                        states.put(r.key(), StateRecordCodec.decode(r.value()));
                    } catch (RecordFormatException e) {
                        LOG.warn(
                                "kafka: {} offset {} (session {}) skipped: {}",
                                tp,
                                r.offset(),
                                r.key(),
                                e.getMessage());
                    }
                }
            }
        }
        return states;
    }
}
