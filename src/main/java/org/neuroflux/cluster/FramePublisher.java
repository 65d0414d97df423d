package org.neuroflux.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.neuroflux.metrics.ClusterMetrics;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionSnapshot;
import org.neuroflux.pipeline.SignalFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The owner's output (docs/cluster.md, "State at epoch boundaries"): every {@link #COMMIT_MS} ms
 * one Kafka transaction carries what the owned sessions produced since the last: their frames (one
 * record per session, split at {@link #MAX_BATCH_FRAMES}) on the signals topic, and after the
 * frames of each completed epoch the session's state on the state topic. read_committed readers
 * therefore never see a frame without the state of its epoch's end, nor a state without its
 * frames. Frames are tapped on the sessions' emitting threads into queues; this class's thread
 * alone uses the producer.
 *
 * <p>A transaction that fails is aborted: its frames and states never become visible. Each session
 * that had frames in it gets a {@code resumed} notice (naming this instance) before its next frames,
 * so subscribers see the gap announced, never a silent hole. A fenced producer (another instance
 * took this instance's transactional id over to abort a transaction it believed abandoned) is
 * replaced by a new one.
 */
final class FramePublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FramePublisher.class);
    /** How often a transaction commits: about one frame per real-time session per transaction. */
    static final long COMMIT_MS = 20;
    /** A batch holds at most this many frames (a "max" session emits fast): about 0.5 MB of T-maze frames. */
    static final int MAX_BATCH_FRAMES = 256;
    /**
     * Entries a session may queue while the broker is away (8 s of a real-time session, about 0.5 MB
     * of T-maze frames); older frames are then dropped, and announced by a notice.
     */
    static final int MAX_QUEUED = 512;

    /** Told of each state record once its transaction committed (on this class's thread). */
    interface Committed {
        void committed(String sessionId, StateRecord state, long observationsApplied);
    }

    /** A session's state at an epoch boundary, queued behind the epoch's frames. */
    record PendingState(SessionSnapshot snapshot, long lastObservationOffset) {}

    private final KafkaClients clients;
    private final String topicPrefix;
    private final String signals;
    private final String state;
    private final String instanceId;
    private final Committed committed;
    private final ClusterMetrics meters;
    private final Map<String, Tap> taps = new ConcurrentHashMap<>();
    private final Set<String> tombstones = ConcurrentHashMap.newKeySet();
    private final SignalRecordCodec.BatchEncoder encoder = new SignalRecordCodec.BatchEncoder();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final Thread thread;
    private final Object commitLock = new Object();
    private KafkaProducer<String, byte[]> producer; // this thread's
    private long nextInitNanos;
    private int initFailures;
    private double[] scratch = new double[256];
    private volatile long lastCommitNanos = -1;
    private volatile boolean closed;

    /** One owned session's output waiting to leave: frames and states, in the order produced. */
    private static final class Tap {
        final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
        final AtomicLong queued = new AtomicLong();
        volatile Disposable subscription;
        volatile boolean removed;
        /** A notice to send before the next frame: the session resumed here, or a transaction lost frames. */
        volatile long noticeSequence = -1;

        void offer(Object o) {
            if (queued.incrementAndGet() > MAX_QUEUED) { // the broker is away: keep the newest, announce the gap
                Object dropped = queue.poll();
                if (dropped != null) queued.decrementAndGet();
                if (dropped instanceof SignalFrame f && noticeSequence < 0) noticeSequence = f.sequence() + 1;
            }
            queue.offer(o);
        }

        Object poll() {
            Object o = queue.poll();
            if (o != null) queued.decrementAndGet();
            return o;
        }
    }

    FramePublisher(
            KafkaClients clients,
            ClusterTopics topics,
            String topicPrefix,
            Committed committed,
            ClusterMetrics meters) {
        this.meters = meters;
        this.clients = clients;
        this.topicPrefix = topicPrefix;
        this.signals = topics.signals();
        this.state = topics.state();
        this.instanceId = clients.instanceId();
        this.committed = committed;
        this.thread = new Thread(this::run, "neuroflux-kafka-frames");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Prepares a session's output before it starts: a {@code resumed} notice with {@code sequence}
     * (its next frame's) first when {@code resumed}, then its frames and states as they come.
     */
    void add(Session session, boolean resumed, long sequence) {
        Tap tap = new Tap();
        if (resumed) tap.noticeSequence = sequence;
        Tap old = taps.put(session.id(), tap);
        if (old != null) old.removed = true;
        tap.subscription = session.tap().subscribe(tap::offer, e -> {}, () -> tap.removed = true);
    }

    /** Queues a session's state behind the frames of the epoch it ends (on the session's emitting thread). */
    void state(String sessionId, SessionSnapshot snapshot, long lastObservationOffset) {
        Tap tap = taps.get(sessionId);
        if (tap != null && !tap.removed) tap.offer(new PendingState(snapshot, lastObservationOffset));
    }

    /** Stops publishing the session's output; what is already queued still leaves. */
    void remove(String sessionId) {
        Tap tap = taps.get(sessionId);
        if (tap == null) return;
        Disposable s = tap.subscription;
        if (s != null) s.dispose();
        tap.removed = true;
    }

    /** The session was deleted: its state record is removed (a tombstone) in the next transaction. */
    void deleted(String sessionId) {
        remove(sessionId);
        tombstones.add(sessionId);
    }

    /**
     * Waits until a transaction begun after this call has committed (or nothing was left to send),
     * at most {@code timeout}: a revoked partition's last output is durable before it moves.
     */
    boolean awaitCommit(Duration timeout) {
        long since = System.nanoTime();
        long deadline = since + timeout.toNanos();
        synchronized (commitLock) {
            while (lastCommitNanos < since) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) return false;
                try {
                    commitLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Frame batches that never became visible (their transaction aborted, or the send failed). */
    long failedBatches() {
        return failed.get();
    }

    long publishedBatches() {
        return published.get();
    }

    long commits() {
        return commits.get();
    }

    long abortedTransactions() {
        return aborted.get();
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(COMMIT_MS);
                transaction();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) { // never let the thread die silently: remote subscribers would starve
                LOG.error("kafka: publishing frames failed; retrying", e);
            }
        }
        try {
            transaction(); // what the stopped sessions left: a rolling restart loses nothing
        } catch (RuntimeException e) {
            LOG.warn("kafka: the last transaction before closing failed: {}", e.toString());
        }
    }

    /** A session's part of the transaction in flight. */
    private record Sent(String sessionId, Tap tap, long nextSequence, List<SentState> states) {}

    private record SentState(StateRecord record, long observationsApplied) {}

    private void transaction() {
        if (!ready()) return;
        long started = System.nanoTime();
        List<Sent> sent = new ArrayList<>();
        List<String> deleted = new ArrayList<>(tombstones);
        boolean open = false;
        int batches = 0;
        try {
            for (Map.Entry<String, Tap> e : taps.entrySet()) {
                Tap tap = e.getValue();
                if (tap.queue.isEmpty() && tap.noticeSequence < 0) {
                    if (tap.removed) taps.remove(e.getKey(), tap);
                    continue;
                }
                if (!open) {
                    producer.beginTransaction();
                    open = true;
                }
                Sent s = send(e.getKey(), tap);
                sent.add(s);
                batches += s.nextSequence() < 0 ? 0 : 1;
            }
            for (String id : deleted) {
                if (!open) {
                    producer.beginTransaction();
                    open = true;
                }
                producer.send(new ProducerRecord<>(state, id, null));
            }
            if (open) producer.commitTransaction();
        } catch (RuntimeException e) { // KafkaException, or IllegalStateException from a producer in a bad state
            abort(e, sent);
            return;
        }
        tombstones.removeAll(deleted);
        commits.incrementAndGet();
        published.addAndGet(batches);
        for (Sent s : sent) {
            for (SentState p : s.states()) committed.committed(s.sessionId(), p.record(), p.observationsApplied());
            if (s.tap().removed && s.tap().queue.isEmpty()) taps.remove(s.sessionId(), s.tap());
        }
        synchronized (commitLock) {
            lastCommitNanos = started;
            commitLock.notifyAll();
        }
        if (open) meters.stateCommitNanos(System.nanoTime() - started);
    }

    /** Sends what the tap holds now: frames in batches, each state after the frames before it. */
    private Sent send(String sessionId, Tap tap) {
        List<SentState> states = new ArrayList<>();
        long notice = tap.noticeSequence;
        if (notice >= 0) {
            tap.noticeSequence = -1;
            producer.send(new ProducerRecord<>(
                    signals,
                    sessionId,
                    SignalRecordCodec.encode(
                            new SignalRecord.Resumed(instanceId, notice, System.currentTimeMillis() * 1000))));
        }
        long next = -1;
        encoder.begin();
        Object o;
        while ((o = tap.poll()) != null) {
            if (o instanceof PendingState p) {
                sendBatch(sessionId);
                StateRecord r = record(p);
                states.add(new SentState(r, p.snapshot().observationsApplied()));
                producer.send(new ProducerRecord<>(state, sessionId, StateRecordCodec.encode(r)));
                continue;
            }
            SignalFrame f = (SignalFrame) o;
            if (f.resumedBy() != null) continue; // a local session emits no notices; relays carry them
            next = f.sequence() + 1;
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
            if (encoder.frames() >= MAX_BATCH_FRAMES) sendBatch(sessionId);
        }
        sendBatch(sessionId);
        return new Sent(sessionId, tap, next, states);
    }

    private void sendBatch(String sessionId) {
        if (encoder.frames() == 0) return;
        producer.send(new ProducerRecord<>(signals, sessionId, encoder.finish()));
        encoder.begin();
    }

    private StateRecord record(PendingState p) {
        SessionSnapshot s = p.snapshot();
        return new StateRecord(
                s.nextSequence(),
                s.epochs(),
                p.lastObservationOffset(),
                System.currentTimeMillis() * 1000,
                instanceId,
                s.encode());
    }

    /** The transaction failed: nothing in it is visible. Its sessions announce the gap before their next frames. */
    private void abort(RuntimeException e, List<Sent> sent) {
        aborted.incrementAndGet();
        meters.transactionAborted();
        boolean fatal = !(e instanceof KafkaException)
                || e instanceof ProducerFencedException
                || e instanceof InvalidProducerEpochException
                || e instanceof OutOfOrderSequenceException
                || e instanceof AuthorizationException;
        if (!fatal) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException again) {
                fatal = true;
            }
        }
        if (fatal) {
            producer.close(Duration.ZERO);
            producer = null;
        }
        for (Sent s : sent) {
            if (s.nextSequence() >= 0) {
                failed.incrementAndGet();
                if (s.tap().noticeSequence < 0) s.tap().noticeSequence = s.nextSequence();
            }
        }
        long n = aborted.get();
        if (n == 1 || Long.bitCount(n) == 1)
            LOG.warn(
                    "kafka: a transaction of {} sessions' frames and states aborted ({} so far){}: {}",
                    sent.size(),
                    n,
                    fatal ? "; the producer starts again" : "",
                    e.toString());
    }

    /** A producer with its transactions initialised, started again after a fatal error with a backoff. */
    private boolean ready() {
        if (producer != null) return true;
        if (System.nanoTime() < nextInitNanos) return false;
        KafkaProducer<String, byte[]> p = null;
        try {
            p = new KafkaProducer<>(clients.transactionalProducer(topicPrefix));
            p.initTransactions();
            producer = p;
            initFailures = 0;
            return true;
        } catch (KafkaException e) {
            if (p != null) p.close(Duration.ZERO);
            long backoffMs = Math.min(15_000, 1000L << Math.min(4, initFailures++));
            nextInitNanos = System.nanoTime() + backoffMs * 1_000_000;
            LOG.warn("kafka: the owner's transactional producer did not start ({}); retrying in {} ms", e, backoffMs);
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Workers.awaitStop(thread);
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }
}
