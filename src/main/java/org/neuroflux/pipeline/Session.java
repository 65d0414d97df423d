package org.neuroflux.pipeline;

import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.neuroflux.metrics.RejectReason;
import org.neuroflux.metrics.ServiceMetrics;
import org.neuroflux.model.Factor;
import org.neuroflux.signal.SignalKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A running emulation: its {@link SchemeEnsemble} on the same outcomes, its {@link SessionCounters},
 * and a multicast of {@link SignalFrame}s (one per iteration, every scheme) to its subscribers.
 *
 * <p>Time: the session computes a whole epoch when its first iteration is due, then emits that
 * epoch's Ni iterations, one per tick. In real-time pacing the ticks come from the shared
 * {@link PacingClock} (no timer of its own); a tick that finds the session still busy with the
 * previous one is skipped and counted ({@code ticksMissed}). In "max" pacing a drain loop on one
 * worker of the scheduler emits as fast as the lossless subscribers take frames. Emissions and the
 * completion never overlap (the {@code busy} flag, or the drain loop's work counter), so the sink
 * is never used concurrently.
 *
 * <p>Stalls: a lossless subscriber without room holds the next iteration back, at most
 * {@code losslessStallNanos}; then it is closed ({@link SignalSubscription#onStalled()}), counted,
 * and the session goes on (docs/architecture.md, "Backpressure").
 *
 * <p>Batched: a real-time generative session whose schemes the batched solver runs is ticked by a
 * {@link Cohort} instead of the clock, from the cohort's next trial. When a lossless subscriber
 * holds it back it leaves the cohort (the others must not wait) and ticks alone from then on, with
 * the same numbers (docs/architecture.md, "Batched sessions").
 */
public final class Session implements PacingClock.Paced {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_BATCH = 64;
    private static final long NO_ARRIVAL = Long.MIN_VALUE;
    private static final long NOT_STALLED = Long.MIN_VALUE;

    private final String id;
    private final long key;
    private final SessionSpec spec;
    private final FrameLayout layout;
    private final SchemeEnsemble schemes;
    private final FrameLayout lowerLayout; // a deep model's lower level, or null
    private final boolean deep;
    private final Scheduler scheduler;
    private final PacingClock pacer;
    private final Cohorts cohorts; // null: this session never steps in a batch
    private volatile Cohort cohort; // the cohort that ticks this session, or null when the clock does
    private final SessionClock clock;
    private final ServerStats stats;
    private final SessionCounters counters = new SessionCounters();
    private final long createdMicros;
    private final long periodNanos;
    private final long stallBudgetNanos;
    private final boolean relay;
    private final Sinks.Many<SignalFrame> sink = Sinks.many().multicast().directBestEffort();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final CopyOnWriteArrayList<SignalSubscription> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayBlockingQueue<Queued> ingest;
    private final ServiceMetrics metrics;
    private final Counter observationsReceived;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong acceptedObservations = new AtomicLong();

    private volatile SessionState state = SessionState.RUNNING;
    private volatile long lastActivityNanos;
    private volatile boolean closing;
    private volatile String closeReason = "";

    // confined to the emitting thread
    private int cursor;
    private int lowerFrames; // frames of the lower level leading the current epoch (deep models)
    private int replayIndex;
    private long sequence;
    private Scheduler.Worker worker;
    private long pendingArrival = NO_ARRIVAL; // arrival of the observation behind the epoch being emitted
    private boolean finished;
    // snapshots (cluster mode): the outcomes this trial's epochs consumed, and the client observations applied
    private final java.util.ArrayList<Observation> trialObservations = new java.util.ArrayList<>();
    private long observationsApplied;
    private volatile EpochListener epochListener;

    /** An accepted observation and when it arrived (session clock). */
    private record Queued(Observation observation, long arrivalNanos) {}

    Session(
            String id,
            long key,
            SessionSpec spec,
            Scheduler scheduler,
            PacingClock pacer,
            SessionClock clock,
            ServerStats stats,
            int ingestQueue,
            long stallBudgetNanos,
            ServiceMetrics metrics,
            boolean relay,
            Cohorts cohorts) {
        this.id = id;
        this.relay = relay;
        this.key = key;
        this.spec = spec;
        this.scheduler = scheduler;
        this.pacer = pacer;
        this.cohorts = cohorts != null && !relay && cohorts.batches(spec) ? cohorts : null;
        this.clock = clock;
        this.stats = stats;
        this.stallBudgetNanos = stallBudgetNanos;
        this.layout = new FrameLayout(spec.model(), SpectralChannels.wavelet(1 / spec.frameSeconds()));
        this.metrics = metrics;
        this.observationsReceived = metrics.observationsReceived(spec.modelName());
        this.deep = spec.model().subordinate() != null;
        this.lowerLayout = deep ? new FrameLayout(spec.model().subordinate().model(), null) : null;
        this.schemes = new SchemeEnsemble(
                spec, layout, metrics, relay ? null : metrics.sessionStarted(id), this.cohorts != null);
        this.cursor = schemes.iterations(); // the first tick computes epoch 0
        this.ingest = new ArrayBlockingQueue<>(ingestQueue);
        this.periodNanos = spec.maxPacing() ? 0 : Math.max(1, Math.round(spec.iterationMs() * 1_000_000));
        this.createdMicros = clock.wallMicros();
        this.lastActivityNanos = clock.nanos();
        if (!relay) stats.add(counters);
    }

    /** Starts producing: real-time ticks from the shared clock, or the "max" drain loop. */
    void start() {
        if (spec.maxPacing()) {
            worker = scheduler.createWorker();
            state = SessionState.PAUSED;
            wake();
        } else if (cohorts != null) {
            cohort = cohorts.join(this, periodNanos);
        } else {
            pacer.add(this, periodNanos);
        }
    }

    /** The schemes' engines (a cohort runs their epochs in its batches). */
    SchemeEnsemble schemes() {
        return schemes;
    }

    /** Whether a cohort's batch steps this session now. */
    public boolean batched() {
        return cohort != null;
    }

    public String id() {
        return id;
    }

    /** 64-bit key carried by binary frames (the id is its hexadecimal form). */
    public long key() {
        return key;
    }

    public SessionSpec spec() {
        return spec;
    }

    public FrameLayout layout() {
        return layout;
    }

    /** The lower level's layout of a deep model (its frames have level 2), or null for a single-level model. */
    public FrameLayout lowerLayout() {
        return lowerLayout;
    }

    /** Names of a deep model's lower factors (channels of level 2 name them), empty for a single-level model. */
    public List<String> lowerFactorNames() {
        if (!deep) return List.of();
        return spec.model().subordinate().model().factors().stream()
                .map(Factor::name)
                .toList();
    }

    /** The lower level's model name of a deep model, or null. */
    public String lowerModelName() {
        return deep ? String.valueOf(spec.model().subordinate().model().name()) : null;
    }

    public int iterations() {
        return schemes.iterations();
    }

    public SessionState state() {
        return state;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    public SessionCounters counters() {
        return counters;
    }

    /** Trials finished so far. */
    public long trial() {
        return schemes.trial();
    }

    /** When the session was created, microseconds since the Unix epoch. */
    public long createdMicros() {
        return createdMicros;
    }

    /** Observations waiting in the ingest queue. */
    public int ingestQueued() {
        return ingest.size();
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    // --- subscribers ---------------------------------------------------------------------------

    /** A new subscriber; its frames start with the next iteration emitted after it subscribes. */
    public SignalSubscription subscribe(SubscriberSpec subscriberSpec) {
        return new SignalSubscription(this, subscriberSpec, sink.asFlux());
    }

    void attach(SignalSubscription s) {
        if (subscribers.add(s)) metrics.subscriberAdded();
        lastActivityNanos = clock.nanos();
        if (s.lossless()) wake();
    }

    void detach(SignalSubscription s) {
        if (subscribers.remove(s)) metrics.subscriberRemoved();
        lastActivityNanos = clock.nanos();
        if (s.lossless()) wake(); // the session may have been waiting for it
    }

    void countDrop() {
        counters.framesDropped.increment();
        metrics.frameDropped();
    }

    /** Frames still buffered for a subscriber that went away. */
    void countClosedDrops(long frames) {
        metrics.framesDropped(ServiceMetrics.DROP_CLOSED, frames);
    }

    /** Asks a "max" session to run again (a lossless subscriber made room, or an observation arrived). */
    void wake() {
        if (!spec.maxPacing() || worker == null) return;
        if (wip.getAndIncrement() == 0) worker.schedule(this::drain);
    }

    // --- ingest ----------------------------------------------------------------------------------

    /** Result of offering an observation: the epoch it will drive. */
    public record Accepted(long trial, int epoch, long index) {}

    /**
     * Queues an observation of a client source without blocking. Returns the (trial, epoch) it
     * will drive, or null when the session's ingest queue is full.
     */
    public Accepted offer(Observation observation) {
        return offer(observation, clock.nanos());
    }

    /**
     * As {@link #offer(Observation)}, with the time the observation arrived ({@link #nanos()} then):
     * the ingest latency runs from it to the first frame computed from the observation.
     */
    public Accepted offer(Observation observation, long arrivalNanos) {
        lastActivityNanos = clock.nanos();
        synchronized (ingest) {
            if (!ingest.offer(new Queued(observation, arrivalNanos))) return null;
            long k = acceptedObservations.getAndIncrement();
            counters.ingestAccepted.increment();
            observationsReceived.increment();
            wake();
            int T = layout.epochs();
            return new Accepted(k / T, (int) (k % T), k);
        }
    }

    /** Counts an ingest message refused by the decoder, the rate limit or the queue. */
    public void countRejected(RejectReason reason) {
        counters.ingestRejected.increment();
        metrics.observationRejected(reason);
    }

    /** A decoder of this session's ingest messages (its model's modalities, its value mapping). */
    public ObservationDecoder observationDecoder() {
        return new ObservationDecoder(spec.model(), spec.mapping());
    }

    /** The session clock's monotonic time: stamp an observation's arrival with it. */
    public long nanos() {
        return clock.nanos();
    }

    // --- closing ---------------------------------------------------------------------------------

    // --- snapshots (cluster mode, docs/cluster.md) ------------------------------------------------

    /** Told, on the emitting thread, the session's state each time an epoch's last frame has left. */
    public interface EpochListener {
        /** Must not block: the session's next frame waits for it. */
        void epochEnded(Session session, SessionSnapshot snapshot);
    }

    /** Sets the listener of epoch boundaries; before the session starts, so that no boundary is missed. */
    public void onEpochEnded(EpochListener listener) {
        this.epochListener = listener;
    }

    /**
     * Puts a session not yet started where {@code snapshot} was taken (docs/cluster.md, "State at
     * epoch boundaries"): its next frame is {@link SessionSnapshot#nextSequence()}, computed as the
     * session that wrote the snapshot would have computed it.
     *
     * @throws SessionSnapshot.FormatException when the snapshot does not fit this session's definition
     */
    void restore(SessionSnapshot snapshot) {
        if (spec.source() == SourceType.GENERATIVE && !snapshot.observations().isEmpty())
            throw new SessionSnapshot.FormatException(
                    "observations: " + snapshot.observations().size() + ", expected none for a generative source");
        if (spec.source() != SourceType.GENERATIVE && snapshot.observations().size() != snapshot.epochsInTrial())
            throw new SessionSnapshot.FormatException(
                    "observations: " + snapshot.observations().size() + ", expected one per epoch run ("
                            + snapshot.epochsInTrial() + ")");
        schemes.restore(snapshot, spec.model());
        trialObservations.clear();
        trialObservations.addAll(snapshot.observations());
        observationsApplied = snapshot.observationsApplied();
        acceptedObservations.set(observationsApplied);
        replayIndex = snapshot.replayIndex();
        sequence = snapshot.nextSequence();
        counters.epochs = snapshot.epochs();
        lowerFrames = 0;
        cursor = schemes.iterations(); // the first tick computes the next epoch
    }

    /** Releases a session that was built but never started (its snapshot did not fit). */
    void discard() {
        closing = true;
        finish();
    }

    private SessionSnapshot snapshot() {
        return new SessionSnapshot(
                schemes.trial(),
                schemes.epochsInTrial(),
                sequence,
                counters.epochs,
                observationsApplied,
                replayIndex,
                schemes.trialStartRandoms(),
                schemes.trialStartModels(),
                null,
                trialObservations);
    }

    // --- relays (cluster mode, docs/cluster.md) ---------------------------------------------------

    /**
     * Every frame (and resumed notice) the session emits, unbuffered, on the emitting thread: the
     * cluster layer's tap that publishes an owned session's frames. Not a subscriber: it neither
     * keeps the session alive nor holds it back, and it must not block.
     */
    public Flux<SignalFrame> tap() {
        return sink.asFlux();
    }

    /** Whether this is a relay: a session run by another instance, whose frames arrive through {@link #relay}. */
    public boolean isRelay() {
        return relay;
    }

    /**
     * Hands a relay's subscribers the next frame or notice read from the cluster. One thread only
     * (the reader's), which also closes the relay.
     */
    public void relay(SignalFrame frame) {
        if (!relay) throw new IllegalStateException("session " + id + " runs here; it is not a relay");
        if (finished) return;
        sink.tryEmitNext(frame);
        if (frame.resumedBy() == null) counters.framesEmitted.increment();
    }

    /** Completes every subscriber's stream (after its buffer drains) and stops; idempotent. */
    public void close(String reason) {
        if (closing) return;
        closeReason = reason;
        closing = true;
        if (relay) { // no ticks: complete at once (called on the relay's thread)
            finish();
            return;
        }
        if (spec.maxPacing()) {
            if (wip.getAndIncrement() == 0 && worker != null) worker.schedule(this::drain);
        }
        // real-time: the next tick completes the sink on the emitting thread
    }

    public boolean closing() {
        return closing;
    }

    /** Completes when the session has stopped and completed its subscribers' streams. */
    public Mono<Void> onClose() {
        return closed.asMono();
    }

    public String closeReason() {
        return closeReason;
    }

    /** The session's own loop failed (a bug): log it, close the session, complete its subscribers. */
    private void fail(Throwable error) {
        LOG.error("session {} stopped by an internal error", id, error);
        closeReason = "internal error: " + error;
        closing = true;
        finish();
    }

    private void finish() {
        if (finished) return;
        finished = true;
        state = SessionState.CLOSED;
        Cohort c = cohort;
        if (c != null) {
            cohort = null;
            c.leave(this);
        } else if (!spec.maxPacing() && !relay) pacer.remove(this, periodNanos);
        sink.tryEmitComplete();
        closed.tryEmitEmpty();
        if (worker != null) worker.dispose();
        schemes.release(metrics);
        if (relay) return;
        metrics.sessionEnded(id);
        stats.retire(counters);
    }

    // --- emission --------------------------------------------------------------------------------

    @Override
    public void missed() {
        counters.ticksMissed.increment();
    }

    /** A tick of the shared clock (real-time pacing). */
    @Override
    public void tick(long dueNanos) {
        if (!busy.compareAndSet(false, true)) {
            counters.ticksMissed.increment();
            return;
        }
        try {
            if (closing) {
                finish();
                return;
            }
            long lagMicros = (clock.nanos() - dueNanos) / 1000;
            counters.lag(lagMicros);
            stats.recordLag(lagMicros);
            step();
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            busy.set(false);
        }
    }

    private void drain() {
        int missed = 1;
        for (; ; ) {
            if (closing) {
                finish();
                return;
            }
            int emitted = 0;
            boolean progress = true;
            try {
                while (emitted < MAX_BATCH) {
                    if (!anyLossless()) {
                        if (state == SessionState.RUNNING) state = SessionState.PAUSED;
                        progress = false;
                        break;
                    }
                    if (!step()) {
                        progress = false;
                        break;
                    }
                    emitted++;
                }
            } catch (RuntimeException | Error e) {
                fail(e);
                return;
            }
            if (progress) {
                // a full batch: yield the thread to other sessions, keep our claim on the loop
                worker.schedule(this::drain);
                return;
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) return;
        }
    }

    private boolean anyLossless() {
        for (SignalSubscription s : subscribers) if (s.lossless()) return true;
        return false;
    }

    /** Emits the next iteration if it can: returns false when waiting for an observation or held by a lossless subscriber. */
    private boolean step() {
        if (cursor >= lowerFrames + schemes.iterations()) {
            if (!computeEpoch()) return false;
            cursor = 0;
            lowerFrames = schemes.lowerFrames();
        }
        if (heldByLossless()) {
            if (cohort != null) tickAlone();
            return false;
        }
        state = SessionState.RUNNING;
        SignalFrame frame;
        if (!deep) {
            frame = new SignalFrame(
                    sequence,
                    schemes.trial(),
                    schemes.currentEpoch(),
                    cursor,
                    sequence * spec.frameSeconds(),
                    clock.wallMicros(),
                    schemes.rows(cursor));
        } else if (cursor < lowerFrames) { // the lower trial nests first in the epoch it serves
            int ni = schemes.iterations();
            frame = new SignalFrame(
                    sequence,
                    schemes.trial(),
                    cursor / ni,
                    cursor % ni,
                    sequence * spec.frameSeconds(),
                    clock.wallMicros(),
                    schemes.lowerRows(cursor),
                    2);
        } else {
            frame = new SignalFrame(
                    sequence,
                    schemes.trial(),
                    schemes.currentEpoch(),
                    cursor - lowerFrames,
                    sequence * spec.frameSeconds(),
                    clock.wallMicros(),
                    schemes.rows(cursor - lowerFrames),
                    1);
        }
        sink.tryEmitNext(frame); // FAIL_ZERO_SUBSCRIBER is fine: nobody listens
        if (pendingArrival != NO_ARRIVAL) {
            metrics.ingestLatencyNanos(clock.nanos() - pendingArrival);
            pendingArrival = NO_ARRIVAL;
        }
        counters.framesEmitted.increment();
        cursor++;
        sequence++;
        EpochListener listener = epochListener;
        if (listener != null && cursor == lowerFrames + schemes.iterations()) listener.epochEnded(this, snapshot());
        return true;
    }

    /**
     * Leaves the cohort, which must not wait for this session, and ticks alone from the clock's next
     * tick: the schemes replay the trial so far on solvers of their own (the same numbers).
     */
    private void tickAlone() {
        Cohort c = cohort;
        cohort = null;
        c.leave(this);
        schemes.leaveBatch();
        pacer.add(this, periodNanos);
    }

    /**
     * Whether a lossless subscriber without room holds this iteration back. One that has held it
     * longer than the stall budget is closed instead, and no longer holds anything.
     */
    private boolean heldByLossless() {
        boolean held = false;
        for (SignalSubscription s : subscribers) {
            if (!s.lossless()) continue;
            if (s.hasRoom()) {
                s.stalledSinceNanos = NOT_STALLED;
                continue;
            }
            long now = clock.nanos();
            if (s.stalledSinceNanos == NOT_STALLED) {
                s.stalledSinceNanos = now;
                // a "max" session has no tick to look again: come back when the budget is spent
                if (worker != null) worker.schedule(this::wake, stallBudgetNanos + 1_000_000, TimeUnit.NANOSECONDS);
            }
            if (now - s.stalledSinceNanos >= stallBudgetNanos) {
                s.closeStalled();
                counters.subscribersStalled.increment();
                metrics.subscriberStalled();
                LOG.info(
                        "session {}: closed a lossless subscriber that held the session for {} ms",
                        id,
                        (now - s.stalledSinceNanos) / 1_000_000);
                continue;
            }
            held = true;
        }
        if (held) counters.ticksStalled++;
        return held;
    }

    /** Runs the next epoch of every scheme on the same outcome; false when a client/replay source has none yet. */
    private boolean computeEpoch() {
        Observation observation = null;
        if (spec.source() == SourceType.CLIENT) {
            Queued queued = ingest.poll();
            if (queued == null) {
                counters.ticksWaiting++;
                state = SessionState.WAITING;
                return false;
            }
            observation = queued.observation();
            pendingArrival = queued.arrivalNanos();
        } else if (spec.source() == SourceType.REPLAY) {
            if (replayIndex >= spec.replay().size()) {
                if (!spec.loopReplay() || spec.replay().isEmpty()) {
                    state = SessionState.COMPLETED;
                    return false;
                }
                replayIndex = 0;
            }
            observation = spec.replay().get(replayIndex++);
        }
        boolean newTrial = schemes.epochsInTrial() == layout.epochs();
        schemes.runEpoch(observation, wantsSpectral());
        counters.epochs++;
        if (spec.source() == SourceType.CLIENT) observationsApplied++;
        if (epochListener != null && observation != null) { // the outcomes a snapshot re-runs this trial on
            if (newTrial) trialObservations.clear();
            trialObservations.add(observation);
        }
        return true;
    }

    /** Whether a subscriber asks for tf, theta or phase (their sums are computed only then). */
    private boolean wantsSpectral() {
        for (SignalSubscription s : subscribers) {
            for (SignalKind k : s.spec().kinds()) {
                if (k == SignalKind.TF || k == SignalKind.THETA || k == SignalKind.PHASE) return true;
            }
        }
        return false;
    }

    /** The session's frames multicast, for tests; subscribers normally go through {@link #subscribe}. */
    Flux<SignalFrame> rawFrames() {
        return sink.asFlux();
    }

    public long framesEmitted() {
        return counters.framesEmitted();
    }

    public long framesDropped() {
        return counters.framesDropped();
    }
}
