package org.neuroflux.transport;

import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.metrics.MetricsSettings;
import org.neuroflux.metrics.Telemetry;
import org.neuroflux.pipeline.BatchingSettings;
import org.neuroflux.pipeline.ModelCatalog;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionClock;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SessionSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The composition root of {@code neuroflux serve}: meters ({@link Telemetry}: one Prometheus
 * registry, also bridged to reactor-netty's global meters), model catalog, session registry, demo
 * session, routes, and the reactor-netty server. {@link #stop()} shuts down gracefully: /health turns
 * not-ready, sessions complete their subscribers' streams (each buffer drains first), sockets are
 * closed with 1001, then the server is disposed after at most {@code server.shutdownGraceMs}.
 */
public final class NeurofluxServer {
    public static final String SHUTDOWN_REASON = "server shutting down";
    private static final Logger LOG = LoggerFactory.getLogger(NeurofluxServer.class);

    private final NeurofluxConfig config;
    private final SessionRegistry registry;
    private final Telemetry telemetry;
    private final Routes routes;
    private final ModelCatalog catalog;
    private final DisposableServer server;
    private final Session demo;
    private volatile boolean stopped;

    private NeurofluxServer(NeurofluxConfig config, Scheduler scheduler) {
        this.config = config;
        this.telemetry = Telemetry.create(new MetricsSettings(
                config.metrics().perSessionTags(), config.metrics().maxSessionTags()));
        this.catalog = ModelCatalog.load(
                Path.of(config.server().modelsDir()), config.limits().modelLimits());
        for (ModelCatalog.Entry e : catalog.entries()) {
            if (!e.available()) LOG.warn("model '{}' ({}) not available: {}", e.name(), e.origin(), e.error());
        }
        this.registry = new SessionRegistry(
                scheduler,
                SessionClock.SYSTEM,
                config.limits().maxSessions(),
                config.limits().maxSubscribersPerSession(),
                config.limits().ingestQueue(),
                Duration.ofSeconds(config.limits().idleTimeoutSeconds()),
                Duration.ofMillis(config.backpressure().losslessStallMs()),
                telemetry.service(),
                new BatchingSettings(
                        config.pacing().batchLanes(),
                        Duration.ofMillis(config.pacing().batchJoinWaitMs())));
        this.routes = new Routes(config, registry, catalog, telemetry);
        this.demo = config.demo().enabled() ? startDemo(catalog) : null;
        // reactor-netty records its HTTP server meters (uri tag collapsed to templates) in the global
        // registry only: bridge ours into it, once per server, until stop()
        Metrics.addRegistry(telemetry.registry());
        try {
            this.server = HttpServer.create()
                    .host(config.server().host())
                    .port(config.server().port())
                    .metrics(true, UriTemplates::collapse)
                    .doOnConnection(connection -> ClientResets.install(connection.channel()))
                    .route(routes::register)
                    .bindNow();
        } catch (RuntimeException e) {
            Metrics.removeRegistry(telemetry.registry());
            throw e;
        }
    }

    /** Binds the server and starts the demo session (when enabled). */
    public static NeurofluxServer start(NeurofluxConfig config, Scheduler scheduler) {
        return new NeurofluxServer(config, scheduler);
    }

    private Session startDemo(ModelCatalog catalog) {
        ModelCatalog.Entry e = catalog.entry(config.demo().model());
        if (e == null || !e.available())
            throw new IllegalStateException("demo.model '" + config.demo().model() + "' is not available"
                    + (e == null ? "" : ": " + e.error()));
        return registry.create(SessionSpec.generative(
                e,
                config.demo().schemes(),
                config.pacing().iterationMs(),
                config.demo().seed(),
                true));
    }

    public int port() {
        return server.port();
    }

    public String host() {
        return server.host();
    }

    /** The demo session's id, or null when disabled. */
    public String demoSessionId() {
        return demo == null ? null : demo.id();
    }

    public SessionRegistry registry() {
        return registry;
    }

    /** WebSocket connections open now (both kinds). */
    public int openSockets() {
        return routes.openSockets();
    }

    /** The server's meters (GET /metrics scrapes them). */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** Adds the broker probe's block to /health (cluster mode kafka). */
    public void reportBroker(java.util.function.Supplier<java.util.Map<String, Object>> probe) {
        routes.reportBroker(probe);
    }

    /** Cluster mode kafka: from now on sessions are created in, and served from, the cluster (docs/cluster.md). */
    public void useCluster(ClusterRouting routing) {
        routes.useCluster(routing);
    }

    /** The model catalog (the cluster layer builds sessions from definitions with it). */
    public ModelCatalog catalog() {
        return catalog;
    }

    public Mono<Void> onDispose() {
        return server.onDispose();
    }

    /** Graceful shutdown (idempotent): drain, close sockets with 1001, dispose. */
    public void stop() {
        if (stopped) return;
        stopped = true;
        routes.drain();
        registry.closeAll(SHUTDOWN_REASON);
        long deadline = System.nanoTime() + config.server().shutdownGraceMs() * 1_000_000L;
        while (routes.openSockets() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.disposeNow(Duration.ofMillis(Math.max(100, config.server().shutdownGraceMs())));
        Metrics.removeRegistry(telemetry.registry());
        telemetry.close();
    }
}
