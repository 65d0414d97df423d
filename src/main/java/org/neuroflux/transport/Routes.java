package org.neuroflux.transport;

import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.metrics.Telemetry;
import org.neuroflux.pipeline.ModelCatalog;
import org.neuroflux.pipeline.SessionRegistry;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The route table (docs/protocol.md): the session API, the signals socket, the observations
 * socket and the web view. Handlers on the event loop only decode, validate, route and encode;
 * engines run on the sessions' scheduler. Every WebSocket request is checked (session, token,
 * origin, parameters, limits) and refused with a plain HTTP status and a JSON body before any
 * upgrade.
 */
public final class Routes {
    private final SocketCount sockets = new SocketCount();
    private final SessionApi api;
    private final SignalSocket signals;
    private final IngestSocket observations;
    private final WebAssets web = WebAssets.load();

    public Routes(NeurofluxConfig config, SessionRegistry registry, ModelCatalog catalog, Telemetry telemetry) {
        Security security = new Security(config.security());
        this.api = new SessionApi(config, registry, catalog, security, telemetry, sockets);
        this.signals = new SignalSocket(config, registry, security, sockets);
        this.observations = new IngestSocket(config, registry, security, sockets);
    }

    public void register(HttpServerRoutes routes) {
        routes.get("/health", api::health)
                .get("/metrics", api::metrics)
                .get("/api/models", api::models)
                .post("/api/sessions", api::create)
                .get("/api/sessions", api::list)
                .get("/api/sessions/{id}", api::get)
                .delete("/api/sessions/{id}", api::delete)
                .get("/ws/sessions/{id}/signals", signals::handle)
                .get("/ws/sessions/{id}/observations", observations::handle)
                .route(web::matches, web::serve) // the web view: a fixed list of files (WebAssets)
                // the raw uri: req.path() throws (500) on targets java.net.URI rejects, such as a backslash
                .route(
                        req -> true,
                        (req, res) -> Http.error(res, 404, "no route " + req.method() + " " + Http.rawPath(req.uri())));
    }

    /** Open WebSocket connections. */
    public int openSockets() {
        return sockets.get();
    }

    /** /health gains a "broker" block from {@code probe} (cluster mode kafka, docs/cluster.md). */
    public void reportBroker(java.util.function.Supplier<java.util.Map<String, Object>> probe) {
        api.reportBroker(probe);
    }

    /** Cluster mode kafka: sessions are created in, and served from, the cluster (docs/cluster.md). */
    public void useCluster(ClusterRouting routing) {
        api.useCluster(routing);
        signals.useCluster(routing);
        observations.useCluster(routing);
    }

    /** From now on /health reports not ready and new sessions are refused (shutdown). */
    public void drain() {
        api.drain();
    }
}
