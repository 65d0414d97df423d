package org.neuroflux.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.metrics.Telemetry;
import org.neuroflux.pipeline.BadRequestException;
import org.neuroflux.pipeline.ModelCatalog;
import org.neuroflux.pipeline.ObservationDecoder;
import org.neuroflux.pipeline.ServerStats;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionCounters;
import org.neuroflux.pipeline.SessionLimitException;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SessionRequests;
import org.neuroflux.pipeline.SessionSpec;
import org.neuroflux.pipeline.SourceType;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The HTTP API (docs/protocol.md, "HTTP API"): health, metrics, models, and creating, listing,
 * describing and deleting sessions. The JSON descriptions of sessions are built here, from the
 * session's spec and {@link SessionCounters}.
 */
final class SessionApi {
    private final NeurofluxConfig config;
    private final SessionRegistry registry;
    private final ModelCatalog catalog;
    private final SessionRequests requests;
    private final Security security;
    private final Telemetry telemetry;
    private final SocketCount sockets;
    private final long startedNanos = System.nanoTime();
    private volatile boolean draining;
    private volatile java.util.function.Supplier<Map<String, Object>>
            broker; // cluster mode kafka: the broker probe's /health block

    SessionApi(
            NeurofluxConfig config,
            SessionRegistry registry,
            ModelCatalog catalog,
            Security security,
            Telemetry telemetry,
            SocketCount sockets) {
        this.config = config;
        this.registry = registry;
        this.catalog = catalog;
        this.requests = new SessionRequests(catalog, config);
        this.security = security;
        this.telemetry = telemetry;
        this.sockets = sockets;
    }

    private volatile ClusterRouting cluster; // cluster mode kafka: sessions live in the cluster

    void useCluster(ClusterRouting routing) {
        cluster = routing;
    }

    void drain() {
        draining = true;
    }

    /** /health gains a "broker" block from {@code probe} (cluster mode kafka, docs/cluster.md). */
    void reportBroker(java.util.function.Supplier<Map<String, Object>> probe) {
        broker = probe;
    }

    boolean draining() {
        return draining;
    }

    Publisher<Void> health(HttpServerRequest req, HttpServerResponse res) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", draining ? "DRAINING" : "UP");
        h.put("live", true);
        h.put("ready", !draining);
        h.put("uptimeSeconds", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        h.put("sessions", registry.size());
        h.put("webSockets", sockets.get());
        ServerStats stats = registry.stats();
        h.put("framesEmitted", stats.framesEmitted());
        h.put("framesDropped", stats.framesDropped());
        h.put("ingestAccepted", stats.ingestAccepted());
        h.put("ingestRejected", stats.ingestRejected());
        h.put("subscribersStalled", stats.subscribersStalled());
        h.put("ticksMissed", stats.ticksMissed());
        SessionRegistry.BatchCensus batches = registry.batches();
        h.put("batches", Map.of("cohorts", batches.cohorts(), "sessions", batches.sessions()));
        ServerStats.LagSummary lag = stats.recentLag();
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("window", "last 5-10 s");
        l.put("p50", lag.p50());
        l.put("p99", lag.p99());
        l.put("p999", lag.p999());
        l.put("max", lag.max());
        l.put("count", lag.count());
        h.put("lagMicros", l);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
            h.put(
                    "processCpuSeconds",
                    os.getProcessCpuTime() / 1e9); // CPU the server used: lets a benchmark on a busy machine normalise
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        h.put(
                "heap",
                Map.of("usedBytes", heap.getUsed(), "committedBytes", heap.getCommitted(), "maxBytes", heap.getMax()));
        java.util.function.Supplier<Map<String, Object>> probe = broker;
        if (probe != null) h.put("broker", probe.get());
        ClusterRouting routing = cluster;
        if (routing != null) h.put("cluster", routing.health());
        return Http.json(res, draining ? 503 : 200, h);
    }

    /** Prometheus text format, or OpenMetrics when the Accept header asks for it; written off the event loop. */
    Publisher<Void> metrics(HttpServerRequest req, HttpServerResponse res) {
        Publisher<Void> refused = Http.refuseUnauthorisedRead(security, req, res);
        if (refused != null) return refused;
        String accept = req.requestHeaders().get(HttpHeaderNames.ACCEPT);
        return Mono.fromCallable(() -> telemetry.scrape(accept))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(scrape -> res.status(200)
                        .header(HttpHeaderNames.CONTENT_TYPE, scrape.contentType())
                        .sendString(Mono.just(scrape.body()))
                        .then());
    }

