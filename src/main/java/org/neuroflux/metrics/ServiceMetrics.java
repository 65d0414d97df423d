package org.neuroflux.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service-wide meters (sessions, subscribers, drops, observations, pacing lag, ingest latency)
 * and the factory of per-scheme meter sets ({@link #scheme}). Meters are resolved here once;
 * callers only record. Tags stay bounded: reasons come from the fixed lists below, models and
 * schemes from the catalog, and a session tag only when {@link MetricsSettings#perSessionTags()}
 * is on, for at most {@link MetricsSettings#maxSessionTags()} sessions at a time (the others share
 * {@code session="other"}). Thread-safe.
 */
public final class ServiceMetrics {
    /** Reasons a frame is dropped. */
    public static final String DROP_BUFFER_FULL = "buffer-full";

    public static final String DROP_CLOSED = "closed";
    /** Reasons an observation is refused (ingest decoder, rate limit, session). */
    public static final List<String> REJECT_REASONS = java.util.Arrays.stream(RejectReason.values())
            .map(RejectReason::tag)
            .toList();
    /** The session tag of sessions beyond the cap. */
    public static final String OTHER_SESSIONS = "other";

    private final MeterRegistry registry;
    private final MetricsSettings settings;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final ConcurrentMap<String, Counter> dropped = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> received = new ConcurrentHashMap<>();
    private final Set<String> taggedSessions = ConcurrentHashMap.newKeySet();
    private final Counter droppedBufferFull;
    private final Counter stalledClosed;
    private final Timer pacingLag;
    private final Timer ingestLatency;
    private final ClusterMetrics cluster;

    public ServiceMetrics(MeterRegistry registry, MetricsSettings settings) {
        this.registry = registry;
        this.settings = settings;
        Gauge.builder(NeurofluxMeters.SESSIONS_ACTIVE.meterName(), sessions, AtomicInteger::get)
                .description(NeurofluxMeters.SESSIONS_ACTIVE.description())
                .register(registry);
        Gauge.builder(NeurofluxMeters.SUBSCRIBERS.meterName(), subscribers, AtomicInteger::get)
                .description(NeurofluxMeters.SUBSCRIBERS.description())
                .register(registry);
        pacingLag = Timer.builder(NeurofluxMeters.PACING_LAG.meterName())
                .description(NeurofluxMeters.PACING_LAG.description())
                .publishPercentileHistogram()
                .register(registry);
        ingestLatency = Timer.builder(NeurofluxMeters.INGEST_LATENCY.meterName())
                .description(NeurofluxMeters.INGEST_LATENCY.description())
                .publishPercentileHistogram()
                .register(registry);
        // the reason-tagged counters exist from the start, so dashboards have series at zero
        droppedBufferFull = droppedCounter(DROP_BUFFER_FULL);
        stalledClosed = Counter.builder(NeurofluxMeters.SUBSCRIBERS_STALLED.meterName())
                .description(NeurofluxMeters.SUBSCRIBERS_STALLED.description())
                .register(registry);
        droppedCounter(DROP_CLOSED);
        for (String reason : REJECT_REASONS) rejectedCounter(reason);
        cluster = new ClusterMetrics(registry);
    }

    /** The cluster's meters: at 0 unless cluster mode kafka runs them. */
    public ClusterMetrics cluster() {
        return cluster;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public MetricsSettings settings() {
        return settings;
    }

    /**
     * A session starts: counts it and returns its session tag value, or null when per-session
     * tags are off. Pair with {@link #sessionEnded}.
     */
    public String sessionStarted(String sessionId) {
        sessions.incrementAndGet();
        if (!settings.perSessionTags()) return null;
        synchronized (taggedSessions) {
            if (taggedSessions.size() >= settings.maxSessionTags()) return OTHER_SESSIONS;
            taggedSessions.add(sessionId);
            return sessionId;
        }
    }

    /** A session ended: frees its session tag, if it had one. */
    public void sessionEnded(String sessionId) {
        sessions.decrementAndGet();
        if (!settings.perSessionTags()) return;
        synchronized (taggedSessions) {
            taggedSessions.remove(sessionId);
        }
    }

    /**
     * Meters of one scheme of one session, resolved now.
     *
     * @param sessionTag what {@link #sessionStarted} returned (null: no session tag)
     */
    public SchemeMetrics scheme(String model, String scheme, List<String> factors, String sessionTag) {
        Tags tags = Tags.of("scheme", scheme, "model", model);
        if (sessionTag != null) tags = tags.and("session", sessionTag);
        return new SchemeMetrics(registry, tags, factors, sessionTag != null && !sessionTag.equals(OTHER_SESSIONS));
    }

    /** Removes the meters a session owned alone (per-session tags); shared meters stay. */
    public void release(SchemeMetrics metrics) {
        metrics.close();
    }

    /** The counter of observations accepted for a model, resolved once per session. */
    public Counter observationsReceived(String model) {
        Counter c = received.get(model);
        if (c != null) return c;
        return received.computeIfAbsent(
                model,
                m -> Counter.builder(NeurofluxMeters.OBSERVATIONS_RECEIVED.meterName())
                        .description(NeurofluxMeters.OBSERVATIONS_RECEIVED.description())
                        .tag("model", m)
                        .register(registry));
    }

    public void subscriberAdded() {
        subscribers.incrementAndGet();
    }

    public void subscriberRemoved() {
        subscribers.decrementAndGet();
    }

    /** One frame lost to a full drop-oldest buffer. */
    public void frameDropped() {
        droppedBufferFull.increment();
    }

    public void framesDropped(String reason, long count) {
        if (count > 0) droppedCounter(reason).increment(count);
    }

    /** An observation refused. */
    public void observationRejected(RejectReason reason) {
        rejectedCounter(reason.tag()).increment();
    }

    /** A lossless subscriber closed for holding its session back longer than the stall budget. */
    public void subscriberStalled() {
        stalledClosed.increment();
    }

    public void pacingLagNanos(long lag) {
        pacingLag.record(Math.max(0, lag), TimeUnit.NANOSECONDS);
    }

    public void ingestLatencyNanos(long latency) {
        ingestLatency.record(Math.max(0, latency), TimeUnit.NANOSECONDS);
    }

    private Counter droppedCounter(String reason) {
        Counter c = dropped.get(reason);
        if (c != null) return c;
        return dropped.computeIfAbsent(
                reason,
                r -> Counter.builder(NeurofluxMeters.FRAMES_DROPPED.meterName())
                        .description(NeurofluxMeters.FRAMES_DROPPED.description())
                        .tag("reason", r)
                        .register(registry));
    }

    private Counter rejectedCounter(String reason) {
        Counter c = rejected.get(reason);
        if (c != null) return c;
        return rejected.computeIfAbsent(
                reason,
                r -> Counter.builder(NeurofluxMeters.OBSERVATIONS_REJECTED.meterName())
                        .description(NeurofluxMeters.OBSERVATIONS_REJECTED.description())
                        .tag("reason", r)
                        .register(registry));
    }
}
