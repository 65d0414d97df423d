package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A real Prometheus (Debian's package) scrapes a real server running sessions, with the shipped
 * config/prometheus.yml (only the target and the intervals rewritten), and every query of the
 * shipped dashboards returns data through Prometheus's HTTP API, as do the dashboards' variables.
 * Everything listens on 127.0.0.1; Prometheus is started here and stopped after the class.
 */
@Tag("slow")
@Tag("prometheus")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PrometheusDashboardTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)$");
    private static final int SCRAPES = 5;

    private MetricsTraffic traffic;
    private Path dir;
    private Process prometheus;
    private String api;

    private static Path binary() {
        return binary("prometheus");
    }

    private static Path binary(String name) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    @BeforeAll
    void start() throws Exception {
        Path bin = binary();
        assumeTrue(
                bin != null,
                "prometheus is not installed (Debian package 'prometheus'): "
                        + "the dashboards' queries were not run against a real Prometheus");
        traffic = new MetricsTraffic();
        dir = Files.createTempDirectory("neuroflux-prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config, testConfig(Files.readString(Path.of("config/prometheus.yml")), traffic.server.port()));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        api = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder(
                        bin.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (scrapes() < SCRAPES) {
            if (!prometheus.isAlive())
                throw new AssertionError("prometheus exited " + prometheus.exitValue() + ":\n" + log());
            if (System.nanoTime() > deadline)
                throw new AssertionError("prometheus did not scrape " + SCRAPES + " times within 60 s:\n" + log());
            Thread.sleep(500);
        }
    }

    /** The shipped configuration with the service target rewritten to the test server and 1 s intervals. */
    static String testConfig(String shipped, int serverPort) throws IOException {
        ObjectNode root = (ObjectNode) YAML.readTree(shipped);
        ObjectNode global = (ObjectNode) root.get("global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        JsonNode job = null;
        for (JsonNode j : root.get("scrape_configs"))
            if (j.path("job_name").asText().equals("neuroflux")) job = j;
        if (job == null) throw new AssertionError("config/prometheus.yml has no job 'neuroflux'");
        ArrayNode targets = (ArrayNode) job.get("static_configs").get(0).get("targets");
        assertEquals(1, targets.size(), "one neuroflux target");
        targets.removeAll().add("127.0.0.1:" + serverPort);
        return YAML.writeValueAsString(root);
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS))
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (traffic != null) traffic.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private JsonNode get(String pathAndQuery) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(api + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        HttpResponse<String> r = WsClient.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError(pathAndQuery + " -> " + r.statusCode() + " " + r.body());
        return DashboardFiles.JSON.readTree(r.body());
    }

    private JsonNode query(String promql) throws Exception {
        JsonNode r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertEquals("success", r.path("status").asText(), promql + ": " + r);
        return r.path("data").path("result");
    }

    /** Scrapes of the service so far (0 while Prometheus is starting). */
    private int scrapes() {
        try {
            JsonNode result = query("count_over_time(up{job=\"neuroflux\"}[5m])");
            return result.isEmpty()
                    ? 0
                    : (int) Double.parseDouble(result.get(0).get("value").get(1).asText());
        } catch (Exception | AssertionError e) {
            return 0;
        }
    }

    @Test
    void prometheusScrapesTheServiceWithTheShippedConfiguration() throws Exception {
        JsonNode up = query("up{job=\"neuroflux\"}");
        assertEquals(1, up.size());
        assertEquals("1", up.get(0).get("value").get(1).asText(), "target up");
        JsonNode targets = get("/api/v1/targets").path("data").path("activeTargets");
        assertEquals(
                "/metrics",
                URI.create(targets.get(0).path("scrapeUrl").asText()).getPath(),
                "metrics_path of the shipped file");
        assertEquals(
                "neuroflux",
                query("neuroflux_frames_emitted_total")
                        .get(0)
                        .path("metric")
                        .path("app")
                        .asText());
    }

    @Test
    void promtoolAcceptsTheShippedConfiguration() throws Exception {
        Path promtool = binary("promtool");
        assumeTrue(promtool != null, "promtool is not installed (it comes with Debian's prometheus)");
        Process p = new ProcessBuilder(promtool.toString(), "check", "config", "config/prometheus.yml")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void everyDashboardQueryReturnsData() throws Exception {
        // data = at least one series with a finite value (a quantile of an idle histogram would be NaN)
        List<String> empty = new ArrayList<>();
        int queries = 0;
        for (Path file : DashboardFiles.all()) {
            for (String expr : DashboardFiles.expressions(file)) {
                queries++;
                String promql = DashboardFiles.substitute(expr);
                JsonNode result = query(promql);
                boolean finite = false;
                for (JsonNode sample : result)
                    finite |= Double.isFinite(
                            Double.parseDouble(sample.get("value").get(1).asText()));
                if (!finite)
                    empty.add(file.getFileName() + ": " + promql + (result.isEmpty() ? " (empty)" : " (only NaN/Inf)"));
            }
        }
        assertTrue(queries >= 20, "the dashboards have queries: " + queries);
        assertTrue(empty.isEmpty(), "queries without a finite value:\n" + String.join("\n", empty));
    }

    @Test
    void dashboardVariablesResolveToTheRunningModelsAndSchemes() throws Exception {
        for (Path file : DashboardFiles.all()) {
            for (JsonNode v : DashboardFiles.read(file).path("templating").path("list")) {
                if (!v.path("type").asText().equals("query")) continue;
                String q = v.path("query").isObject()
                        ? v.path("query").path("query").asText()
                        : v.path("query").asText();
                Matcher m = LABEL_VALUES.matcher(q.trim());
                assertTrue(m.matches(), v.path("name").asText() + ": label_values(metric, label) expected, was " + q);
                String series = DashboardFiles.substitute(m.group(1));
                Set<String> values = new TreeSet<>();
                for (JsonNode s : get("/api/v1/series?match[]=" + URLEncoder.encode(series, StandardCharsets.UTF_8))
                        .path("data"))
                    if (s.has(m.group(2))) values.add(s.get(m.group(2)).asText());
                assertFalse(values.isEmpty(), v.path("name").asText() + " resolves to nothing: " + q);
                if (m.group(2).equals("model")) assertTrue(values.contains("tmaze"), "models " + values);
                if (m.group(2).equals("scheme")) assertEquals(Set.of("active-inference", "natural-gradient"), values);
                JsonNode label = get("/api/v1/label/" + m.group(2) + "/values").path("data");
                assertTrue(label.size() > 0, m.group(2) + " label values");
            }
        }
    }
}
