package org.neuroflux.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.metrics.Telemetry;
import org.neuroflux.pipeline.ModelCatalog;
import org.neuroflux.pipeline.Observation;
import org.neuroflux.pipeline.ServerStats;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionLimitException;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SessionSpec;
import org.neuroflux.pipeline.SignalSubscription;
import org.neuroflux.pipeline.SourceType;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The HTTP and WebSocket routes (docs/protocol.md). Handlers on the event loop only decode,
 * validate, route and encode; session creation (model parsing, replay files) runs on
 * boundedElastic; engines run on the sessions' scheduler. Every WebSocket request is checked
 * (session, token, origin, parameters, limits) and refused with a plain HTTP status and a JSON
 * body before any upgrade.
 */
public final class Routes {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLOSE_NORMAL = 1000;
    private static final int CLOSE_GOING_AWAY = 1001;

    private final NeurofluxConfig config;
    private final SessionRegistry registry;
    private final ModelCatalog catalog;
    private final SessionRequests requests;
    private final Security security;
    private final Telemetry telemetry;
    private final FrameCodec codec = new FrameCodec();
    private final WebAssets web = WebAssets.load();
    private final AtomicInteger sockets = new AtomicInteger();
    private final long startedNanos = System.nanoTime();
    private volatile boolean draining;
    private volatile Supplier<Map<String, Object>> broker; // cluster mode kafka: the broker probe's /health block

    public Routes(NeurofluxConfig config, SessionRegistry registry, ModelCatalog catalog, Telemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
        this.registry = registry;
        this.catalog = catalog;
        this.requests = new SessionRequests(catalog, config);
        this.security = new Security(config.security());
    }

    public void register(HttpServerRoutes routes) {
        routes.get("/health", this::health)
              .get("/metrics", this::metrics)
              .get("/api/models", this::models)
              .post("/api/sessions", this::createSession)
              .get("/api/sessions", this::listSessions)
              .get("/api/sessions/{id}", this::getSession)
              .delete("/api/sessions/{id}", this::deleteSession)
              .get("/ws/sessions/{id}/signals", this::signals)
              .get("/ws/sessions/{id}/observations", this::observations)
              .route(web::matches, web::serve) // the web view: a fixed list of files (WebAssets)
              // the raw uri: req.path() throws (500) on targets java.net.URI rejects, such as a backslash
              .route(req -> true, (req, res) -> error(res, 404, "no route " + req.method() + " " + rawPath(req.uri())));
    }

    /** Open WebSocket connections. */
    public int openSockets() { return sockets.get(); }

    /** /health gains a "broker" block from {@code probe} (cluster mode kafka, docs/cluster.md). */
    public void reportBroker(Supplier<Map<String, Object>> probe) { broker = probe; }

    /** From now on /health reports not ready and new sessions are refused (shutdown). */
    public void drain() { draining = true; }

    // --- HTTP ------------------------------------------------------------------------------------

    private Publisher<Void> health(HttpServerRequest req, HttpServerResponse res) {
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
        Histogram lag = stats.lag();
        h.put("lagMicros", Map.of("p50", lag.getValueAtPercentile(50), "p99", lag.getValueAtPercentile(99),
                "p999", lag.getValueAtPercentile(99.9), "max", lag.getMaxValue(), "count", lag.getTotalCount()));
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        h.put("heap", Map.of("usedBytes", heap.getUsed(), "committedBytes", heap.getCommitted(), "maxBytes", heap.getMax()));
        Supplier<Map<String, Object>> probe = broker;
        if (probe != null) h.put("broker", probe.get());
        return json(res, draining ? 503 : 200, h);
    }

    /** Prometheus text format, or OpenMetrics when the Accept header asks for it; written off the event loop. */
    private Publisher<Void> metrics(HttpServerRequest req, HttpServerResponse res) {
        String accept = req.requestHeaders().get(HttpHeaderNames.ACCEPT);
        return Mono.fromCallable(() -> telemetry.scrape(accept))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(scrape -> res.status(200)
                        .header(HttpHeaderNames.CONTENT_TYPE, scrape.contentType())
                        .sendString(Mono.just(scrape.body()))
                        .then());
    }

    private Publisher<Void> models(HttpServerRequest req, HttpServerResponse res) {
        List<Object> list = new ArrayList<>();
        for (ModelCatalog.Entry e : catalog.entries()) list.add(ModelCatalog.describe(e));
        return json(res, 200, Map.of("models", list));
    }

