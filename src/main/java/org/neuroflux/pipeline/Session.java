package org.neuroflux.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import io.micrometer.core.instrument.Counter;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.metrics.ServiceMetrics;
import org.neuroflux.random.SplitMixSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A running emulation: one {@link SchemeEngine} per scheme on the same outcomes, trials run back
 * to back (learned counts carried), and a multicast of {@link SignalFrame}s to its subscribers.
 *
 * <p>Time: the session computes a whole epoch when its first iteration is due, then emits that
 * epoch's Ni iterations, one per tick; each iteration yields one frame per scheme. In real-time
 * pacing a tick comes every {@code iterationMs} from {@code Flux.interval} on the injected
 * scheduler (with an explicit drop overflow, counted as missed ticks); the lag of each tick behind
 * its ideal time {@code start + n * iterationMs} is measured. In "max" pacing a drain loop on one
 * worker of the scheduler emits as fast as the lossless subscribers take frames. All emissions,
 * and the completion, happen on that single thread of control, so the sink is never used
 * concurrently.
 *
 * <p>Model time of iteration n (counted over all trials) is n / 64 s, SPM's display convention; in
 * a continuous session each frame is one sample of the flow and frame n is at n / sampleRateHz
 * ({@link ContinuousSampling}).
 */
public final class Session {
    private static final int MAX_BATCH = 64;
    private static final long NO_ARRIVAL = Long.MIN_VALUE;

    private final String id;
    private final long key;
    private final SessionSpec spec;
    private final FrameLayout layout;
    private final SchemeEngine[] engines;
    private final SplitMixSource[] randoms;
    private final Scheduler scheduler;
    private final SessionClock clock;
    private final ServerStats stats;
    private final long createdMicros;
    private final Sinks.Many<SignalFrame> sink = Sinks.many().multicast().directBestEffort();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final CopyOnWriteArrayList<SignalSubscription> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayBlockingQueue<Queued> ingest;
    private final ServiceMetrics metrics;
    private final Counter observationsReceived;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong acceptedObservations = new AtomicLong();
    private final int[] trueStates;

    // counters (read from any thread)
    private final LongAdder framesEmitted = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();
    private final LongAdder ingestRejected = new LongAdder();
    private final AtomicLong ticksMissed = new AtomicLong();
    private volatile long epochsRun;
    private volatile long trial;
    private volatile long stalledTicks;
    private volatile long waitingTicks;
    private volatile long lagLastMicros;
    private volatile long lagMaxMicros;
    private volatile double lagSumMicros;
    private volatile long lagCount;
    private volatile SessionState state = SessionState.RUNNING;
    private volatile long lastActivityNanos;
    private volatile boolean closing;
    private volatile String closeReason = "";

    // confined to the emitting thread
    private int cursor;
    private int replayIndex;
    private long sequence;
    private long startNanos;
    private Disposable ticker;
    private Scheduler.Worker worker;
    private long pendingArrival = NO_ARRIVAL; // arrival of the observation behind the epoch being emitted
    private boolean metersReleased;

    /** An accepted observation and when it arrived (session clock). */
    private record Queued(Observation observation, long arrivalNanos) {}

    Session(String id, long key, SessionSpec spec, Scheduler scheduler, SessionClock clock, ServerStats stats, int ingestQueue,
            ServiceMetrics metrics) {
        this.id = id;
        this.key = key;
        this.spec = spec;
        this.scheduler = scheduler;
        this.clock = clock;
        this.stats = stats;
        this.layout = new FrameLayout(spec.model(), SpectralChannels.wavelet(1 / spec.frameSeconds()));
        this.engines = new SchemeEngine[spec.schemes().size()];
        this.randoms = new SplitMixSource[engines.length];
        this.metrics = metrics;
        this.observationsReceived = metrics.observationsReceived(spec.modelName());
        String sessionTag = metrics.sessionStarted(id);
        List<String> factors = new ArrayList<>();
        spec.model().factors().forEach(f -> factors.add(f.name()));
        for (int e = 0; e < engines.length; e++) {
            SolverOptions options = spec.options().withScheme(spec.schemes().get(e));
            engines[e] = new SchemeEngine(spec.model(), options, layout,
                    metrics.scheme(spec.modelName(), spec.schemes().get(e).label(), factors, sessionTag), spec.framesPerIteration());
            // scheme 0 also samples the generative process; the others only draw their own actions
            randoms[e] = new SplitMixSource(spec.seed() + e * 0x632BE59BD9B4E019L);
            engines[e].startTrial(randoms[e]);
        }
        this.cursor = engines[0].iterations(); // the first tick computes epoch 0
        this.trueStates = new int[spec.model().factorCount()];
        this.ingest = new ArrayBlockingQueue<>(ingestQueue);
        this.createdMicros = clock.wallMicros();
        this.lastActivityNanos = clock.nanos();
    }

