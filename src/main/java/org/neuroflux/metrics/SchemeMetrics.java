package org.neuroflux.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one scheme of one session, resolved once when the session starts ({@link
 * ServiceMetrics#scheme}); recording allocates nothing. Sessions of the same model and scheme
 * share the same meters unless per-session tags are on. Used from the session's own thread.
 */
public final class SchemeMetrics {
    private static final double[] EFFICIENCY_BUCKETS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};
    private static final double[] LENGTH_BUCKETS = {0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10};

    private final MeterRegistry registry;
    private final Clock clock;
    private final boolean ownMeters;
    private final Counter[] informationLength;
    private final Counter[] informationLengthWholePath;
    private final DistributionSummary epochLength;
    private final DistributionSummary efficiency;
    private final DistributionSummary trialScore;
    private final DistributionSummary trialScoreWholePath;
    private final SignedSummary freeEnergy;
    private final SignedSummary expectedFreeEnergy;
    private final DistributionSummary precision;
    private final SignedSummary dopamine;
    private final Counter framesEmitted;
    private final Timer beliefUpdate;

    /**
     * @param tags      scheme and model (and session when per-session tags are on)
     * @param factors   factor names, in the model's order (the factor tag of the information length)
     * @param ownMeters the tags name this session alone: {@link #close()} removes the meters
     */
    SchemeMetrics(MeterRegistry registry, Tags tags, List<String> factors, boolean ownMeters) {
        this.registry = registry;
        this.clock = registry.config().clock();
        this.ownMeters = ownMeters;
        informationLength = new Counter[factors.size()];
        for (int f = 0; f < factors.size(); f++) {
            informationLength[f] = Counter.builder(NeurofluxMeters.INFORMATION_LENGTH.meterName())
                    .description(NeurofluxMeters.INFORMATION_LENGTH.description())
                    .tags(tags)
                    .tag("factor", factors.get(f))
                    .register(registry);
        }
        informationLengthWholePath = new Counter[factors.size()];
        for (int f = 0; f < factors.size(); f++) {
            informationLengthWholePath[f] = Counter.builder(NeurofluxMeters.INFORMATION_LENGTH_WHOLE_PATH.meterName())
                    .description(NeurofluxMeters.INFORMATION_LENGTH_WHOLE_PATH.description())
                    .tags(tags)
                    .tag("factor", factors.get(f))
                    .register(registry);
        }
        epochLength = DistributionSummary.builder(NeurofluxMeters.EPOCH_INFORMATION_LENGTH.meterName())
                .description(NeurofluxMeters.EPOCH_INFORMATION_LENGTH.description())
                .tags(tags)
                .serviceLevelObjectives(LENGTH_BUCKETS)
                .register(registry);
        efficiency = DistributionSummary.builder(NeurofluxMeters.EPOCH_EFFICIENCY.meterName())
                .description(NeurofluxMeters.EPOCH_EFFICIENCY.description())
                .tags(tags)
                .serviceLevelObjectives(EFFICIENCY_BUCKETS)
                .register(registry);
        trialScore = summary(registry, NeurofluxMeters.TRIAL_SCORE, tags);
        trialScoreWholePath = summary(registry, NeurofluxMeters.TRIAL_SCORE_WHOLE_PATH, tags);
        freeEnergy = new SignedSummary(registry, NeurofluxMeters.FREE_ENERGY, tags);
        expectedFreeEnergy = new SignedSummary(registry, NeurofluxMeters.EXPECTED_FREE_ENERGY, tags);
        precision = summary(registry, NeurofluxMeters.PRECISION, tags);
        dopamine = new SignedSummary(registry, NeurofluxMeters.DOPAMINE, tags);
        framesEmitted = Counter.builder(NeurofluxMeters.FRAMES_EMITTED.meterName())
                .description(NeurofluxMeters.FRAMES_EMITTED.description())
                .tags(tags)
                .register(registry);
        beliefUpdate = Timer.builder(NeurofluxMeters.BELIEF_UPDATE.meterName())
                .description(NeurofluxMeters.BELIEF_UPDATE.description())
                .tags(tags)
                .publishPercentileHistogram()
                .register(registry);
    }

    private static DistributionSummary summary(MeterRegistry registry, NeurofluxMeters meter, Tags tags) {
        DistributionSummary.Builder b = DistributionSummary.builder(meter.meterName())
                .description(meter.description())
                .tags(tags);
        if (meter.baseUnit() != null) b.baseUnit(meter.baseUnit());
        return b.register(registry);
    }

    /** The registry's monotonic clock, in nanoseconds (to time an epoch without reading the system clock directly). */
    public long monotonicNanos() {
        return clock.monotonicTime();
    }

    /** Information length travelled by factor f's beliefs in the epoch just computed (all time points). */
    public void informationLength(int factor, double length) {
        informationLength[factor].increment(length);
    }

    /** The same over the whole path (the epoch's first step included). */
    public void informationLengthWholePath(int factor, double length) {
        informationLengthWholePath[factor].increment(length);
    }

    /**
     * One epoch: its length (current time point, all factors), its efficiency d/L (NaN when it did
     * not move: not recorded), SPM's H and the most probable policy's G (recorded as -H and -G).
     */
    public void epoch(double length, double epochEfficiency, double h, double g) {
        epochLength.record(length);
        if (!Double.isNaN(epochEfficiency)) efficiency.record(epochEfficiency);
        freeEnergy.record(-h);
        expectedFreeEnergy.record(-g);
    }

    /** Precision and dopamine at one iteration. */
    public void iteration(double gamma, double da) {
        if (Double.isFinite(gamma)) precision.record(gamma);
        dopamine.record(da);
    }

    /** The authors' score of a finished trial. */
    public void trialScore(double score) {
        trialScore.record(score);
    }

    /** The authors' score of a finished trial over the whole path. */
    public void trialScoreWholePath(double score) {
        trialScoreWholePath.record(score);
    }

    public void framesEmitted(int count) {
        framesEmitted.increment(count);
    }

    /** An epoch's compute time, recorded as the time per iteration. */
    public void beliefUpdate(long epochNanos, int iterations) {
        beliefUpdate.record(Math.max(0, epochNanos) / Math.max(1, iterations), TimeUnit.NANOSECONDS);
    }

    /** Removes this session's own meters (per-session tags only); shared meters stay. */
    void close() {
        if (!ownMeters) return;
        List<Meter> meters = new ArrayList<>(List.of(informationLength));
        meters.addAll(List.of(informationLengthWholePath));
        meters.addAll(List.of(
                epochLength, efficiency, trialScore, trialScoreWholePath, precision, framesEmitted, beliefUpdate));
        meters.addAll(freeEnergy.meters());
        meters.addAll(expectedFreeEnergy.meters());
        meters.addAll(dopamine.meters());
        for (Meter m : meters) registry.remove(m);
    }
}
