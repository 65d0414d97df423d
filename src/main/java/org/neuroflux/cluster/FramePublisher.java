package org.neuroflux.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SignalFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The owner's side of "frames through Kafka" (docs/cluster.md): every owned session's frames,
 * tapped on its emitting thread into a queue, leave every {@link #FLUSH_MS} ms as one record per
 * session on the signals topic, keyed by session id. A frame of m schemes is m consecutive
 * entries of the batch (scheme 0 first). The producer is idempotent with acks=all, and one
 * producer writes every record of a session, so a session's records keep their order in its
 * partition, notices included.
 */
final class FramePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FramePublisher.class);
    /** How often queued frames leave: about one frame per real-time session per batch. */
    static final long FLUSH_MS = 20;
    /** A batch holds at most this many frames (a "max" session emits fast): about 0.5 MB of T-maze frames. */
    static final int MAX_BATCH_FRAMES = 256;

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final Map<String, Tap> taps = new ConcurrentHashMap<>();
    private final SignalRecordCodec.BatchEncoder encoder = new SignalRecordCodec.BatchEncoder();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final Thread thread;
    private double[] scratch = new double[256];
    private volatile boolean closed;

    /** One owned session's frames waiting to leave. */
    private static final class Tap {
        final ConcurrentLinkedQueue<SignalFrame> queue = new ConcurrentLinkedQueue<>();
        final int schemes;
        volatile Disposable subscription;
        volatile boolean removed;

        Tap(int schemes) {
            this.schemes = schemes;
        }
    }

    FramePublisher(KafkaClients clients, ClusterTopics topics) {
        this.producer = new KafkaProducer<>(clients.acknowledgingProducer());
        this.topic = topics.signals();
        this.thread = new Thread(this::run, "neuroflux-kafka-frames");
        thread.setDaemon(true);
        thread.start();
    }

    /** Publishes the session's frames from now on. */
    void add(Session session) {
        Tap tap = new Tap(session.spec().schemes().size());
        taps.put(session.id(), tap);
        tap.subscription = session.tap().subscribe(tap.queue::offer, e -> {}, () -> tap.removed = true);
    }

    /** Stops publishing the session's frames; those already queued still leave. */
    void remove(String sessionId) {
        Tap tap = taps.get(sessionId);
        if (tap == null) return;
        Disposable s = tap.subscription;
        if (s != null) s.dispose();
        tap.removed = true;
    }

    /**
     * Sends a resumed notice now, ahead of every frame the session emits after this call: the
     * session starts again on this instance, and its next frame has {@code sequence}.
     */
    void resumed(String sessionId, String owner, long sequence) {
        byte[] value =
                SignalRecordCodec.encode(new SignalRecord.Resumed(owner, sequence, System.currentTimeMillis() * 1000));
        producer.send(new ProducerRecord<>(topic, sessionId, value), (m, e) -> {
            if (e != null) fail(sessionId, e);
        });
    }

    /** Frame batches that the broker did not acknowledge (their frames are lost to remote subscribers). */
    long failedBatches() {
        return failed.get();
    }

    long publishedBatches() {
        return published.get();
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(FLUSH_MS);
                flush();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) { // never let the thread die silently: remote subscribers would starve
                LOG.error("kafka: publishing frames failed; retrying", e);
            }
        }
        flush();
    }

    private void flush() {
        for (Map.Entry<String, Tap> e : taps.entrySet()) {
            Tap tap = e.getValue();
            while (!tap.queue.isEmpty()) send(e.getKey(), tap);
            if (tap.removed && tap.queue.isEmpty()) taps.remove(e.getKey(), tap);
        }
    }

    private void send(String sessionId, Tap tap) {
        encoder.begin();
        SignalFrame f;
        while (encoder.frames() < MAX_BATCH_FRAMES && (f = tap.queue.poll()) != null) {
            if (f.resumedBy() != null) continue; // a local session emits no notices; relays carry them
            for (int e = 0; e < f.schemeCount(); e++) {
                int n = f.size(e);
                if (scratch.length < n) scratch = new double[Math.max(n, 2 * scratch.length)];
                for (int i = 0; i < n; i++) scratch[i] = f.value(e, i);
                encoder.frame(
                        e,
                        f.sequence(),
                        f.trial(),
                        f.epoch(),
                        f.iteration(),
                        f.level(),
                        f.modelTimeSeconds(),
                        f.wallClockMicros(),
                        scratch,
                        n);
            }
        }
        if (encoder.frames() == 0) return;
        producer.send(new ProducerRecord<>(topic, sessionId, encoder.finish()), (m, e) -> {
            if (e != null) fail(sessionId, e);
            else published.incrementAndGet();
        });
    }

    private void fail(String sessionId, Exception e) {
        long n = failed.incrementAndGet();
        if (n == 1 || Long.bitCount(n) == 1) // 1, 2, 4, 8, ...: said, not flooded
        LOG.warn(
                    "kafka: a signals record of session {} was not acknowledged ({} so far): {}",
                    sessionId,
                    n,
                    e.toString());
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Workers.awaitStop(thread);
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
