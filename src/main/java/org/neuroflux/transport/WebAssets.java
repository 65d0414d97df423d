package org.neuroflux.transport;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The web view's static files: a fixed allow-list of URL paths, each mapped to one classpath
 * resource read once at startup. Nothing is resolved from the request path, so no path (with
 * {@code ..}, percent-encoding, backslashes or anything else) can reach another file: a path that
 * is not in the list is not served here. The raw request path is compared byte for byte, without
 * decoding or normalising.
 *
 * <p>The page's own files are revalidated on every load ({@code no-cache} plus an ETag, answered
 * with 304 when unchanged); uPlot's files sit under a versioned path and are cached for a year
 * ({@code immutable}). Every answer carries {@code X-Content-Type-Options: nosniff}; the page
 * itself a Content-Security-Policy that allows only this origin (scripts, styles, fetch and
 * WebSocket).
 */
final class WebAssets {
    /** uPlot's webjar version (pom.xml): its files are served under /webjars/uplot/VERSION/. */
    static final String UPLOT_VERSION = "1.6.30";

    private static final String UPLOT_DIST = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
    private static final String REVALIDATE = "no-cache";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String PAGE_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** One served file. */
    record Asset(byte[] body, String contentType, String cacheControl, String etag, boolean page) {}

    private final Map<String, Asset> assets;

    private WebAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** Reads every listed resource; fails at startup when one is missing from the classpath. */
    static WebAssets load() {
        Map<String, Asset> m = new LinkedHashMap<>();
        Asset index = read("web/index.html", "text/html; charset=utf-8", REVALIDATE, true);
        m.put("/", index);
        m.put("/index.html", index);
        m.put("/app.js", read("web/app.js", "text/javascript; charset=utf-8", REVALIDATE, false));
        m.put("/style.css", read("web/style.css", "text/css; charset=utf-8", REVALIDATE, false));
        m.put("/favicon.svg", read("web/favicon.svg", "image/svg+xml", REVALIDATE, false));
        String uplot = "/webjars/uplot/" + UPLOT_VERSION + "/";
        m.put(
                uplot + "uPlot.iife.min.js",
                read(UPLOT_DIST + "uPlot.iife.min.js", "text/javascript; charset=utf-8", IMMUTABLE, false));
        m.put(uplot + "uPlot.min.css", read(UPLOT_DIST + "uPlot.min.css", "text/css; charset=utf-8", IMMUTABLE, false));
        return new WebAssets(m);
    }

    private static Asset read(String resource, String contentType, String cacheControl, boolean page) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null)
                throw new IllegalStateException("web view resource missing from the classpath: " + resource);
            byte[] body = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
            return new Asset(body, contentType, cacheControl, etag, page);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The asset at exactly this raw path (query string ignored), or null. */
    Asset find(String uri) {
        int q = uri.indexOf('?');
        return assets.get(q < 0 ? uri : uri.substring(0, q));
    }

    /** Route predicate: GET or HEAD of a listed path. */
    boolean matches(HttpServerRequest req) {
        HttpMethod m = req.method();
        return (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD)) && find(req.uri()) != null;
    }

    /** Serves a listed path: 200 with the file, or 304 when the client's ETag is current. */
    Publisher<Void> serve(HttpServerRequest req, HttpServerResponse res) {
        Asset a = find(req.uri());
        if (a == null) return res.status(HttpResponseStatus.NOT_FOUND).send();
        res.header(HttpHeaderNames.CACHE_CONTROL, a.cacheControl())
                .header(HttpHeaderNames.ETAG, a.etag())
                .header("X-Content-Type-Options", "nosniff");
        if (a.page()) {
            res.header("Content-Security-Policy", PAGE_POLICY).header("Referrer-Policy", "no-referrer");
        }
        String match = req.requestHeaders().get(HttpHeaderNames.IF_NONE_MATCH);
        if (match != null && match.contains(a.etag()))
            return res.status(HttpResponseStatus.NOT_MODIFIED).send();
        res.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, a.contentType())
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(a.body().length));
        if (req.method().equals(HttpMethod.HEAD)) return res.send();
        return res.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(a.body())));
    }

    /** The listed paths (for tests and documentation). */
    Iterable<String> paths() {
        return assets.keySet();
    }
}
