package org.neuroflux.transport;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroflux.config.NeurofluxConfig;
import org.neuroflux.metrics.RejectReason;
import org.neuroflux.pipeline.Observation;
import org.neuroflux.pipeline.ObservationDecoder;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SourceType;
import org.reactivestreams.Publisher;
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

    IngestSocket(NeurofluxConfig config, SessionRegistry registry, Security security, SocketCount sockets) {
        this.config = config;
        this.registry = registry;
        this.security = security;
        this.sockets = sockets;
    }

    Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        Session session = registry.get(req.param("id"));
        if (session == null) return Http.error(res, 404, "no session " + req.param("id"));
        Publisher<Void> refused = Http.refuseUnauthorised(security, req, res, null);
        if (refused == null) refused = Http.refuseUpgrade(security, req, res);
        if (refused != null) return refused;
        Map<String, List<String>> params = new QueryStringDecoder(req.uri()).parameters();
        for (String k : params.keySet()) if (!k.equals("access_token")) return Http.error(res, 400, k + ": unknown parameter");
        if (session.spec().source() != SourceType.CLIENT)
            return Http.error(res, 400, "session " + session.id() + " has a " + session.spec().source().label() + " source; only client sessions take observations");
        ObservationDecoder decoder = session.observationDecoder();
        RateLimiter limiter = new RateLimiter(config.limits().ingestMessagesPerSecond());
        int maxBytes = config.limits().maxMessageBytes();
        int hardMax = maxBytes * 4; // above this netty closes with 1009; between the two we answer with an error
        WebsocketServerSpec spec = WebsocketServerSpec.builder().maxFramePayloadLength(hardMax).build();
        return res.sendWebsocket((in, out) -> {
            sockets.opened();
            Flux<String> replies = in.aggregateFrames(hardMax).receiveFrames()
                    .map(frame -> reply(frame, session, decoder, limiter, maxBytes))
                    .takeUntilOther(session.onClose());
            return out.sendString(replies)
                    .then()
                    .then(Mono.defer(() -> session.closing() ? SignalSocket.closeFor(out, session) : Mono.<Void>empty()))
                    .onErrorResume(e -> Mono.empty())
                    .doFinally(sig -> sockets.closed());
        }, spec);
    }

    private String reply(WebSocketFrame frame, Session session, ObservationDecoder decoder, RateLimiter limiter, int maxBytes) {
        JsonNode id = null;
        long arrived = session.nanos();
        try {
            if (frame instanceof BinaryWebSocketFrame) throw new ObservationDecoder.Rejected(RejectReason.MALFORMED, "binary messages are not accepted: send JSON text");
            if (!(frame instanceof TextWebSocketFrame)) throw new ObservationDecoder.Rejected(RejectReason.MALFORMED, "unexpected frame " + frame.getClass().getSimpleName());
            ByteBuf content = frame.content();
            if (content.readableBytes() > maxBytes)
                throw new ObservationDecoder.Rejected(RejectReason.TOO_LARGE, "message too large: " + content.readableBytes() + " bytes, limit " + maxBytes);
            if (!limiter.tryAcquire())
                throw new ObservationDecoder.Rejected(RejectReason.RATE_LIMIT, "rate limit exceeded: at most " + config.limits().ingestMessagesPerSecond() + " messages per second");
            JsonNode node = decoder.parse(content.toString(StandardCharsets.UTF_8));
            id = node.get("id");
            Observation observation = decoder.decode(node);
            if (session.closing()) throw new ObservationDecoder.Rejected(RejectReason.CLOSING, "session is closing");
            Session.Accepted accepted = session.offer(observation, arrived);
            if (accepted == null)
                throw new ObservationDecoder.Rejected(RejectReason.QUEUE_FULL, "ingest queue full (" + config.limits().ingestQueue() + " observations waiting): slow down");
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("type", "ack");
            if (id != null) ack.put("id", id);
            ack.put("index", accepted.index());
            ack.put("trial", accepted.trial());
            ack.put("epoch", accepted.epoch());
            return Http.write(ack);
        } catch (ObservationDecoder.Rejected r) {
            session.countRejected(r.reason());
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("type", "error");
            if (id != null) err.put("id", id);
            err.put("code", r.reason().tag());
            err.put("reason", r.getMessage());
            return Http.write(err);
        }
    }
}
