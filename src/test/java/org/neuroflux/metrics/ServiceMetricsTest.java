package org.neuroflux.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {
    private static final List<String> FACTORS = List.of("location", "context");

    @Test
    void sessionsShareTheirModelAndSchemeSeriesByDefault() {
        MeterRegistry registry = new SimpleMeterRegistry();
        ServiceMetrics service = new ServiceMetrics(registry, MetricsSettings.DEFAULTS);
        String tagA = service.sessionStarted("a");
        String tagB = service.sessionStarted("b");
        assertNull(tagA);
        assertNull(tagB);
        service.scheme("tmaze", "active-inference", FACTORS, tagA).informationLength(0, 1.5);
        service.scheme("tmaze", "active-inference", FACTORS, tagB).informationLength(0, 2.5);
        assertEquals(
                1,
                registry.find("neuroflux.information.length")
                        .tag("factor", "location")
                        .counters()
                        .size());
        assertEquals(
                4.0,
                registry.get("neuroflux.information.length")
                        .tag("factor", "location")
                        .counter()
                        .count());
        assertEquals(2.0, registry.get("neuroflux.sessions.active").gauge().value());
        service.sessionEnded("a");
        assertEquals(1.0, registry.get("neuroflux.sessions.active").gauge().value());
    }

    @Test
    void perSessionTagsAreCappedAndReleasedWhenTheSessionEnds() {
        MeterRegistry registry = new SimpleMeterRegistry();
        ServiceMetrics service = new ServiceMetrics(registry, new MetricsSettings(true, 1));
        String first = service.sessionStarted("s1");
        String second = service.sessionStarted("s2");
        assertEquals("s1", first);
        assertEquals(ServiceMetrics.OTHER_SESSIONS, second, "beyond the cap");
        SchemeMetrics own = service.scheme("tmaze", "natural-gradient", FACTORS, first);
        SchemeMetrics shared = service.scheme("tmaze", "natural-gradient", FACTORS, second);
        own.framesEmitted(3);
        shared.framesEmitted(5);
        assertEquals(
                3.0,
                registry.get("neuroflux.frames.emitted")
                        .tag("session", "s1")
                        .counter()
                        .count());
        assertEquals(
                5.0,
                registry.get("neuroflux.frames.emitted")
                        .tag("session", "other")
                        .counter()
                        .count());
        service.release(own);
        service.sessionEnded("s1");
        assertTrue(
                registry.find("neuroflux.frames.emitted")
                        .tag("session", "s1")
                        .counters()
                        .isEmpty(),
                "s1's series removed");
        service.release(shared);
        assertEquals(
                5.0,
                registry.get("neuroflux.frames.emitted")
                        .tag("session", "other")
                        .counter()
                        .count(),
                "shared series stay");
        assertEquals("s3", service.sessionStarted("s3"), "the freed slot is reused");
    }

    @Test
    void reasonCountersExistFromTheStartAndSignedValuesKeepTheirSign() {
        MeterRegistry registry = new SimpleMeterRegistry();
        ServiceMetrics service = new ServiceMetrics(registry, MetricsSettings.DEFAULTS);
        for (String reason : ServiceMetrics.REJECT_REASONS)
            assertEquals(
                    0.0,
                    registry.get("neuroflux.observations.rejected")
                            .tag("reason", reason)
                            .counter()
                            .count());
        assertEquals(
                0.0,
                registry.get("neuroflux.frames.dropped")
                        .tag("reason", "closed")
                        .counter()
                        .count());
        SchemeMetrics m = service.scheme("tmaze", "active-inference", FACTORS, null);
        m.iteration(1.0, -0.5);
        m.iteration(1.0, 0.25);
        m.iteration(Double.NaN, Double.NaN);
        assertEquals(
                0.5,
                registry.get("neuroflux.dopamine")
                        .tag("sign", "negative")
                        .summary()
                        .totalAmount());
        assertEquals(
                0.25,
                registry.get("neuroflux.dopamine")
                        .tag("sign", "positive")
                        .summary()
                        .totalAmount());
        assertEquals(2, registry.get("neuroflux.precision").summary().count(), "NaN is not a measurement");
        m.epoch(0.2, Double.NaN, -3.0, 4.0);
        assertEquals(
                3.0,
                registry.get("neuroflux.free.energy")
                        .tag("sign", "positive")
                        .summary()
                        .totalAmount(),
                "-H");
        assertEquals(
                4.0,
                registry.get("neuroflux.expected.free.energy")
                        .tag("sign", "negative")
                        .summary()
                        .totalAmount(),
                "-G < 0");
        assertEquals(
                0,
                registry.get("neuroflux.epoch.efficiency").summary().count(),
                "an epoch that did not move has no efficiency");
        assertThrows(IllegalArgumentException.class, () -> new MetricsSettings(true, 0));
    }
}
