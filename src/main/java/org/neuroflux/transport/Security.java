package org.neuroflux.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.neuroflux.config.NeurofluxConfig;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The bearer token and the allowed WebSocket origins. The token is read from
 * {@code Authorization: Bearer ...} or, for browsers that cannot set headers on a WebSocket,
 * from the {@code access_token} query parameter; it is compared in constant time.
 */
final class Security {
    private final byte[] token;
    private final List<String> origins;

    Security(NeurofluxConfig.SecurityConfig config) {
        this.token = config.tokenRequired() ? config.token().getBytes(StandardCharsets.UTF_8) : null;
        this.origins = List.copyOf(config.allowedOrigins());
    }

    /** 0 when authorised, else the status to answer: 401 (no token), 403 (wrong token) or 400 (unreadable query string). */
    int authorise(HttpServerRequest req) {
        if (token == null) return 0;
        String presented = null;
        String header = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) presented = header.substring(7).trim();
        if (presented == null) {
            Map<String, List<String>> params = Queries.parseOrNull(req.uri());
            if (params == null) return 400;
            List<String> q = params.get("access_token");
            if (q != null && !q.isEmpty()) presented = q.get(0);
        }
        if (presented == null || presented.isEmpty()) return 401;
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8)) ? 0 : 403;
    }

    /** The message of a refusal by {@link #authorise}. */
    static String refusal(int status) {
        return switch (status) {
            case 401 -> "bearer token required";
            case 400 -> "query string: malformed percent-encoding; write %XX with two hex digits (a literal % is %25)";
            default -> "bad token";
        };
    }

    /**
     * Whether a browser's Origin may open a WebSocket: requests without Origin (non-browser clients)
     * pass, and so do pages served by this server itself (Origin = the request's own Host: the web view).
     */
    boolean originAllowed(HttpServerRequest req) {
        String origin = req.requestHeaders().get(HttpHeaderNames.ORIGIN);
        if (origin == null || origins.contains("*")) return true;
        String host = req.requestHeaders().get(HttpHeaderNames.HOST);
        if (host != null && (origin.equals("http://" + host) || origin.equals("https://" + host))) return true;
        return origins.contains(origin);
    }
}
