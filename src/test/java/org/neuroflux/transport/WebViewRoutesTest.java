package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroflux.config.ConfigLoader;
import reactor.core.scheduler.Schedulers;

/**
 * The web view's static routes over a raw socket, so request paths reach the server byte for byte
 * (no client-side normalisation of {@code ..} or percent-escapes).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebViewRoutesTest {
    private NeurofluxServer server;

    @BeforeEach
    void start() {
        Map<String, String> env = new HashMap<>();
        env.put("NEUROFLUX_HOST", "127.0.0.1");
        env.put("NEUROFLUX_PORT", "0");
        env.put("NEUROFLUX_DEMO_ENABLED", "false");
        server = NeurofluxServer.start(ConfigLoader.load(null, env), Schedulers.parallel());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Status, lower-cased headers and body of one HTTP/1.1 exchange. */
    private record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Answer raw(String method, String target, String... headers) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + server.port() + "\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2)
                req.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            byte[] bytes = all.toByteArray();
            int split = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = new String(bytes, 0, split, StandardCharsets.US_ASCII);
            String[] lines = head.split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                h.put(
                        lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(c + 1).trim());
            }
            byte[] body = java.util.Arrays.copyOfRange(bytes, split + 4, bytes.length);
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), h, body);
        }
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i <= a.length - b.length; i++) {
            for (int j = 0; j < b.length; j++) if (a[i + j] != b[j]) continue outer;
            return i;
        }
        throw new AssertionError("no end of headers");
    }

    @Test
    void pageIsServedWithHtmlTypeRevalidationAndAStrictPolicy() throws Exception {
        Answer a = raw("GET", "/");
        assertEquals(200, a.status());
        assertEquals("text/html; charset=utf-8", a.headers().get("content-type"));
        assertEquals("no-cache", a.headers().get("cache-control"));
        assertEquals("nosniff", a.headers().get("x-content-type-options"));
        assertTrue(a.headers().get("content-security-policy").contains("script-src 'self'"));
        assertTrue(a.text().contains("/webjars/uplot/" + WebAssets.UPLOT_VERSION + "/uPlot.iife.min.js"));
        assertEquals(a.text(), raw("GET", "/index.html").text());
        assertEquals(
                "text/javascript; charset=utf-8",
                raw("GET", "/app.js").headers().get("content-type"));
        assertEquals(
                "text/css; charset=utf-8", raw("GET", "/style.css").headers().get("content-type"));
        assertEquals("image/svg+xml", raw("GET", "/favicon.svg").headers().get("content-type"));
        assertEquals(200, raw("GET", "/?session=abc&format=json").status(), "query strings are ignored");
    }

    @Test
    void uplotComesFromItsWebjarAsJavaScriptCachedForAYear() throws Exception {
        String js = "/webjars/uplot/" + WebAssets.UPLOT_VERSION + "/uPlot.iife.min.js";
        Answer a = raw("GET", js);
        assertEquals(200, a.status());
        assertEquals("text/javascript; charset=utf-8", a.headers().get("content-type"));
        assertEquals("public, max-age=31536000, immutable", a.headers().get("cache-control"));
        try (InputStream in = getClass()
                .getClassLoader()
                .getResourceAsStream(
                        "META-INF/resources/webjars/uplot/" + WebAssets.UPLOT_VERSION + "/dist/uPlot.iife.min.js")) {
            assertTrue(java.util.Arrays.equals(in.readAllBytes(), a.body()), "the webjar's file, byte for byte");
        }
        Answer css = raw("GET", "/webjars/uplot/" + WebAssets.UPLOT_VERSION + "/uPlot.min.css");
        assertEquals("text/css; charset=utf-8", css.headers().get("content-type"));
        // conditional GET: the ETag revalidates with 304 and no body
        Answer again = raw("GET", js, "If-None-Match", a.headers().get("etag"));
        assertEquals(304, again.status());
        assertEquals(0, again.body().length);
        Answer head = raw("HEAD", js);
        assertEquals(200, head.status());
        assertEquals(Integer.toString(a.body().length), head.headers().get("content-length"));
        assertEquals(0, head.body().length);
    }

    @Test
    void pathsOutsideTheListAreRefusedWhateverTheirSpelling() throws Exception {
        String[] attempts = {
            "/../pom.xml",
            "/%2e%2e/pom.xml",
            "/%2E%2E/pom.xml",
            "/%2e%2e%2fpom.xml",
            "/..%2fpom.xml",
            "/..%5cpom.xml",
            "/..\\pom.xml",
            "/./app.js/../../pom.xml",
            "/web/../../pom.xml",
            "/web/index.html",
            "/web/app.js",
            "/webjars/uplot/" + WebAssets.UPLOT_VERSION + "/../../../../pom.xml",
            "/webjars/uplot/" + WebAssets.UPLOT_VERSION + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pom.xml",
            "/webjars/uplot/" + WebAssets.UPLOT_VERSION + "/package.json",
            "/webjars/uplot/" + WebAssets.UPLOT_VERSION + "/dist/uPlot.iife.min.js",
            "/META-INF/resources/webjars/uplot/" + WebAssets.UPLOT_VERSION + "/dist/uPlot.iife.min.js",
            "/logback.xml",
            "/org/neuroflux/pipeline/tmaze-spm.json",
            "/models/tmaze.yaml",
            "//etc/passwd",
            "/app.js%00.html",
            "/APP.JS",
            "/app.js/",
            "/%61pp.js",
        };
        for (String path : attempts) {
            Answer a = raw("GET", path);
            assertEquals(404, a.status(), path);
            assertFalse(a.text().contains("<project"), "no pom.xml content for " + path);
            assertFalse(a.text().contains("<configuration"), "no logback.xml content for " + path);
        }
        assertEquals(404, raw("POST", "/app.js").status(), "only GET and HEAD serve files");
    }
}
