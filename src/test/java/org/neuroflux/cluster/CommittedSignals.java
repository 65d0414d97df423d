package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.pipeline.ModelCatalog;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionClock;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SessionRequests;
import org.neuroflux.pipeline.SignalFrame;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Every committed record of a cluster's signals topic, read read_committed from the beginning and
 * decoded, per session and in order (what any subscriber can ever be shown), and the checks the
 * failover tests make on it: no jump in {@code seq} without a resumed notice, and a generative
 * session's frames equal, bit for bit, those of an uninterrupted in-process run of its request.
 */
final class CommittedSignals implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<Object>> records = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    CommittedSignals(String bootstrap, String topicPrefix, int partitions) {
        KafkaClients clients = new KafkaClients(bootstrap, "test");
        thread = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> c =
                    new KafkaConsumer<>(clients.committedConsumer("signals-log", null))) {
                List<TopicPartition> tps = new ArrayList<>();
                for (int p = 0; p < partitions; p++)
                    tps.add(new TopicPartition(
                            ClusterTopics.withPrefix(topicPrefix).signals(), p));
                c.assign(tps);
                c.seekToBeginning(tps);
                while (!closed) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        List<Object> list = records.computeIfAbsent(r.key(), k -> new ArrayList<>());
                        SignalRecord s = SignalRecordCodec.decode(r.value());
                        synchronized (list) {
                            if (s instanceof SignalRecord.FrameBatch batch) list.addAll(batch.frames());
                            else list.add(s);
                        }
                    }
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    /** The session's committed frames and notices so far, in order. */
    List<Object> records(String session) {
        List<Object> list = records.getOrDefault(session, List.of());
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    /** Waits until the session has a committed frame with at least this sequence number. */
    void awaitFrames(String session, long sequence, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Object r : records(session)) if (r instanceof SignalRecord.Frame f && f.sequence() >= sequence) return;
            Thread.sleep(100);
        }
        fail("session " + session + ": no committed frame " + sequence + " within " + timeout);
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Scheme 0's frames run 0, 1, 2, ... and jump only right after a resumed notice, to the notice's
     * sequence. Returns the last notice (null when there is none), checked to name {@code owner} (if
     * not null) and to resume from a committed state (sequence > 0) when {@code resumed} requires one.
     */
    static SignalRecord.Resumed checkSequence(List<Object> records, String owner, boolean resumed) {
        long next = 0; // read from the topic's start: the first frame is 0
        SignalRecord.Resumed last = null;
        for (Object r : records) {
            if (r instanceof SignalRecord.Resumed n) {
                next = n.sequence();
                last = n;
                continue;
            }
            SignalRecord.Frame f = (SignalRecord.Frame) r;
            if (f.scheme() != 0) continue;
            assertEquals(next, f.sequence(), "no hole or repeat without a notice (last notice " + last + ")");
            next = f.sequence() + 1;
        }
        if (!resumed) return last;
        assertNotNull(last, "a resumed notice");
        if (owner != null) assertEquals(owner, last.owner(), last.toString());
        assertTrue(last.sequence() > 0, "resumed from a committed state: " + last);
        return last;
    }

    /**
     * The session's committed frames equal, bit for bit by sequence number, those an uninterrupted
     * in-process run of {@code request} emits. Returns how many frames from {@code from} on were compared.
     */
    int checkGenerative(String session, String request, long from) throws Exception {
        List<Object> gen = records(session);
        long maxSeq = 0;
        for (Object r : gen) if (r instanceof SignalRecord.Frame f) maxSeq = Math.max(maxSeq, f.sequence());
        Map<Long, SignalFrame> expected = uninterrupted(request, maxSeq + 1);
        int compared = 0;
        for (Object r : gen) {
            if (!(r instanceof SignalRecord.Frame f)) continue;
            SignalFrame want = expected.get(f.sequence());
            String at = session + " frame " + f.sequence();
            assertNotNull(want, at);
            assertEquals(want.trial(), f.trial(), "trial of " + at);
            assertEquals(want.epoch(), f.epoch(), "epoch of " + at);
            assertEquals(want.iteration(), f.iteration(), "iteration of " + at);
            assertEquals(want.modelTimeSeconds(), f.modelTimeSeconds(), 0);
            assertEquals(want.size(f.scheme()), f.values().length);
            for (int i = 0; i < f.values().length; i++)
                assertEquals(
                        Double.doubleToRawLongBits(want.value(f.scheme(), i)),
                        Double.doubleToRawLongBits(f.values()[i]),
                        at + " scheme " + f.scheme() + " value " + i);
            if (f.sequence() >= from) compared++;
        }
        return compared;
    }

    /** The frames of an uninterrupted run of {@code request} in process, on virtual time, by sequence number. */
    private static Map<Long, SignalFrame> uninterrupted(String request, long frames) throws Exception {
        SessionRequests requests =
                new SessionRequests(ModelCatalog.load(Path.of("config/models")), NeurofluxConfig.defaults());
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        SessionRegistry registry = new SessionRegistry(vts, SessionClock.of(vts), 10, 10, 64, Duration.ZERO);
        Session s = registry.create(requests.parse(JSON.readTree(request)));
        Map<Long, SignalFrame> out = new TreeMap<>();
        s.tap().subscribe(f -> out.put(f.sequence(), f));
        vts.advanceTimeBy(Duration.ofNanos((frames + 2) * 15_625_000L));
        registry.closeAll("done");
        return out;
    }
}