    /** Starts producing: real-time ticks, or the "max" drain loop. */
    void start() {
        startNanos = clock.nanos();
        if (spec.maxPacing()) {
            worker = scheduler.createWorker();
            state = SessionState.PAUSED;
            wake();
        } else {
            long periodNanos = Math.round(spec.iterationMs() * 1_000_000);
            ticker = Flux.interval(Duration.ofNanos(periodNanos), Duration.ofNanos(periodNanos), scheduler)
                    .onBackpressureDrop(tick -> ticksMissed.incrementAndGet())
                    .subscribe(tick -> tick(tick, periodNanos), this::fail);
        }
    }

    public String id() { return id; }

    /** 64-bit key carried by binary frames (the id is its hexadecimal form). */
    public long key() { return key; }

    public SessionSpec spec() { return spec; }

    public FrameLayout layout() { return layout; }

    public int iterations() { return engines[0].iterations(); }

    public SessionState state() { return state; }

    public int subscriberCount() { return subscribers.size(); }

    long lastActivityNanos() { return lastActivityNanos; }

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
    }

    void countDrop() {
        framesDropped.increment();
        stats.framesDropped.increment();
        metrics.frameDropped();
    }

    /** Frames still buffered for a subscriber that went away. */
    void countClosedDrops(long frames) { metrics.framesDropped(ServiceMetrics.DROP_CLOSED, frames); }

    /** Asks a "max" session to run again (a lossless subscriber made room, or an observation arrived). */
    void wake() {
        if (!spec.maxPacing() || worker == null) return;
        if (wip.getAndIncrement() == 0) worker.schedule(this::drain);
    }

    // --- ingest ----------------------------------------------------------------------------------

    /** Result of offering an observation: the epoch it will drive, or why it was refused. */
    public record Accepted(long trial, int epoch, long index) {}

    /**
     * Queues an observation of a client source without blocking. Returns the (trial, epoch) it
     * will drive, or null when the session's ingest queue is full.
     */
    public Accepted offer(Observation observation) { return offer(observation, clock.nanos()); }

    /**
     * As {@link #offer(Observation)}, with the time the observation arrived ({@link #nanos()} then):
     * the ingest latency runs from it to the first frame computed from the observation.
     */
    public Accepted offer(Observation observation, long arrivalNanos) {
        lastActivityNanos = clock.nanos();
        synchronized (ingest) {
            if (!ingest.offer(new Queued(observation, arrivalNanos))) return null;
            long k = acceptedObservations.getAndIncrement();
            stats.ingestAccepted.increment();
            observationsReceived.increment();
            wake();
            int T = layout.epochs();
            return new Accepted(k / T, (int) (k % T), k);
        }
    }

    /** Counts an ingest message rejected by the decoder, the rate limit or the queue, by reason ({@link ServiceMetrics#REJECT_REASONS}). */
    public void countRejected(String reason) {
        ingestRejected.increment();
        stats.ingestRejected.increment();
        metrics.observationRejected(reason);
    }

    /** The session clock's monotonic time: stamp an observation's arrival with it. */
    public long nanos() { return clock.nanos(); }

    // --- closing ---------------------------------------------------------------------------------

    /** Completes every subscriber's stream (after its buffer drains) and stops; idempotent. */
    public void close(String reason) {
        if (closing) return;
        closeReason = reason;
        closing = true;
        if (spec.maxPacing()) {
            if (wip.getAndIncrement() == 0 && worker != null) worker.schedule(this::drain);
        }
        // real-time: the next tick completes the sink on the emitting thread
    }

    public boolean closing() { return closing; }

    /** Completes when the session has stopped and completed its subscribers' streams. */
    public reactor.core.publisher.Mono<Void> onClose() { return closed.asMono(); }

    public String closeReason() { return closeReason; }

    /** The session's own loop failed (a bug): log it, close the session, complete its subscribers. */
    private void fail(Throwable error) {
        org.slf4j.LoggerFactory.getLogger(Session.class).error("session {} stopped by an internal error", id, error);
        closeReason = "internal error: " + error;
        closing = true;
        finish();
    }

    private void finish() {
        state = SessionState.CLOSED;
        if (ticker != null) ticker.dispose();
        sink.tryEmitComplete();
        closed.tryEmitEmpty();
        if (worker != null) worker.dispose();
        releaseMeters();
    }

    private void releaseMeters() {
        if (metersReleased) return;
        metersReleased = true;
        for (SchemeEngine engine : engines) metrics.release(engine.metrics());
        metrics.sessionEnded(id);
    }

    // --- emission --------------------------------------------------------------------------------

    private void tick(long n, long periodNanos) {
        if (closing) {
            if (state != SessionState.CLOSED) finish();
            return;
        }
        long lagNanos = clock.nanos() - (startNanos + (n + 1) * periodNanos);
        long lagMicros = lagNanos / 1000;
        metrics.pacingLagNanos(lagNanos);
        lagLastMicros = lagMicros;
        if (lagMicros > lagMaxMicros) lagMaxMicros = lagMicros;
        lagSumMicros += lagMicros;
        lagCount++;
        stats.recordLag(lagMicros);
        step();
    }

    private void drain() {
        int missed = 1;
        for (;;) {
            if (closing) {
                if (state != SessionState.CLOSED) finish();
                return;
            }
            int emitted = 0;
            boolean progress = true;
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

    /** Emits the next iteration if it can: returns false when waiting for an observation or a lossless subscriber. */
    private boolean step() {
        int ni = engines[0].iterations();
        if (cursor >= ni) {
            if (!computeEpoch()) return false;
            cursor = 0;
        }
        for (SignalSubscription s : subscribers) {
            if (s.lossless() && !s.hasRoom(engines.length)) {
                stalledTicks++;
                return false;
            }
        }
        state = SessionState.RUNNING;
        long wall = clock.wallMicros();
        int t = engines[0].nextEpoch() - 1;
        double modelTime = sequence * spec.frameSeconds();
        for (int e = 0; e < engines.length; e++) {
            SignalFrame frame = new SignalFrame(e, sequence, trial, t, cursor, modelTime, wall, engines[e].row(cursor));
            sink.tryEmitNext(frame); // FAIL_ZERO_SUBSCRIBER is fine: nobody listens
            engines[e].metrics().framesEmitted(1);
        }
        if (pendingArrival != NO_ARRIVAL) {
            metrics.ingestLatencyNanos(clock.nanos() - pendingArrival);
            pendingArrival = NO_ARRIVAL;
        }
        framesEmitted.add(engines.length);
        stats.framesEmitted.add(engines.length);
        cursor++;
        sequence++;
        return true;
    }

    /** Runs the next epoch of every scheme on the same outcome; false when a client/replay source has none yet. */
    private boolean computeEpoch() {
        Observation observation = null;
        if (spec.source() == SourceType.CLIENT) {
            Queued queued = ingest.poll();
            if (queued == null) {
                waitingTicks++;
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
        boolean spectral = wantsSpectral();
        for (SchemeEngine engine : engines) engine.computeSpectral(spectral);
        if (!engines[0].hasNextEpoch()) {
            for (int e = 0; e < engines.length; e++) {
                engines[e].finishTrial();
                engines[e].startTrial(randoms[e]);
            }
            trial++;
        }
        if (observation == null) {
            // generative: scheme 0 samples the world once; every other scheme sees that same outcome
            SchemeEngine first = engines[0];
            int t = first.nextEpoch();
            first.solve();
            for (int f = 0; f < trueStates.length; f++) trueStates[f] = first.solver().state(f, t);
            first.fillAfterEpoch(trueStates);
            for (int e = 1; e < engines.length; e++) {
                for (int g = 0; g < layout.modalityCount(); g++) engines[e].solver().supplyOutcome(g, first.solver().outcome(g, t));
                engines[e].runEpoch(trueStates);
            }
        } else {
            for (SchemeEngine engine : engines) {
                observation.supplyTo(engine.solver());
                engine.runEpoch(null);
            }
        }
        epochsRun++;
        return true;
    }

    /** Whether a subscriber asks for tf, theta or phase (their sums are computed only then). */
    private boolean wantsSpectral() {
        for (SignalSubscription s : subscribers) {
            for (ChannelKind k : s.spec().kinds()) {
                if (k == ChannelKind.TF || k == ChannelKind.THETA || k == ChannelKind.PHASE) return true;
            }
        }
        return false;
    }

    /** The session's frames multicast, for tests; subscribers normally go through {@link #subscribe}. */
    Flux<SignalFrame> rawFrames() { return sink.asFlux(); }

    // --- description -----------------------------------------------------------------------------

    /** State and counters, as served by GET /api/sessions/{id}. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", state.label());
        m.put("model", spec.modelName());
        List<String> schemes = new ArrayList<>();
        spec.schemes().forEach(s -> schemes.add(s.label()));
        m.put("schemes", schemes);
        m.put("source", spec.source().label());
        m.put("pacing", spec.maxPacing() ? Map.of("iterationMs", "max") : Map.of("iterationMs", spec.iterationMs()));
        m.put("seed", spec.seed());
        m.put("iterationsPerEpoch", iterations());
        if (spec.continuous() != null) m.put("continuous", spec.continuous().describe());
        m.put("epochsPerTrial", layout.epochs());
        m.put("createdMicros", createdMicros);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("trials", trial);
        c.put("epochs", epochsRun);
        c.put("framesEmitted", framesEmitted.sum());
        c.put("framesDropped", framesDropped.sum());
        c.put("subscribers", subscribers.size());
        c.put("ingestAccepted", acceptedObservations.get());
        c.put("ingestRejected", ingestRejected.sum());
        c.put("ingestQueued", ingest.size());
        c.put("ticksMissed", ticksMissed.get());
        c.put("ticksStalled", stalledTicks);
        c.put("ticksWaiting", waitingTicks);
        long count = lagCount;
        c.put("lagMicros", Map.of("last", lagLastMicros, "max", lagMaxMicros, "mean", count == 0 ? 0 : Math.round(lagSumMicros / count)));
        m.put("counters", c);
        return m;
    }

    public long framesEmitted() { return framesEmitted.sum(); }

    public long framesDropped() { return framesDropped.sum(); }
}
