package org.neuroflux.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service-wide meters (sessions, subscribers, drops, observations, pacing, ingest latency) and
 * the factory of per-scheme meter sets. Meters are resolved here once; callers only record.
 * Thread-safe.
 */
public final class ServiceMetrics {
    private final MeterRegistry registry;
    private final MetricsSettings settings;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final ConcurrentMap<String, Counter> dropped = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> received = new ConcurrentHashMap<>();
    private final Timer pacingLag;
    private final Timer ingestLatency;
    private final AtomicInteger sessionTagsUsed = new AtomicInteger();

    public ServiceMetrics(MeterRegistry registry, MetricsSettings settings) {
        this.registry = registry;
        this.settings = settings;
        Gauge.builder(NeurofluxMeters.SESSIONS_ACTIVE.meterName(), sessions, AtomicInteger::get)
                .description(NeurofluxMeters.SESSIONS_ACTIVE.description()).register(registry);
        Gauge.builder(NeurofluxMeters.SUBSCRIBERS.meterName(), subscribers, AtomicInteger::get)
                .description(NeurofluxMeters.SUBSCRIBERS.description()).register(registry);
        pacingLag = Timer.builder(NeurofluxMeters.PACING_LAG.meterName()).description(NeurofluxMeters.PACING_LAG.description())
                .publishPercentileHistogram().register(registry);
        ingestLatency = Timer.builder(NeurofluxMeters.INGEST_LATENCY.meterName()).description(NeurofluxMeters.INGEST_LATENCY.description())
                .publishPercentileHistogram().register(registry);
        // make the reason-tagged counters visible from the start, so dashboards have series at zero
        for (String reason : List.of("buffer-full", "closed")) droppedCounter(reason);
        for (String reason : List.of("malformed", "shape", "range", "not-finite", "too-large", "rate-limit")) rejectedCounter(reason);
    }

    public MeterRegistry registry() { return registry; }

    /** Meters of one scheme of one session, resolved now. */
    public SchemeMetrics scheme(String model, String scheme, List<String> factors, String session) {
        Tags tags = Tags.of("scheme", scheme, "model", model);
        if (settings.perSessionTags() && sessionTagsUsed.incrementAndGet() <= settings.maxSessionTags()) tags = tags.and("session", session);
        received.computeIfAbsent(model, m -> Counter.builder(NeurofluxMeters.OBSERVATIONS_RECEIVED.meterName())
                .description(NeurofluxMeters.OBSERVATIONS_RECEIVED.description()).tag("model", m).register(registry));
        return new SchemeMetrics(registry, tags, factors);
    }

    public void sessionStarted() { sessions.incrementAndGet(); }

    public void sessionEnded() { sessions.decrementAndGet(); }

    public void subscriberAdded() { subscribers.incrementAndGet(); }

    public void subscriberRemoved() { subscribers.decrementAndGet(); }

    public void framesDropped(String reason, long count) { droppedCounter(reason).increment(count); }

    public void observationReceived(String model) {
        received.computeIfAbsent(model, m -> Counter.builder(NeurofluxMeters.OBSERVATIONS_RECEIVED.meterName())
                .description(NeurofluxMeters.OBSERVATIONS_RECEIVED.description()).tag("model", m).register(registry)).increment();
    }

    public void observationRejected(String reason) { rejectedCounter(reason).increment(); }

    public void pacingLag(Duration lag) { pacingLag.record(lag.isNegative() ? Duration.ZERO : lag); }

    public void ingestLatency(long nanos) { ingestLatency.record(Duration.ofNanos(Math.max(0, nanos))); }

    private Counter droppedCounter(String reason) {
        return dropped.computeIfAbsent(reason, r -> Counter.builder(NeurofluxMeters.FRAMES_DROPPED.meterName())
                .description(NeurofluxMeters.FRAMES_DROPPED.description()).tag("reason", r).register(registry));
    }

    private Counter rejectedCounter(String reason) {
        return rejected.computeIfAbsent(reason, r -> Counter.builder(NeurofluxMeters.OBSERVATIONS_REJECTED.meterName())
                .description(NeurofluxMeters.OBSERVATIONS_REJECTED.description()).tag("reason", r).register(registry));
    }
}
