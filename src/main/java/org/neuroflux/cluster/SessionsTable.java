package org.neuroflux.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every instance's view of every session (docs/cluster.md, "Any instance serves any session"): the
 * compacted sessions topic read whole, read_committed, without a group, and kept up to date. Lists,
 * lookups, ingest validation and the owner's start of its sessions all read it. A record that does
 * not decode is logged, counted ({@link #corruptRecords()}) and skipped: it never stops the table.
 */
public final class SessionsTable implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionsTable.class);

    /** Told of every session that appears or disappears, on the table's thread. */
    public interface Listener {
        void created(SessionDefinition definition);

        void deleted(String sessionId);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Listener listener;
    private final Map<String, SessionDefinition> sessions = new ConcurrentHashMap<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicLong corrupt = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    private SessionsTable(KafkaClients clients, ClusterTopics topics, Listener listener) {
        this.consumer = new KafkaConsumer<>(clients.committedConsumer("sessions", null));
        this.topic = topics.sessions();
        this.listener = listener;
        this.thread = new Thread(this::run, "neuroflux-kafka-sessions");
        thread.setDaemon(true);
    }

    /** Starts reading the sessions topic from its beginning, in the background. */
    public static SessionsTable start(KafkaClients clients, ClusterTopics topics, Listener listener) {
        SessionsTable t = new SessionsTable(clients, topics, listener);
        t.thread.start();
        return t;
    }

    public Optional<SessionDefinition> get(String sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }

    /** Every live session, in no particular order. */
    public List<SessionDefinition> all() {
        return List.copyOf(sessions.values());
    }

    public int size() {
        return sessions.size();
    }

    /** Records skipped because they did not decode. */
    public long corruptRecords() {
        return corrupt.get();
    }

    /** Whether the table holds everything that was in the topic when it started. */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until the table holds everything that was in the topic when it started; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            List<PartitionInfo> infos;
            while ((infos = partitions()) == null || infos.isEmpty()) {
                if (closed) return;
                LOG.warn(
                        "kafka: no partitions of {} yet (broker unreachable, or the topic not created yet); asking again",
                        topic);
                Thread.sleep(1000);
            }
            for (PartitionInfo p : infos) partitions.add(new TopicPartition(topic, p.partition()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end =
                    consumer.endOffsets(partitions); // with read_committed: the last stable offsets
            while (!closed) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) apply(r);
                if (caughtUp.getCount() > 0 && reached(end)) {
                    caughtUp.countDown();
                    LOG.info("kafka: sessions table caught up: {} sessions", sessions.size());
                }
            }
        } catch (WakeupException | InterruptedException e) {
            if (!closed) LOG.error("kafka: sessions table woken up unexpectedly", e);
        } catch (RuntimeException e) {
            LOG.error("kafka: sessions table stopped: this instance no longer sees new sessions", e);
        } finally {
            consumer.close();
        }
    }

    private List<PartitionInfo> partitions() {
        try {
            return consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return null;
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet())
            if (consumer.position(e.getKey()) < e.getValue()) return false;
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            corrupt.incrementAndGet();
            LOG.warn(
                    "kafka: {} record at partition {} offset {} has no key (session id); skipped",
                    topic,
                    r.partition(),
                    r.offset());
            return;
        }
        if (r.value() == null) {
            if (sessions.remove(r.key()) != null) listener.deleted(r.key());
            return;
        }
        SessionDefinition d;
        try {
            d = SessionDefinitionCodec.decode(r.value());
        } catch (RecordFormatException e) {
            corrupt.incrementAndGet();
            LOG.warn(
                    "kafka: {} record for session {} at partition {} offset {} skipped: {}",
                    topic,
                    r.key(),
                    r.partition(),
                    r.offset(),
                    e.getMessage());
            return;
        }
        if (!d.id().equals(r.key())) {
            corrupt.incrementAndGet();
            LOG.warn(
                    "kafka: {} record at partition {} offset {} has key {} but defines session {}; skipped",
                    topic,
                    r.partition(),
                    r.offset(),
                    r.key(),
                    d.id());
            return;
        }
        if (sessions.put(d.id(), d) == null) listener.created(d);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        consumer.wakeup();
        Workers.awaitStop(thread, 10_000);
    }
}
