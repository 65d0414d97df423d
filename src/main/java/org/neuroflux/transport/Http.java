package org.neuroflux.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** JSON answers, error bodies and the checks every handler shares (token, origin, upgrade). */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    private Http() {}

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Publisher<Void> json(HttpServerResponse res, int status, Object body) {
        return res.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(write(body)))
                .then();
    }

    static Publisher<Void> error(HttpServerResponse res, int status, String problem) {
        return error(res, status, List.of(problem));
    }

    static Publisher<Void> error(HttpServerResponse res, int status, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", problems.get(0));
        body.put("problems", problems);
        return json(res, status, body);
    }

    /**
     * The one authorisation check: null when the request may go on, else the 401/403 answer.
     * {@code what} says what needs the token, for the error message.
     */
    static Publisher<Void> refuseUnauthorised(
            Security security, HttpServerRequest req, HttpServerResponse res, String what) {
        int status = security.authorise(req);
        if (status == 0) return null;
        return error(res, status, Security.refusal(status) + (what == null ? "" : " (" + what + ")"));
    }

    /** As {@link #refuseUnauthorised} for reads, which need the token only under security.protectReads. */
    static Publisher<Void> refuseUnauthorisedRead(Security security, HttpServerRequest req, HttpServerResponse res) {
        int status = security.authoriseRead(req);
        return status == 0 ? null : error(res, status, Security.refusal(status));
    }

    /** Null when a WebSocket request passes the origin and upgrade checks, else the answer. */
    static Publisher<Void> refuseUpgrade(Security security, HttpServerRequest req, HttpServerResponse res) {
        if (!security.originAllowed(req)) return error(res, 403, "origin not allowed");
        String upgrade = req.requestHeaders().get(HttpHeaderNames.UPGRADE);
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket"))
            return error(res, 400, "expected a WebSocket upgrade");
        return null;
    }

    static String rawPath(String uri) {
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }
}