    private Publisher<Void> createSession(HttpServerRequest req, HttpServerResponse res) {
        int auth = security.authorise(req);
        if (auth != 0) return error(res, auth, auth == 401 ? "bearer token required" : "bad token");
        if (draining) return error(res, 503, "server is shutting down");
        int max = config.limits().maxRequestBytes();
        String length = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && length.matches("\\d{1,12}") && Long.parseLong(length) > max)
            return error(res, 413, "request body larger than " + max + " bytes");
        // Parsing and creating a session are light (models were loaded at startup), so they run on the
        // event loop: answering from another thread left keep-alive connections hanging now and then.
        return req.receive().asByteArray()
                .collect(ByteArrayOutputStream::new, (out, bytes) -> {
                    if (out.size() + bytes.length > max) throw new BadRequestException(413, List.of("request body larger than " + max + " bytes"));
                    out.writeBytes(bytes);
                })
                .map(out -> {
                    JsonNode body;
                    try {
                        body = out.size() == 0 ? JSON.createObjectNode() : ObservationDecoder.STRICT.readTree(out.toByteArray());
                    } catch (java.io.IOException e) {
                        throw new BadRequestException("malformed JSON: " + e.getMessage());
                    }
                    SessionSpec spec = requests.parse(body);
                    return registry.create(spec);
                })
                .flatMap(session -> {
                    String self = "/api/sessions/" + session.id();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", session.id());
                    Map<String, String> links = new LinkedHashMap<>();
                    links.put("self", self);
                    links.put("signals", "/ws/sessions/" + session.id() + "/signals");
                    if (session.spec().source() == SourceType.CLIENT) links.put("observations", "/ws/sessions/" + session.id() + "/observations");
                    body.put("links", links);
                    res.header(HttpHeaderNames.LOCATION, self);
                    return Mono.from(json(res, 201, body));
                })
                .onErrorResume(BadRequestException.class, e -> Mono.from(error(res, e.status(), e.problems())))
                .onErrorResume(SessionLimitException.class, e -> Mono.from(error(res, 429, e.getMessage())));
    }

    private Publisher<Void> listSessions(HttpServerRequest req, HttpServerResponse res) {
        List<Object> list = new ArrayList<>();
        for (Session s : registry.all()) list.add(s.describe());
        return json(res, 200, Map.of("sessions", list));
    }

    private Publisher<Void> getSession(HttpServerRequest req, HttpServerResponse res) {
        Session s = registry.get(req.param("id"));
        if (s == null) return error(res, 404, "no session " + req.param("id"));
        Map<String, Object> body = s.describe();
        body.put("links", Map.of("signals", "/ws/sessions/" + s.id() + "/signals"));
        return json(res, 200, body);
    }

    private Publisher<Void> deleteSession(HttpServerRequest req, HttpServerResponse res) {
        int auth = security.authorise(req);
        if (auth != 0) return error(res, auth, auth == 401 ? "bearer token required" : "bad token");
        if (!registry.delete(req.param("id"), "session deleted")) return error(res, 404, "no session " + req.param("id"));
        return res.status(204).send();
    }

    // --- WebSocket -------------------------------------------------------------------------------

    private Publisher<Void> signals(HttpServerRequest req, HttpServerResponse res) {
        Session session = registry.get(req.param("id"));
        if (session == null) return error(res, 404, "no session " + req.param("id"));
        if (!security.originAllowed(req)) return error(res, 403, "origin not allowed");
        if (!isUpgrade(req)) return error(res, 400, "expected a WebSocket upgrade");
        SignalQuery query;
        SignalSubscription sub;
        try {
            query = SignalQuery.parse(new QueryStringDecoder(req.uri()).parameters(), session, config);
            sub = registry.subscribe(session, query.spec());
        } catch (BadRequestException e) {
            return error(res, e.status(), e.problems());
        } catch (SessionLimitException e) {
            return error(res, 429, e.getMessage());
        }
        FrameCodec.Format format = query.format();
        String header = codec.header(session, sub, format);
        WebsocketServerSpec spec = WebsocketServerSpec.builder().maxFramePayloadLength(4096).handlePing(false).build();
        return res.sendWebsocket((in, out) -> {
            sockets.incrementAndGet();
            Flux<WebSocketFrame> frames = sub.frames().map(f -> codec.encode(f, sub, format, out.alloc()));
            return out.sendObject(Flux.concat(Mono.fromSupplier(() -> new TextWebSocketFrame(header)), frames))
                    .then()
                    .then(Mono.defer(() -> closeFor(out, session)))
                    .onErrorResume(e -> Mono.empty())
                    .doFinally(sig -> sockets.decrementAndGet());
        }, spec);
    }

    private Publisher<Void> observations(HttpServerRequest req, HttpServerResponse res) {
        Session session = registry.get(req.param("id"));
        if (session == null) return error(res, 404, "no session " + req.param("id"));
        int auth = security.authorise(req);
        if (auth != 0) return error(res, auth, auth == 401 ? "bearer token required" : "bad token");
        if (!security.originAllowed(req)) return error(res, 403, "origin not allowed");
        if (!isUpgrade(req)) return error(res, 400, "expected a WebSocket upgrade");
        Map<String, List<String>> params = new QueryStringDecoder(req.uri()).parameters();
        for (String k : params.keySet()) if (!k.equals("access_token")) return error(res, 400, k + ": unknown parameter");
        if (session.spec().source() != SourceType.CLIENT)
            return error(res, 400, "session " + session.id() + " has a " + session.spec().source().label() + " source; only client sessions take observations");
        ObservationDecoder decoder = new ObservationDecoder(session.spec().model(), session.spec().mapping());
        RateLimiter limiter = new RateLimiter(config.limits().ingestMessagesPerSecond());
        int maxBytes = config.limits().maxMessageBytes();
        int hardMax = maxBytes * 4; // above this netty closes with 1009; between the two we answer with an error
        WebsocketServerSpec spec = WebsocketServerSpec.builder().maxFramePayloadLength(hardMax).build();
        return res.sendWebsocket((in, out) -> {
            sockets.incrementAndGet();
            Flux<String> replies = in.aggregateFrames(hardMax).receiveFrames()
                    .map(frame -> reply(frame, session, decoder, limiter, maxBytes))
                    .takeUntilOther(session.onClose());
            return out.sendString(replies)
                    .then()
                    .then(Mono.defer(() -> session.closing() ? closeFor(out, session) : Mono.<Void>empty()))
                    .onErrorResume(e -> Mono.empty())
                    .doFinally(sig -> sockets.decrementAndGet());
        }, spec);
    }

    private String reply(WebSocketFrame frame, Session session, ObservationDecoder decoder, RateLimiter limiter, int maxBytes) {
        JsonNode id = null;
        long arrived = session.nanos();
        try {
            if (frame instanceof BinaryWebSocketFrame) throw new ObservationDecoder.Rejected(ObservationDecoder.MALFORMED, "binary messages are not accepted: send JSON text");
            if (!(frame instanceof TextWebSocketFrame)) throw new ObservationDecoder.Rejected(ObservationDecoder.MALFORMED, "unexpected frame " + frame.getClass().getSimpleName());
            ByteBuf content = frame.content();
            if (content.readableBytes() > maxBytes)
                throw new ObservationDecoder.Rejected("too-large", "message too large: " + content.readableBytes() + " bytes, limit " + maxBytes);
            if (!limiter.tryAcquire())
                throw new ObservationDecoder.Rejected("rate-limit", "rate limit exceeded: at most " + config.limits().ingestMessagesPerSecond() + " messages per second");
            JsonNode node = decoder.parse(content.toString(StandardCharsets.UTF_8));
            id = node.get("id");
            Observation observation = decoder.decode(node);
            if (session.closing()) throw new ObservationDecoder.Rejected("closing", "session is closing");
            Session.Accepted accepted = session.offer(observation, arrived);
            if (accepted == null) throw new ObservationDecoder.Rejected("queue-full", "ingest queue full (" + config.limits().ingestQueue() + " observations waiting): slow down");
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("type", "ack");
            if (id != null) ack.put("id", id);
            ack.put("index", accepted.index());
            ack.put("trial", accepted.trial());
            ack.put("epoch", accepted.epoch());
            return write(ack);
        } catch (ObservationDecoder.Rejected r) {
            session.countRejected(r.reason());
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("type", "error");
            if (id != null) err.put("id", id);
            err.put("reason", r.getMessage());
            return write(err);
        }
    }

    private static Mono<Void> closeFor(reactor.netty.http.websocket.WebsocketOutbound out, Session session) {
        boolean shutdown = session.closeReason().equals(NeurofluxServer.SHUTDOWN_REASON);
        return out.sendClose(shutdown ? CLOSE_GOING_AWAY : CLOSE_NORMAL, session.closeReason());
    }

    private static String rawPath(String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }

    private static boolean isUpgrade(HttpServerRequest req) {
        String upgrade = req.requestHeaders().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    // --- JSON helpers ----------------------------------------------------------------------------

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Publisher<Void> json(HttpServerResponse res, int status, Object body) {
        return res.status(HttpResponseStatus.valueOf(status))
                  .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                  .sendString(Mono.just(write(body)))
                  .then();
    }

    private static Publisher<Void> error(HttpServerResponse res, int status, String problem) {
        return error(res, status, List.of(problem));
    }

    private static Publisher<Void> error(HttpServerResponse res, int status, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", problems.get(0));
        body.put("problems", problems);
        return json(res, status, body);
    }
}
