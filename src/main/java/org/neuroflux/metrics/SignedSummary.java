package org.neuroflux.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * A summary of a quantity of either sign: the magnitude goes to one of two summaries tagged
 * {@code sign=positive} or {@code sign=negative} (Micrometer drops negative amounts, and a
 * Prometheus {@code _sum} has to grow for {@code rate()}). Non-finite values are not recorded.
 * Recording allocates nothing.
 */
final class SignedSummary {
    private final DistributionSummary positive;
    private final DistributionSummary negative;

    SignedSummary(MeterRegistry registry, NeurofluxMeters meter, Tags tags) {
        positive = build(registry, meter, tags.and("sign", "positive"));
        negative = build(registry, meter, tags.and("sign", "negative"));
    }

    private static DistributionSummary build(MeterRegistry registry, NeurofluxMeters meter, Tags tags) {
        DistributionSummary.Builder b = DistributionSummary.builder(meter.meterName())
                .description(meter.description())
                .tags(tags);
        if (meter.baseUnit() != null) b.baseUnit(meter.baseUnit());
        return b.register(registry);
    }

    void record(double value) {
        if (!Double.isFinite(value)) return;
        if (value >= 0) positive.record(value);
        else negative.record(-value);
    }

    List<Meter> meters() {
        return List.of(positive, negative);
    }
}
