package org.neuroflux.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership of the owners' group (docs/cluster.md, "Ownership"): which partitions,
 * and so which sessions, it owns, and every change. Kafka decides; this class only listens. The
 * consumer subscribes to the observations topic alone; a member that only {@link #join}s keeps its
 * partitions paused, one that {@link #consume}s hands their observations to the listener and commits
 * the offsets the listener calls safe. Callbacks run on the member's own thread, in the order Kafka
 * reports the changes.
 */
public final class PartitionOwnership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionOwnership.class);

    /** Told of every change of this instance's partitions. */
    public interface Listener {
        /** These partitions are now this instance's. */
        void assigned(Set<Integer> partitions);

        /**
         * These partitions are no longer this instance's. {@code lost}: taken away without a chance to
         * commit (the member was expelled after a session timeout); otherwise revoked in a rebalance,
         * and the owner may still commit its last transaction for them.
         */
        void revoked(Set<Integer> partitions, boolean lost);

        /**
         * Observations read from this instance's partitions, in order per partition (members that
         * {@link #consume} only). Their offsets are committed after this returns.
         */
        default void observations(ConsumerRecords<String, byte[]> records) {}

        /**
         * The observation offsets safe to commit now, by partition (docs/cluster.md, "Observation
         * offsets"); null: commit the read positions after each hand-over instead.
         */
        default Map<Integer, Long> committable() {
            return null;
        }

        /**
         * These partitions are being revoked in a rebalance (not lost): the owner may still make their
         * sessions' state durable; their offsets are committed when this returns, then {@link #revoked} follows.
         */
        default void handingOver(Set<Integer> partitions) {}
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Listener listener;
    private final Thread thread;
    private final Set<Integer> owned = new TreeSet<>();
    private final Map<Integer, Long> committed = new HashMap<>(); // the member thread's: last offset committed
    private final boolean consuming;
    private volatile boolean closed;
    private volatile long lag;

    private PartitionOwnership(KafkaClients clients, String topicPrefix, Listener listener, boolean consuming) {
        this.consuming = consuming;
        this.consumer = new KafkaConsumer<>(clients.ownersConsumer(topicPrefix));
        this.topic = ClusterTopics.withPrefix(topicPrefix).observations();
        this.listener = listener;
        this.thread = new Thread(this::run, "neuroflux-kafka-ownership");
        thread.setDaemon(true);
    }

    /** Joins the owners' group of {@code topicPrefix} in the background. */
    public static PartitionOwnership join(KafkaClients clients, String topicPrefix, Listener listener) {
        PartitionOwnership o = new PartitionOwnership(clients, topicPrefix, listener, false);
        o.thread.start();
        return o;
    }

    /**
     * Joins the owners' group and also reads the owned partitions' observations, handing them to
     * {@link Listener#observations} and committing the offsets {@link Listener#committable} names
     * (docs/cluster.md, "Observation offsets"): a new owner reads on from the last committed offset.
     */
    public static PartitionOwnership consume(KafkaClients clients, String topicPrefix, Listener listener) {
        PartitionOwnership o = new PartitionOwnership(clients, topicPrefix, listener, true);
        o.thread.start();
        return o;
    }

    /** Observations in the owned partitions not yet read, as of the last poll (0 for a member that only joins). */
    public long lag() {
        return lag;
    }

    private long currentLag() {
        long sum = 0;
        for (TopicPartition tp : consumer.assignment())
            sum += consumer.currentLag(tp).orElse(0);
        return sum;
    }

    /** The partitions this instance owns now. */
    public Set<Integer> owned() {
        synchronized (owned) {
            return Set.copyOf(owned);
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!consuming) consumer.pause(partitions);
                    Set<Integer> p = numbers(partitions);
                    if (p.isEmpty()) return;
                    synchronized (owned) {
                        owned.addAll(p);
                    }
                    LOG.info("kafka: owning partitions {} of {}", p, topic);
                    listener.assigned(p);
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (consuming && !partitions.isEmpty()) {
                        listener.handingOver(numbers(partitions)); // their last state is committed first
                        commit(); // handed over: the next owner reads on from here
                    }
                    removed(partitions, false);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    removed(partitions, true);
                }
            });
            while (!closed) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(consuming ? 100 : 500));
                if (!consuming) continue;
                lag = currentLag();
                if (!records.isEmpty()) listener.observations(records);
                Map<TopicPartition, OffsetAndMetadata> offsets = committable();
                if (offsets == null && records.isEmpty()) continue;
                if (offsets != null && offsets.isEmpty()) continue;
                OffsetCommitCallback logged = (o, error) -> {
                    if (error != null) LOG.warn("kafka: committing observation offsets failed: {}", error.toString());
                };
                if (offsets == null) consumer.commitAsync(logged);
                else consumer.commitAsync(offsets, logged);
            }
        } catch (WakeupException e) {
            if (!closed) LOG.error("kafka: ownership loop woken up unexpectedly", e);
        } catch (RuntimeException e) {
            LOG.error("kafka: ownership loop failed; this instance owns no partitions from now on", e);
        } finally {
            try {
                consumer.close(); // leaves the group: the partitions move at once, without waiting for a timeout
            } catch (RuntimeException e) {
                LOG.warn("kafka: closing the ownership consumer", e);
            }
        }
    }

    /** The listener's committable offsets that moved since the last commit, or null (commit positions). */
    private Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<Integer, Long> c = listener.committable();
        if (c == null) return null;
        Map<TopicPartition, OffsetAndMetadata> moved = new HashMap<>();
        for (Map.Entry<Integer, Long> e : c.entrySet()) {
            if (e.getValue().equals(committed.get(e.getKey()))) continue;
            committed.put(e.getKey(), e.getValue());
            moved.put(new TopicPartition(topic, e.getKey()), new OffsetAndMetadata(e.getValue()));
        }
        return moved;
    }

    private void commit() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = committable();
            if (offsets == null) consumer.commitSync(Duration.ofSeconds(5));
            else if (!offsets.isEmpty()) consumer.commitSync(offsets, Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("kafka: committing observation offsets on revocation failed: {}", e.toString());
        }
    }

    private void removed(Collection<TopicPartition> partitions, boolean lost) {
        Set<Integer> p = numbers(partitions);
        if (p.isEmpty()) return;
        synchronized (owned) {
            owned.removeAll(p);
        }
        committed.keySet().removeAll(p);
        LOG.info("kafka: partitions {} of {} {}", p, topic, lost ? "lost (expelled from the group)" : "revoked");
        listener.revoked(p, lost);
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        List<Integer> list = new ArrayList<>();
        for (TopicPartition tp : partitions) list.add(tp.partition());
        return Set.copyOf(new TreeSet<>(list));
    }

    /** Leaves the group (idempotent); the listener hears the revocation of every owned partition first. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        consumer.wakeup();
        Workers.awaitStop(thread, 30_000);
    }
}
