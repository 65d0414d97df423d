package org.neuroflux.transport;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.neuroflux.config.NeurofluxConfig;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The bearer token, the allowed WebSocket origins and whether reads need the token. The token is read from
 * {@code Authorization: Bearer ...} or, for browsers that cannot set headers on a WebSocket,
 * from the {@code access_token} query parameter; it is compared in constant time.
 */
final class Security {
    private final byte[] token;
    private final List<String> origins;
    private final boolean protectReads;

    Security(NeurofluxConfig.SecurityConfig config) {
        this.token = config.tokenRequired() ? config.token().getBytes(StandardCharsets.UTF_8) : null;
        this.origins = List.copyOf(config.allowedOrigins());
        this.protectReads = config.protectReads();
    }

    /**
     * As {@link #authorise} for the read side (signal sockets, the session list and details,
     * /metrics): open unless {@code security.protectReads} is set.
     */
    int authoriseRead(HttpServerRequest req) {
        return protectReads ? authorise(req) : 0;
    }

    /** 0 when authorised, else the status to answer: 401 (no token), 403 (wrong token) or 400 (unreadable query string). */
    int authorise(HttpServerRequest req) {
        if (token == null) return 0;
        String presented = null;
        String header = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7))
            presented = header.substring(7).trim();
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
            case 400 -> Queries.MALFORMED;
            default -> "bad token";
        };
    }

    /**
     * Whether a browser's Origin may open a WebSocket: requests without Origin (non-browser clients)
     * pass, listed origins pass, and pages served by this server itself (Origin = the request's own
     * Host: the web view) pass only when that Host is an IP address or localhost. A host name alone
     * is never trusted: under DNS rebinding an attacker's name resolves to this server, and the
     * browser then sends Origin and Host both naming the attacker.
     */
    boolean originAllowed(HttpServerRequest req) {
        String origin = req.requestHeaders().get(HttpHeaderNames.ORIGIN);
        if (origin == null || origins.contains("*") || origins.contains(origin)) return true;
        String host = req.requestHeaders().get(HttpHeaderNames.HOST);
        if (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host))) return false;
        return isAddressOrLocalhost(host);
    }

    /** True for 127.0.0.1, [::1], 10.0.0.7:8080, localhost:8080: names a rebinding attack cannot take over. */
    static boolean isAddressOrLocalhost(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) return h.indexOf(']') > 0; // an IPv6 literal
        int colon = h.lastIndexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        return h.equals("localhost") || h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
