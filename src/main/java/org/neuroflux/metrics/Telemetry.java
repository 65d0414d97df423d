package org.neuroflux.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The service's one Prometheus registry: common tag {@code app=neuroflux}, the JVM and process
 * binders, and the {@link ServiceMetrics} of the pipeline. Built once by the composition root,
 * which also bridges reactor-netty's meters into it; {@link #close()} releases the binders.
 */
public final class Telemetry implements AutoCloseable {
    /** A scrape: the body and the content type it is written in. */
    public record Scrape(String contentType, String body) {}

    /** The content types the Prometheus client's writers produce (its exposition-formats module is a runtime dependency). */
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** reactor-netty's HTTP server response-time timer. */
    static final String HTTP_RESPONSE_TIME = "reactor.netty.http.server.response.time";

    private final PrometheusMeterRegistry registry;
    private final ServiceMetrics service;
    private final JvmGcMetrics gc;

    private Telemetry(MetricsSettings settings) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("app", "neuroflux"); // before any meter is bound
        // reactor-netty's response time gets buckets too, for the p99 panel (its own default has none)
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(HTTP_RESPONSE_TIME)) return config;
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .build()
                        .merge(config);
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        service = new ServiceMetrics(registry, settings);
    }

    public static Telemetry create(MetricsSettings settings) {
        return new Telemetry(settings);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public ServiceMetrics service() {
        return service;
    }

    /**
     * Writes every meter in the format the {@code Accept} header asks for: OpenMetrics text when it
     * names {@code application/openmetrics-text}, otherwise the Prometheus text format 0.0.4.
     */
    public Scrape scrape(String accept) {
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
        return new Scrape(type, registry.scrape(type));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
