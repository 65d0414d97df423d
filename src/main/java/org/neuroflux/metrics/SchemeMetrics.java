package org.neuroflux.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one scheme of one session, resolved once when the session starts; recording is
 * allocation-free. Used from the session's own thread.
 */
public final class SchemeMetrics {
    private static final double[] EFFICIENCY_BUCKETS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0};
    private static final double[] LENGTH_BUCKETS = {0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10};

    private final Counter[] informationLength;
    private final DistributionSummary epochLength;
    private final DistributionSummary efficiency;
    private final DistributionSummary trialScore;
    private final DistributionSummary freeEnergy;
    private final DistributionSummary expectedFreeEnergy;
    private final DistributionSummary precision;
    private final DistributionSummary dopamine;
    private final Counter framesEmitted;
    private final Timer beliefUpdate;

    SchemeMetrics(MeterRegistry registry, Tags tags, List<String> factors) {
        informationLength = new Counter[factors.size()];
        for (int f = 0; f < factors.size(); f++) {
            informationLength[f] = Counter.builder(NeurofluxMeters.INFORMATION_LENGTH.meterName())
                    .description(NeurofluxMeters.INFORMATION_LENGTH.description()).tags(tags).tag("factor", factors.get(f)).register(registry);
        }
        epochLength = DistributionSummary.builder(NeurofluxMeters.EPOCH_INFORMATION_LENGTH.meterName())
                .description(NeurofluxMeters.EPOCH_INFORMATION_LENGTH.description()).tags(tags).serviceLevelObjectives(LENGTH_BUCKETS).register(registry);
        efficiency = DistributionSummary.builder(NeurofluxMeters.EPOCH_EFFICIENCY.meterName())
                .description(NeurofluxMeters.EPOCH_EFFICIENCY.description()).tags(tags).serviceLevelObjectives(EFFICIENCY_BUCKETS).register(registry);
        trialScore = summary(registry, NeurofluxMeters.TRIAL_SCORE, tags);
        freeEnergy = summary(registry, NeurofluxMeters.FREE_ENERGY, tags);
        expectedFreeEnergy = summary(registry, NeurofluxMeters.EXPECTED_FREE_ENERGY, tags);
        precision = summary(registry, NeurofluxMeters.PRECISION, tags);
        dopamine = summary(registry, NeurofluxMeters.DOPAMINE, tags);
        framesEmitted = Counter.builder(NeurofluxMeters.FRAMES_EMITTED.meterName()).description(NeurofluxMeters.FRAMES_EMITTED.description())
                .tags(tags.stream().filter(t -> !t.getKey().equals("session")).toList()).register(registry);
        beliefUpdate = Timer.builder(NeurofluxMeters.BELIEF_UPDATE.meterName()).description(NeurofluxMeters.BELIEF_UPDATE.description())
                .tags(tags).publishPercentileHistogram().register(registry);
    }

    private static DistributionSummary summary(MeterRegistry registry, NeurofluxMeters meter, Tags tags) {
        DistributionSummary.Builder b = DistributionSummary.builder(meter.meterName()).description(meter.description()).tags(tags);
        if (meter.baseUnit() != null) b.baseUnit(meter.baseUnit());
        return b.register(registry);
    }

    /** Information length travelled by factor f's beliefs in the epoch just computed. */
    public void informationLength(int factor, double length) { informationLength[factor].increment(length); }

    /** One epoch: its length over all factors, efficiency (NaN if it did not move), H and best G. */
    public void epoch(double length, double epochEfficiency, double h, double g) {
        epochLength.record(length);
        if (!Double.isNaN(epochEfficiency)) efficiency.record(epochEfficiency);
        if (Double.isFinite(h)) freeEnergy.record(h);
        if (Double.isFinite(g)) expectedFreeEnergy.record(g);
    }

    /** Precision and dopamine at one iteration. */
    public void precision(double gamma, double da) {
        precision.record(gamma);
        if (Double.isFinite(da)) dopamine.record(da);
    }

    public void trialScore(double score) { trialScore.record(score); }

    public void framesEmitted(int count) { framesEmitted.increment(count); }

    /** An epoch's compute time, recorded as the time per iteration. */
    public void beliefUpdate(long epochNanos, int iterations) { beliefUpdate.record(epochNanos / Math.max(1, iterations), TimeUnit.NANOSECONDS); }
}
