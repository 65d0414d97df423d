package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroflux.config.ConfigLoader;
import reactor.core.scheduler.Schedulers;

/**
 * The web view in a real browser: the real server on 127.0.0.1 (port 0, demo session running),
 * Debian's headless Chromium opening {@code /}, and checks made through the page itself (its
 * {@code window.__neuroflux} counters, read with DevTools' Runtime.evaluate). A screenshot is kept
 * as target/webview/*.png. Skipped, with a message, where Chromium is not installed.
 */
@Tag("slow")
@Tag("browser")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WebViewBrowserTest {
    private static final Path OUT = Path.of("target", "webview");
    private static final int MIN_FRAMES = 96; // 1.5 s of the real-time demo per scheme
    private static final String TOKEN = "webview-secret";
    private NeurofluxServer server;
    private HeadlessChromium browser;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Path chromium = HeadlessChromium.executable();
        Assumptions.assumeTrue(
                chromium != null,
                "headless Chromium not found (/usr/bin/chromium, or NEUROFLUX_CHROMIUM=path; Debian: apt-get install chromium)"
                        + " or NEUROFLUX_CHROMIUM=none: web view browser test skipped");
        Map<String, String> env = new HashMap<>();
        env.put("NEUROFLUX_HOST", "127.0.0.1");
        env.put("NEUROFLUX_PORT", "0");
        env.put("NEUROFLUX_ALLOWED_ORIGINS", "http://other.example"); // the page's own origin must still pass
        env.put("NEUROFLUX_TOKEN", TOKEN); // needed to create sessions, not to watch them
        server = NeurofluxServer.start(ConfigLoader.load(null, env), Schedulers.parallel());
        base = "http://127.0.0.1:" + server.port();
        browser = HeadlessChromium.start(chromium, OUT.resolve("chromium.log"), 1500, 1150);
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.close();
        if (server != null) server.stop();
    }

    @Test
    void pageOpensTheDemoSessionAndPlotsFramesOfBothSchemes() throws Exception {
        browser.navigate(base + "/?auto=0");
        String demo = server.demoSessionId();
        String button = "document.querySelector('[data-open=\"" + demo + "\"]')";
        awaitTrue(button + " !== null", 15, "the session list shows the demo session");
        browser.evaluate(button + ".click()");
        JsonNode s = awaitFrames(MIN_FRAMES, 30);
        assertEquals(demo, s.get("session").asText());
        assertEquals("binary", s.get("format").asText());
        assertEquals(0, s.get("badFrames").asInt(), "every binary frame parsed: " + s.get("errors"));
        assertTrue(s.get("draws").asInt() > 10, "plots redrawn: " + s.get("draws"));
        assertEquals(2, s.path("header").path("schemes").size());
        // three uPlot charts per scheme column, each with its canvas
        assertEquals(
                6,
                browser.evaluate("document.querySelectorAll('.column .uplot canvas').length")
                        .asInt());
        assertTrue(browser.evaluate("document.querySelector('#stats').textContent")
                .asText()
                .contains("frames"));
        // smooth at the real-time rate: 2 x 64 frames/s, redrawn once per animation frame, not per frame
        long framesBefore = s.get("frames").get("active-inference").asLong()
                + s.get("frames").get("natural-gradient").asLong();
        long drawsBefore = s.get("draws").asLong();
        Thread.sleep(3000);
        JsonNode later = browser.evaluate("JSON.parse(JSON.stringify(window.__neuroflux))");
        long frames = later.get("frames").get("active-inference").asLong()
                + later.get("frames").get("natural-gradient").asLong()
                - framesBefore;
        long draws = later.get("draws").asLong() - drawsBefore;
        Files.writeString(OUT.resolve("page-stats.json"), later.toPrettyString());
        assertTrue(frames > 2 * 64 * 2, "about 384 frames in 3 s: " + frames);
        assertTrue(draws > 20 && draws < frames, "coalesced redraws: " + draws + " draws for " + frames + " frames");
        // the redraw cost is a measurement (written to page-stats.json and printed), not a wall-clock bound
        double drawMs = later.get("drawMsMean").asDouble();
        assertTrue(drawMs > 0 && Double.isFinite(drawMs), "the page measures its redraws: " + later.get("drawMsMean"));
        System.out.println("web view: mean redraw of the six plots " + drawMs + " ms");
        browser.screenshot(OUT.resolve("screenshot.png"));
        assertTrue(Files.size(OUT.resolve("screenshot.png")) > 20_000, "a screenshot with content");
        assertTrue(browser.problems.isEmpty(), "no console errors, exceptions or CSP violations: " + browser.problems);
    }

    @Test
    void jsonFormatPlotsTooAndALinkOpensASessionDirectly() throws Exception {
        browser.navigate(base + "/?session=" + server.demoSessionId() + "&format=json");
        JsonNode s = awaitFrames(MIN_FRAMES, 30);
        assertEquals("json", s.get("format").asText());
        assertEquals(0, s.get("badFrames").asInt(), "every JSON frame parsed: " + s.get("errors"));
        browser.evaluate("document.querySelector('#second').value = 'potential';"
                + "document.querySelector('#second').dispatchEvent(new Event('change'))");
        long before = browser.evaluate("window.__neuroflux.draws").asLong();
        awaitTrue(
                "window.__neuroflux.draws > " + (before + 5), 10, "plots keep redrawing after switching to potentials");
        browser.screenshot(OUT.resolve("screenshot-json-potential.png"));
        assertTrue(browser.problems.isEmpty(), "no console errors: " + browser.problems);
    }

    @Test
    void timeFrequencyPlotSubscribesToTheSpectralChannels() throws Exception {
        browser.navigate(base + "/?auto=0");
        String demo = server.demoSessionId();
        awaitTrue(
                "document.querySelector('[data-open=\"" + demo + "\"]') !== null",
                15,
                "the session list shows the demo session");
        browser.evaluate("document.querySelector('#second').value = 'tf';" + "document.querySelector('[data-open=\""
                + demo + "\"]').click()");
        JsonNode s = awaitFrames(MIN_FRAMES, 30);
        int tf = 0;
        for (JsonNode ch : s.path("header").path("channels"))
            if (ch.get("type").asText().equals("tf")) tf++;
        assertEquals(2 * 29, tf, "tf of both factors at 29 frequencies");
        // the image needs samples whose transform is complete: a few epochs in, some tf values are finite
        awaitTrue(
                "(() => { const h = window.__neuroflux.header; return h && h.channels.some(c => c.type === 'tf'); })()",
                5,
                "tf in the header");
        Thread.sleep(1500);
        browser.screenshot(OUT.resolve("screenshot-tf.png"));
        assertTrue(browser.problems.isEmpty(), "no console errors: " + browser.problems);
    }

    @Test
    void deepSessionPlotsBothTimescales() throws Exception {
        java.net.http.HttpResponse<String> created = WsClient.HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/sessions"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"oddball-sequence\",\"seed\":3}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        String id = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(created.body())
                .get("id")
                .asText();
        browser.navigate(base + "/?session=" + id);
        // the lower level's trial (many frames) nests in each epoch of the top level (16 frames)
        awaitTrue(
                "(() => { const l = (window.__neuroflux || {}).levelFrames || {};"
                        + " return (l[1] || 0) >= 32 && (l[2] || 0) >= 64; })()",
                40,
                "frames of both levels");
        JsonNode s = browser.evaluate("JSON.parse(JSON.stringify(window.__neuroflux))");
        assertEquals(0, s.get("badFrames").asInt(), "every frame parsed: " + s.get("errors"));
        assertTrue(
                s.get("levelFrames").get("2").asLong()
                        > s.get("levelFrames").get("1").asLong(),
                "more lower-level frames than top-level ones: " + s.get("levelFrames"));
        // per scheme column: rate, LFP, information length, and the lower level's rates
        assertEquals(
                8,
                browser.evaluate("document.querySelectorAll('.column .uplot canvas').length")
                        .asInt());
        assertTrue(browser.evaluate("document.querySelector('[data-title=lower]').hidden === false"
                        + " && document.querySelector('[data-title=lower]').textContent.includes('tones')")
                .asBoolean());
        Thread.sleep(1000);
        browser.screenshot(OUT.resolve("screenshot-deep.png"));
        assertTrue(browser.problems.isEmpty(), "no console errors: " + browser.problems);
    }

    @Test
    void formStartsAContinuousSessionWithTheTokenAndPlotsItsSamples() throws Exception {
        browser.navigate(base + "/?auto=0");
        awaitTrue("document.querySelectorAll('#model option').length > 0", 15, "the models are listed");
        String fill =
                "(() => { const f = document.querySelector('#create'); f.model.value = 'tmaze'; f.continuous.value = '256';"
                        + "f.seed.value = '7'; f.token.value = %s; f.querySelector('button[type=submit]').click(); })()";
        browser.evaluate(String.format(fill, "'wrong'"));
        awaitTrue(
                "document.querySelector('#create-message').classList.contains('error')",
                10,
                "a refused token is reported");
        assertTrue(browser.evaluate("document.querySelector('#create-message').textContent")
                .asText()
                .contains("bad token"));
        browser.evaluate(String.format(fill, "'" + TOKEN + "'"));
        awaitTrue(
                "(() => { const s = window.__neuroflux; return s.header !== null && s.session !== "
                        + quoted(server.demoSessionId()) + " && (s.frames['active-inference'] || 0) >= 384; })()",
                30,
                "1.5 s of 256 Hz samples from the new session");
        JsonNode s = browser.evaluate("JSON.parse(JSON.stringify(window.__neuroflux))");
        JsonNode integration = s.path("header").path("integration");
        assertEquals("adaptive", integration.path("method").asText());
        assertEquals(256.0, integration.path("sampleRateHz").asDouble());
        assertEquals(256.0, s.path("header").path("nominalRateHz").asDouble());
        assertEquals(1, s.path("header").path("schemes").size(), "one flow, drawn once");
        assertEquals(0, s.get("badFrames").asInt());
        assertEquals(
                3,
                browser.evaluate("document.querySelectorAll('.column:not(.inactive) .uplot').length")
                        .asInt());
        browser.screenshot(OUT.resolve("screenshot-continuous.png"));
        assertTrue(
                browser.problems.stream().allMatch(p -> p.contains("/api/sessions") && p.contains("403")),
                "no console errors but the refused POST: " + browser.problems);
    }

    private static String quoted(String s) {
        return "'" + s + "'";
    }

    /** Polls the page's counters until both schemes have at least n frames. */
    private JsonNode awaitFrames(int n, int seconds) throws Exception {
        String cond = "(() => { const f = (window.__neuroflux || {}).frames || {};"
                + " return (f['active-inference'] || 0) >= " + n + " && (f['natural-gradient'] || 0) >= " + n
                + "; })()";
        awaitTrue(cond, seconds, "both schemes received at least " + n + " frames");
        return browser.evaluate("JSON.parse(JSON.stringify(window.__neuroflux))");
    }

    private void awaitTrue(String expression, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (browser.evaluate(expression).asBoolean(false)) return;
            Thread.sleep(100);
        }
        JsonNode probe = browser.evaluate(
                "Promise.race([fetch('/api/sessions/' + (window.__neuroflux || {}).session, {cache: 'no-store'})"
                        + ".then(r => 'probe ' + r.status), new Promise(r => setTimeout(() => r('probe timed out'), 3000))])");
        JsonNode state =
                browser.evaluate("JSON.stringify({probe: " + probe.toString() + ", stats: window.__neuroflux || null,"
                        + " viewer: (document.querySelector('#viewer-sub') || {}).textContent,"
                        + " message: (document.querySelector('#create-message') || {}).textContent})");
        throw new AssertionError("timed out after " + seconds + " s waiting until " + what + "; page state " + state
                + "; problems " + browser.problems + "; requests not finished " + browser.pendingRequests.values());
    }
}
