package org.neuroflux.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.metrics.RejectReason;
import org.neuroflux.pipeline.BadRequestException;
import org.neuroflux.pipeline.Observation;
import org.neuroflux.pipeline.ObservationDecoder;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SourceType;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The observations socket of client sessions (docs/protocol.md, "WebSocket: observations"): one
 * JSON message per epoch, answered with an ack or an error naming the {@link RejectReason}.
 */
final class IngestSocket {
    private final NeurofluxConfig config;
    private final SessionRegistry registry;
    private final Security security;
    private final SocketCount sockets;
    private final IngestGate ingest;

    IngestSocket(NeurofluxConfig config, SessionRegistry registry, Security security, SocketCount sockets) {
        this.config = config;
        this.registry = registry;
        this.security = security;
        this.sockets = sockets;
        this.ingest = new IngestGate(
                config.limits().maxIngestSocketsPerSession(), config.limits().ingestMessagesPerSecond());
    }

    private volatile ClusterRouting cluster;

    void useCluster(ClusterRouting routing) {
        cluster = routing;
    }

    Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        Session session = registry.get(req.param("id"));
        ClusterRouting routing = cluster;
        // cluster mode: observations of a session run elsewhere go to the observations topic
        if (session == null && routing != null) session = routing.remote(req.param("id"));
        Session target = session;
        if (session == null) return Http.error(res, 404, "no session " + req.param("id"));
        Publisher<Void> refused = Http.refuseUnauthorised(security, req, res, null);
        if (refused == null) refused = Http.refuseUpgrade(security, req, res);
        if (refused != null) return refused;
        Map<String, List<String>> params;
        try {
            params = Queries.parse(req.uri());
        } catch (BadRequestException e) {
            return Http.error(res, e.status(), e.problems());
        }
        for (String k : params.keySet())
            if (!k.equals("access_token")) return Http.error(res, 400, k + ": unknown parameter");
        if (session.spec().source() != SourceType.CLIENT)
            return Http.error(
                    res,
                    400,
                    "session " + session.id() + " has a "
                            + session.spec().source().label() + " source; only client sessions take observations");
        ObservationDecoder decoder = session.observationDecoder();
        IngestGate.Ticket ticket = ingest.open(session.id());
        if (ticket == null)
            return Http.error(
                    res,
                    429,
                    "session " + session.id() + " has " + ingest.maxSockets()
                            + " observation sockets open (limits.maxIngestSocketsPerSession)");
        RateLimiter limiter = ticket.limiter();
        int maxBytes = config.limits().maxMessageBytes();
        int hardMax = maxBytes * 4; // above this netty closes with 1009; between the two we answer with an error
        WebsocketServerSpec spec =
                WebsocketServerSpec.builder().maxFramePayloadLength(hardMax).build();
        return res.sendWebsocket(
                        (in, out) -> {
                            sockets.opened();
                            in.withConnection(c -> StrictFrames.apply(c, hardMax));
                            // after the aggregator: its close-while-aggregating is the client's doing
                            in.aggregateFrames(hardMax).withConnection(c -> ClientResets.install(c.channel()));
                            Flux<String> replies = in.receiveFrames()
                                    // cluster mode: every observation goes through the observations topic,
                                    // the owner's too, so a new owner applies each acknowledged one exactly once
                                    .concatMap(frame -> routing != null
                                            ? forward(frame, target, decoder, limiter, maxBytes, routing)
                                            : Mono.just(reply(frame, target, decoder, limiter, maxBytes)))
                                    // no reply to a pong (reactor-netty releases the frames themselves)
                                    .filter(reply -> !reply.isEmpty());
                            // The session's end sends its own close code (1001 at shutdown); the client's
                            // answering close then ends the inbound. Cancelling the inbound instead would close
                            // with no status (1005). The close is sent from the connection's event loop, like
                            // every other write of this socket.
                            EventLoop[] loop = {null};
                            in.withConnection(c -> loop[0] = c.channel().eventLoop());
                            Disposable closer = target.onClose()
                                    .subscribe(
                                            null,
                                            e -> {},
                                            () -> loop[0].execute(() -> SignalSocket.closeFor(out, target)
                                                    .subscribe(null, e -> {})));
                            return out.sendString(replies)
                                    .then()
                                    .onErrorResume(e -> Mono.empty())
                                    .doFinally(sig -> {
                                        closer.dispose();
                                        sockets.closed();
                                        ticket.release();
                                    });
                        },
                        spec)
                .doOnError(e -> ticket.release()); // the upgrade failed: the handler never runs
    }

    /**
     * Cluster mode (a session run here or elsewhere): the message is checked here exactly as for a
     * local session, then written to the observations topic; the ack (with the record's offset) comes
     * only once the broker has it, and a broker failure is an error reply: nothing was accepted.
     */
    private Mono<String> forward(
            WebSocketFrame frame,
            Session session,
            ObservationDecoder decoder,
            RateLimiter limiter,
            int maxBytes,
            ClusterRouting routing) {
        if (frame instanceof PongWebSocketFrame) return Mono.just("");
        JsonNode[] id = {null};
        Observation observation;
        try {
            observation = check(frame, session, decoder, limiter, maxBytes, id);
        } catch (ObservationDecoder.Rejected r) {
            return Mono.just(rejected(session, id[0], r));
        }
        return Mono.fromFuture(() -> routing.observe(session.id(), observation))
                .map(offset -> {
                    Map<String, Object> ack = new LinkedHashMap<>();
                    ack.put("type", "ack");
                    if (id[0] != null) ack.put("id", id[0]);
                    ack.put("offset", offset);
                    return Http.write(ack);
                })
                .onErrorResume(e -> Mono.just(rejected(
                        session,
                        id[0],
                        new ObservationDecoder.Rejected(
                                RejectReason.UNAVAILABLE,
                                "the broker did not acknowledge the observation: " + e.getMessage()))));
    }

    private static String rejected(Session session, JsonNode id, ObservationDecoder.Rejected r) {
        session.countRejected(r.reason());
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("type", "error");
        if (id != null) err.put("id", id);
        err.put("code", r.reason().tag());
        err.put("reason", r.getMessage());
        return Http.write(err);
    }

    /** Every check of an ingest message, in order; the message's client id goes to {@code id[0]} once read. */
    private Observation check(
            WebSocketFrame frame,
            Session session,
            ObservationDecoder decoder,
            RateLimiter limiter,
            int maxBytes,
            JsonNode[] id)
            throws ObservationDecoder.Rejected {
        if (frame instanceof BinaryWebSocketFrame)
            throw new ObservationDecoder.Rejected(
                    RejectReason.MALFORMED, "binary messages are not accepted: send JSON text");
        if (!(frame instanceof TextWebSocketFrame))
            throw new ObservationDecoder.Rejected(
                    RejectReason.MALFORMED,
                    "unexpected frame " + frame.getClass().getSimpleName());
        ByteBuf content = frame.content();
        if (content.readableBytes() > maxBytes)
            throw new ObservationDecoder.Rejected(
                    RejectReason.TOO_LARGE,
                    "message too large: " + content.readableBytes() + " bytes, limit " + maxBytes);
        if (!limiter.tryAcquire())
            throw new ObservationDecoder.Rejected(
                    RejectReason.RATE_LIMIT,
                    "rate limit exceeded: at most " + config.limits().ingestMessagesPerSecond()
                            + " messages per second per session");
        JsonNode node = decoder.parse(content.toString(StandardCharsets.UTF_8));
        id[0] = ObservationDecoder.id(node);
        Observation observation = decoder.decode(node);
        if (session.closing()) throw new ObservationDecoder.Rejected(RejectReason.CLOSING, "session is closing");
        return observation;
    }

    private String reply(
            WebSocketFrame frame, Session session, ObservationDecoder decoder, RateLimiter limiter, int maxBytes) {
        long arrived = session.nanos();
        if (frame instanceof PongWebSocketFrame)
            return ""; // an unsolicited pong is a heartbeat (RFC 6455 5.5.3), not an observation
        JsonNode[] id = {null};
        try {
            Observation observation = check(frame, session, decoder, limiter, maxBytes, id);
            Session.Accepted accepted = session.offer(observation, arrived);
            if (accepted == null)
                throw new ObservationDecoder.Rejected(
                        RejectReason.QUEUE_FULL,
                        "ingest queue full (" + config.limits().ingestQueue() + " observations waiting): slow down");
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("type", "ack");
            if (id[0] != null) ack.put("id", id[0]);
            ack.put("index", accepted.index());
            ack.put("trial", accepted.trial());
            ack.put("epoch", accepted.epoch());
            return Http.write(ack);
        } catch (ObservationDecoder.Rejected r) {
            return rejected(session, id[0], r);
        }
    }
}
