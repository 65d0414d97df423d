package org.neuroflux.cluster;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SignalFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber's side of "frames through Kafka" (docs/cluster.md): this instance's one reader of
 * the signals topic (read_committed, no group). It reads only the partitions of sessions that have a
 * relay here, from their end when first assigned, and hands each record of a relayed session to
 * its relay {@link Session}, whose subscribers then get their channels, schemes, decimation and
 * buffer policy as from a local session. A relay without subscribers for {@link #IDLE_MS} is
 * forgotten, and its partition let go when no other relay needs it. Relays are fed and closed on
 * the reader's thread only.
 */
final class SignalRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalRelay.class);
    static final long IDLE_MS = 30_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final int partitions;
    private final Map<String, Relay> relays = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> toClose = new ConcurrentLinkedQueue<>();
    private final AtomicLong corrupt = new AtomicLong();
    private final Thread thread;
    private volatile boolean changed;
    private volatile boolean closed;

    /** A relayed session and the frame being put together from its per-scheme entries. */
    private static final class Relay {
        final Session session;
        final double[][] values;
        long idleSinceMillis = System.currentTimeMillis();

        Relay(Session session) {
            this.session = session;
            this.values = new double[session.spec().schemes().size()][];
        }
    }

    SignalRelay(KafkaClients clients, ClusterTopics topics, int partitions) {
        this.consumer = new KafkaConsumer<>(clients.committedConsumer("signals", null));
        this.topic = topics.signals();
        this.partitions = partitions;
        this.thread = new Thread(this::run, "neuroflux-kafka-signals");
        thread.setDaemon(true);
        thread.start();
    }

    /** The relay of a session run elsewhere, made with {@code make} when there is none yet. */
    Session relay(String sessionId, Function<String, Session> make) {
        Relay r = relays.computeIfAbsent(sessionId, id -> {
            Session s = make.apply(id);
            return s == null ? null : new Relay(s);
        });
        if (r == null) return null;
        changed = true;
        return r.session;
    }

    /** The session was deleted: its relay's subscribers are completed. */
    void close(String sessionId) {
        if (relays.containsKey(sessionId)) toClose.add(sessionId);
    }

    /** Sessions relayed here now. */
    int size() {
        return relays.size();
    }

    /** Signals records that did not decode (logged and skipped). */
    long corruptRecords() {
        return corrupt.get();
    }

    private void run() {
        Set<Integer> assigned = new HashSet<>();
        long nextSweep = 0;
        try {
            while (!closed) {
                if (changed) {
                    changed = false;
                    assigned = reassign(assigned);
                }
                if (assigned.isEmpty()) Thread.sleep(50);
                else for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) apply(r);
                String id;
                while ((id = toClose.poll()) != null) {
                    Relay r = relays.remove(id);
                    if (r != null) r.session.close("session deleted");
                    changed = true;
                }
                long now = System.currentTimeMillis();
                if (now >= nextSweep) {
                    nextSweep = now + 1000;
                    sweep(now);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            if (!closed) LOG.error("kafka: signals reader woken up unexpectedly", e);
        } catch (RuntimeException e) {
            LOG.error(
                    "kafka: signals reader stopped: subscribers here to sessions run elsewhere get no more frames", e);
        } finally {
            for (Relay r : relays.values()) r.session.close("server shutting down");
            consumer.close();
        }
    }

    private Set<Integer> reassign(Set<Integer> assigned) {
        Set<Integer> wanted = new HashSet<>();
        for (String id : relays.keySet()) wanted.add(ClusterTopics.partitionOf(id, partitions));
        if (wanted.equals(assigned)) return assigned;
        consumer.assign(wanted.stream().map(p -> new TopicPartition(topic, p)).toList());
        List<TopicPartition> added = wanted.stream()
                .filter(p -> !assigned.contains(p))
                .map(p -> new TopicPartition(topic, p))
                .toList();
        consumer.seekToEnd(added); // live: a new subscriber starts with the next frame
        return wanted;
    }

    private void sweep(long now) {
        for (Map.Entry<String, Relay> e : relays.entrySet()) {
            Relay r = e.getValue();
            if (r.session.subscriberCount() > 0) r.idleSinceMillis = now;
            else if (now - r.idleSinceMillis > IDLE_MS && relays.remove(e.getKey(), r)) changed = true;
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        Relay r = record.key() == null ? null : relays.get(record.key());
        if (r == null) return; // another session of the partition
        SignalRecord value;
        try {
            value = SignalRecordCodec.decode(record.value());
        } catch (RecordFormatException e) {
            corrupt.incrementAndGet();
            LOG.warn(
                    "kafka: {} record of session {} at partition {} offset {} skipped: {}",
                    topic,
                    record.key(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return;
        }
        if (value instanceof SignalRecord.Resumed n) {
            java.util.Arrays.fill(r.values, null);
            r.session.relay(SignalFrame.resumed(n.owner(), n.sequence(), n.atMicros()));
            return;
        }
        // a frame of m schemes is m consecutive entries, scheme 0 first (FramePublisher)
        for (SignalRecord.Frame f : ((SignalRecord.FrameBatch) value).frames()) {
            if (f.scheme() < 0 || f.scheme() >= r.values.length) continue;
            r.values[f.scheme()] = f.values();
            if (f.scheme() != r.values.length - 1) continue;
            double[][] rows = r.values.clone();
            java.util.Arrays.fill(r.values, null);
            if (java.util.Arrays.asList(rows).contains(null)) continue; // the stream started mid-frame
            r.session.relay(new SignalFrame(
                    f.sequence(),
                    f.trial(),
                    f.epoch(),
                    f.iteration(),
                    f.modelTimeSeconds(),
                    f.wallClockMicros(),
                    rows,
                    f.level()));
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        Workers.awaitStop(thread);
    }
}
