package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.neuroflux.metrics.NeurofluxMeters;

/**
 * GET /metrics of a real server with sessions running: the catalogue's contract (every meter, its
 * documented Prometheus name, unit suffix, type and tags), content negotiation, bounded tags, and
 * every metric the dashboards query present in the scrape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MetricsEndpointTest {
    private static final Pattern METRIC =
            Pattern.compile("\\b((?:neuroflux|reactor_netty|jvm|process|system)_[a-z0-9_]+)");
    private MetricsTraffic traffic;

    @BeforeAll
    void start() throws Exception {
        traffic = new MetricsTraffic();
    }

    @AfterAll
    void stop() throws Exception {
        if (traffic != null) traffic.close();
    }

    /** Scrapes until the condition on the scrape holds (bounded), then returns that scrape. */
    private ScrapeText scrapeUntil(java.util.function.Predicate<ScrapeText> ready, String what) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        ScrapeText s = new ScrapeText(traffic.scrape());
        while (!ready.test(s)) {
            if (System.nanoTime() > deadline) throw new AssertionError("within 30 s: " + what);
            Thread.sleep(200);
            s = new ScrapeText(traffic.scrape());
        }
        return s;
    }

    @Test
    void everyCatalogueMeterAppearsWithItsDocumentedNameUnitTypeAndTags() throws Exception {
        ScrapeText s = scrapeUntil(
                x -> x.sum("neuroflux_trial_information_length_count") > 0
                        && x.sum("neuroflux_ingest_latency_seconds_count") > 0
                        && x.sum("neuroflux_observations_rejected_total") > 0,
                "a trial, an ingest latency and a rejection");
        for (NeurofluxMeters m : NeurofluxMeters.values()) {
            String name = m.prometheusName();
            if (m.baseUnit() != null) assertTrue(name.endsWith("_" + m.baseUnit()), name + " ends in its unit");
            String family = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
            String expectedType = switch (m.type()) {
                case COUNTER -> "counter";
                case GAUGE -> "gauge";
                case SUMMARY -> "summary";
                case HISTOGRAM, TIMER -> "histogram";
            };
            String type = s.types.containsKey(name) ? s.types.get(name) : s.types.get(family);
            assertEquals(expectedType, type, "# TYPE of " + name);
            for (String series : m.prometheusSeries()) {
                List<ScrapeText.Sample> samples = s.named(series);
                assertFalse(samples.isEmpty(), m + ": no series " + series + " in the scrape");
                for (ScrapeText.Sample sample : samples) {
                    Set<String> keys = new TreeSet<>(sample.labels().keySet());
                    keys.remove("le");
                    Set<String> expected = new TreeSet<>(m.tagKeys());
                    expected.add("app");
                    assertEquals(expected, keys, series + " tags");
                    assertEquals("neuroflux", sample.labels().get("app"));
                }
            }
        }
    }

    @Test
    void theMetersCarryTheTrafficTheyDescribe() throws Exception {
        ScrapeText s = scrapeUntil(
                x -> x.sum("neuroflux_frames_dropped_total", "reason", "closed") > 0
                        && x.sum("neuroflux_observations_received_total", "model", "tmaze") > 0
                        && x.sum("neuroflux_observations_rejected_total", "reason", "shape") > 0
                        && x.sum("neuroflux_observations_rejected_total", "reason", "malformed") > 0
                        && x.sum("neuroflux_ingest_latency_seconds_count") > 0,
                "drops, observations, rejections and ingest latency");
        assertTrue(s.sum("neuroflux_frames_dropped_total", "reason", "buffer-full") > 0, "the slow subscriber's drops");
        assertTrue(s.sum("neuroflux_sessions_active") >= 2, "demo and client sessions");
        assertTrue(s.sum("neuroflux_subscribers") >= 2);
        assertTrue(s.sum("neuroflux_pacing_lag_seconds_count") > 0);
        for (String scheme : List.of("active-inference", "natural-gradient")) {
            assertTrue(s.sum("neuroflux_frames_emitted_total", "scheme", scheme) > 0);
            assertTrue(s.sum("neuroflux_belief_update_seconds_count", "scheme", scheme) > 0);
            assertTrue(s.sum("neuroflux_epoch_efficiency_count", "scheme", scheme) > 0);
            assertTrue(s.sum("neuroflux_precision_count", "scheme", scheme) > 0);
        }
    }

    @Test
    void informationLengthGrowsForBothSchemes() throws Exception {
        ScrapeText before = new ScrapeText(traffic.scrape());
        Thread.sleep(1500);
        ScrapeText after = new ScrapeText(traffic.scrape());
        for (String scheme : List.of("active-inference", "natural-gradient")) {
            double a = before.sum("neuroflux_information_length_total", "scheme", scheme, "model", "tmaze");
            double b = after.sum("neuroflux_information_length_total", "scheme", scheme, "model", "tmaze");
            assertTrue(b > a, scheme + ": information length grew from " + a + " to " + b);
            assertEquals(
                    2,
                    after.named("neuroflux_information_length_total").stream()
                            .filter(x -> x.labels().get("scheme").equals(scheme)
                                    && x.labels().get("model").equals("tmaze"))
                            .count(),
                    "one series per factor");
        }
    }

    @Test
    void answersOpenMetricsWhenAskedAndPrometheusTextOtherwise() throws Exception {
        HttpResponse<String> om = traffic.get(
                "/metrics", "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        assertEquals(200, om.statusCode());
        assertTrue(om.headers()
                .firstValue("content-type")
                .orElse("")
                .startsWith("application/openmetrics-text; version=1.0.0"));
        assertTrue(om.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(om.body().contains("neuroflux_information_length_total{"));
        HttpResponse<String> text = traffic.get("/metrics");
        assertTrue(text.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertFalse(text.body().contains("# EOF"));
    }

    @Test
    void tagsStayBoundedNoSessionIdAndTemplatedUris() throws Exception {
        traffic.get("/api/sessions/" + traffic.clientSession);
        traffic.get("/api/sessions/no-such-session-" + System.nanoTime());
        traffic.get("/random/" + System.nanoTime());
        String body = traffic.scrape();
        assertFalse(body.contains(traffic.clientSession), "no session id in any tag");
        assertFalse(body.contains(traffic.server.demoSessionId()), "no session id in any tag");
        ScrapeText s = new ScrapeText(body);
        Set<String> uris = new TreeSet<>();
        for (ScrapeText.Sample x : s.samples)
            if (x.name().startsWith("reactor_netty_http_server") && x.labels().containsKey("uri"))
                uris.add(x.labels().get("uri"));
        Set<String> allowed = Set.of(
                "http",
                "/",
                "/health",
                "/metrics",
                "/api/models",
                "/api/sessions",
                "/api/sessions/{id}",
                "/ws/sessions/{id}/signals",
                "/ws/sessions/{id}/observations",
                "/other");
        assertTrue(allowed.containsAll(uris), "uri tags " + uris);
        assertTrue(uris.contains("/api/sessions/{id}") && uris.contains("/other"), "uri tags " + uris);
    }

    @Test
    void jvmProcessAndReactorNettyMetersAreThere() throws Exception {
        ScrapeText s = scrapeUntil(
                x -> x.has("reactor_netty_http_server_response_time_seconds_bucket"), "reactor-netty meters");
        for (String name : List.of(
                "jvm_memory_used_bytes",
                "jvm_threads_live_threads",
                "jvm_gc_memory_allocated_bytes_total",
                "process_cpu_usage",
                "process_uptime_seconds",
                "system_cpu_count",
                "reactor_netty_http_server_connections_active")) assertTrue(s.has(name), name);
    }

    @Test
    void everyMetricTheDashboardsQueryIsInTheScrape() throws Exception {
        ScrapeText s = scrapeUntil(
                x -> x.has("reactor_netty_http_server_response_time_seconds_bucket"), "reactor-netty meters");
        Set<String> missing = new TreeSet<>();
        int found = 0;
        try (var files = Files.list(Path.of("grafana/dashboards"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (String expr : DashboardFiles.expressions(file)) {
                    Matcher m = METRIC.matcher(expr);
                    while (m.find()) {
                        found++;
                        if (!s.has(m.group(1))) missing.add(m.group(1));
                    }
                }
            }
        }
        assertTrue(found > 20, "the dashboards query metrics");
        assertTrue(missing.isEmpty(), "queried by a dashboard but not in the scrape: " + missing);
    }
}
