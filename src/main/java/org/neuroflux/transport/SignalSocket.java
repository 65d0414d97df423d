package org.neuroflux.transport;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.time.Duration;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.pipeline.BadRequestException;
import org.neuroflux.pipeline.OverflowPolicy;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionLimitException;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SignalSubscription;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The signals socket (docs/protocol.md, "WebSocket: signals"): checks the request before the
 * upgrade, then sends the header and one message per iteration. Messages are encoded on the
 * session's thread and written by reactor-netty on the connection's event loop; a flush
 * consolidation handler on the upgraded connection turns the frames written in one event-loop turn
 * into one flush. A lossless subscriber that held its session longer than the stall budget is
 * closed with 1008.
 */
final class SignalSocket {
    static final int CLOSE_NORMAL = 1000;
    static final int CLOSE_GOING_AWAY = 1001;
    static final int CLOSE_POLICY = 1008;
    private static final String FLUSH_CONSOLIDATION = "neuroflux.flushConsolidation";

    private final NeurofluxConfig config;
    private final SessionRegistry registry;
    private final Security security;
    private final SocketCount sockets;
    private final FrameCodec codec = new FrameCodec();

    SignalSocket(NeurofluxConfig config, SessionRegistry registry, Security security, SocketCount sockets) {
        this.config = config;
        this.registry = registry;
        this.security = security;
        this.sockets = sockets;
    }

    private volatile ClusterRouting cluster;

    void useCluster(ClusterRouting routing) {
        cluster = routing;
    }

    Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        Session local = registry.get(req.param("id"));
        ClusterRouting routing = cluster;
        // cluster mode: a session run elsewhere is relayed from the signals topic
        Session session = local == null && routing != null ? routing.remote(req.param("id")) : local;
        if (session == null) return Http.error(res, 404, "no session " + req.param("id"));
        Publisher<Void> refused = Http.refuseUnauthorisedRead(security, req, res);
        if (refused == null) refused = Http.refuseUpgrade(security, req, res);
        if (refused != null) return refused;
        SignalQuery query;
        try {
            query = SignalQuery.parse(Queries.parse(req.uri()), session, config);
        } catch (BadRequestException e) {
            return Http.error(res, e.status(), e.problems());
        }
        // a lossless reader holds the session back (up to the stall budget): only token holders may
        if (query.spec().policy() == OverflowPolicy.LOSSLESS) {
            refused = Http.refuseUnauthorised(security, req, res, "policy=lossless");
            if (refused != null) return refused;
        }
        SignalSubscription sub;
        try {
            sub = registry.subscribe(session, query.spec());
        } catch (SessionLimitException e) {
            return Http.error(res, 429, e.getMessage());
        }
        FrameCodec.Format format = query.format();
        String header = codec.header(session, sub, format);
        WebsocketServerSpec spec = WebsocketServerSpec.builder()
                .maxFramePayloadLength(4096)
                .handlePing(false)
                .build();
        return res.sendWebsocket(
                (in, out) -> {
                    sockets.opened();
                    // frames written in one event-loop turn leave in one flush (one syscall), not one each
                    out.withConnection(c -> c.channel()
                            .pipeline()
                            .addFirst(FLUSH_CONSOLIDATION, new FlushConsolidationHandler(256, true)));
                    Disposable stallWatch = sub.onStalled().subscribe(null, null, () -> closeStalled(out));
                    Flux<WebSocketFrame> frames = sub.frames().map(f -> codec.encode(f, sub, format, out.alloc()));
                    return out.sendObject(Flux.concat(Mono.fromSupplier(() -> new TextWebSocketFrame(header)), frames))
                            .then()
                            .then(Mono.defer(() -> sub.closedForStall() ? Mono.<Void>empty() : closeFor(out, session)))
                            .onErrorResume(e -> Mono.empty())
                            .doFinally(sig -> {
                                stallWatch.dispose();
                                sockets.closed();
                            });
                },
                spec);
    }

    /**
     * Closes a stalled reader with 1008. Its socket may be full: if the close frame has not gone
     * out within the stall budget, the connection is dropped.
     */
    private void closeStalled(WebsocketOutbound out) {
        long budget = config.backpressure().losslessStallMs();
        out.sendClose(CLOSE_POLICY, "lossless subscriber stalled longer than " + budget + " ms")
                .timeout(Duration.ofMillis(Math.max(1000, budget)))
                .onErrorResume(e -> Mono.fromRunnable(() -> out.withConnection(Connection::dispose)))
                .subscribe();
    }

    static Mono<Void> closeFor(WebsocketOutbound out, Session session) {
        boolean shutdown = session.closeReason().equals(NeurofluxServer.SHUTDOWN_REASON);
        return out.sendClose(shutdown ? CLOSE_GOING_AWAY : CLOSE_NORMAL, session.closeReason());
    }
}