    Publisher<Void> models(HttpServerRequest req, HttpServerResponse res) {
        List<Object> list = new ArrayList<>();
        for (ModelCatalog.Entry e : catalog.entries()) list.add(ModelCatalog.describe(e));
        return Http.json(res, 200, Map.of("models", list, "schemes", SessionSpec.schemeCatalog()));
    }

    Publisher<Void> create(HttpServerRequest req, HttpServerResponse res) {
        Publisher<Void> refused = Http.refuseUnauthorised(security, req, res, null);
        if (refused != null) return refused;
        if (draining) return Http.error(res, 503, "server is shutting down");
        int max = config.limits().maxRequestBytes();
        String length = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && length.matches("\\d{1,12}") && Long.parseLong(length) > max)
            return Http.error(res, 413, "request body larger than " + max + " bytes");
        // The request may name a replay recording (a file): it is parsed, and the session created, on
        // boundedElastic, never on the event loop; the answer is written back on the connection's own
        // event loop (answering from another thread left keep-alive connections hanging now and then).
        java.util.concurrent.Executor[] loop = new java.util.concurrent.Executor[1];
        req.withConnection(c -> loop[0] = c.channel().eventLoop());
        return req.receive()
                .asByteArray()
                .collect(ByteArrayOutputStream::new, (out, bytes) -> {
                    if (out.size() + bytes.length > max)
                        throw new BadRequestException(413, List.of("request body larger than " + max + " bytes"));
                    out.writeBytes(bytes);
                })
                .publishOn(Schedulers.boundedElastic())
                .flatMap(out -> {
                    JsonNode body;
                    try {
                        body = out.size() == 0
                                ? Http.JSON.createObjectNode()
                                : ObservationDecoder.STRICT.readTree(out.toByteArray());
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new BadRequestException("malformed JSON: " + ObservationDecoder.jsonProblem(e));
                    } catch (java.io.IOException e) {
                        throw new BadRequestException("unreadable request body");
                    }
                    SessionSpec spec = requests.parse(body);
                    ClusterRouting routing = cluster;
                    if (routing == null)
                        return Mono.just(new Created(registry.create(spec).id(), spec.source()));
                    // cluster mode: the definition goes to the sessions topic (seed resolved, so the owner
                    // builds the very same session); 201 only once the broker has it
                    String id = registry.newId();
                    String definition = Http.write(((com.fasterxml.jackson.databind.node.ObjectNode) body.deepCopy())
                            .put("seed", spec.seed()));
                    return Mono.fromFuture(() -> routing.create(id, definition))
                            .onErrorMap(
                                    e -> !(e instanceof BadRequestException),
                                    e -> new BadRequestException(
                                            503,
                                            List.of("the broker did not acknowledge the session: " + e.getMessage())))
                            .thenReturn(new Created(id, spec.source()));
                })
                .publishOn(loop[0] == null ? Schedulers.immediate() : Schedulers.fromExecutor(loop[0]))
                .flatMap(created -> {
                    String self = "/api/sessions/" + created.id();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", created.id());
                    Map<String, String> links = new LinkedHashMap<>();
                    links.put("self", self);
                    links.put("signals", "/ws/sessions/" + created.id() + "/signals");
                    if (created.source() == SourceType.CLIENT)
                        links.put("observations", "/ws/sessions/" + created.id() + "/observations");
                    body.put("links", links);
                    res.header(HttpHeaderNames.LOCATION, self);
                    return Mono.from(Http.json(res, 201, body));
                })
                .onErrorResume(BadRequestException.class, e -> Mono.from(Http.error(res, e.status(), e.problems())))
                .onErrorResume(SessionLimitException.class, e -> Mono.from(Http.error(res, 429, e.getMessage())));
    }

    private record Created(String id, SourceType source) {}

    Publisher<Void> list(HttpServerRequest req, HttpServerResponse res) {
        Publisher<Void> refused = Http.refuseUnauthorisedRead(security, req, res);
        if (refused != null) return refused;
        List<Object> list = new ArrayList<>();
        ClusterRouting routing = cluster;
        for (Session s : registry.all()) {
            Map<String, Object> d = describe(s);
            if (routing != null) d.put("owner", routing.instanceId());
            list.add(d);
        }
        if (routing != null) // the cluster's other sessions: described in full by GET /api/sessions/{id}
        for (String id : routing.sessionIds()) {
                if (registry.get(id) != null) continue;
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("id", id);
                d.put("state", "remote");
                d.put("owner", routing.owner(id));
                list.add(d);
            }
        return Http.json(res, 200, Map.of("sessions", list));
    }

    Publisher<Void> get(HttpServerRequest req, HttpServerResponse res) {
        Publisher<Void> refused = Http.refuseUnauthorisedRead(security, req, res);
        if (refused != null) return refused;
        Session s = registry.get(req.param("id"));
        ClusterRouting routing = cluster;
        Map<String, Object> body;
        if (s != null) {
            body = describe(s);
            if (routing != null) body.put("owner", routing.instanceId());
        } else if (routing != null && (s = routing.remote(req.param("id"))) != null) {
            // run by another instance: its definition from here, its counters on its owner
            body = describe(s);
            body.remove("counters");
            body.put("state", "remote");
            body.put("owner", routing.owner(s.id()));
        } else return Http.error(res, 404, "no session " + req.param("id"));
        body.put("links", Map.of("signals", "/ws/sessions/" + s.id() + "/signals"));
        return Http.json(res, 200, body);
    }

    Publisher<Void> delete(HttpServerRequest req, HttpServerResponse res) {
        Publisher<Void> refused = Http.refuseUnauthorised(security, req, res, null);
        if (refused != null) return refused;
        ClusterRouting routing = cluster;
        if (routing != null) {
            java.util.concurrent.CompletableFuture<?> deleted = routing.delete(req.param("id"));
            if (deleted == null) return Http.error(res, 404, "no session " + req.param("id"));
            java.util.concurrent.Executor[] loop = new java.util.concurrent.Executor[1];
            req.withConnection(c -> loop[0] = c.channel().eventLoop());
            return Mono.fromFuture(deleted)
                    .publishOn(loop[0] == null ? Schedulers.immediate() : Schedulers.fromExecutor(loop[0]))
                    .then(Mono.defer(() -> Mono.from(res.status(204).send())))
                    .onErrorResume(e -> Mono.from(
                            Http.error(res, 503, "the broker did not acknowledge the deletion: " + e.getMessage())));
        }
        if (!registry.delete(req.param("id"), "session deleted"))
            return Http.error(res, 404, "no session " + req.param("id"));
        return res.status(204).send();
    }

    /** State and counters, as served by GET /api/sessions/{id}. */
    static Map<String, Object> describe(Session s) {
        SessionSpec spec = s.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("state", s.state().label());
        m.put("model", spec.modelName());
        m.put("schemes", spec.schemeLabels());
        m.put("source", spec.source().label());
        m.put("pacing", spec.maxPacing() ? Map.of("iterationMs", "max") : Map.of("iterationMs", spec.iterationMs()));
        m.put("seed", spec.seed());
        m.put("iterationsPerEpoch", s.iterations());
        m.put("batched", s.batched());
        if (spec.continuous() != null) m.put("continuous", spec.continuous().describe());
        m.put("epochsPerTrial", spec.epochsPerTrial());
        m.put("createdMicros", s.createdMicros());
        SessionCounters k = s.counters();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("trials", s.trial());
        c.put("epochs", k.epochs());
        c.put("framesEmitted", k.framesEmitted());
        c.put("framesDropped", k.framesDropped());
        c.put("subscribers", s.subscriberCount());
        c.put("subscribersStalled", k.subscribersStalled());
        c.put("ingestAccepted", k.ingestAccepted());
        c.put("ingestRejected", k.ingestRejected());
        c.put("ingestQueued", s.ingestQueued());
        c.put("ticksMissed", k.ticksMissed());
        c.put("ticksStalled", k.ticksStalled());
        c.put("ticksWaiting", k.ticksWaiting());
        c.put("lagMicros", Map.of("last", k.lagLastMicros(), "max", k.lagMaxMicros(), "mean", k.lagMeanMicros()));
        m.put("counters", c);
        return m;
    }
}
