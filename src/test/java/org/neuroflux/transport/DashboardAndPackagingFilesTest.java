package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped dashboards, provisioning, Prometheus configuration, Dockerfile and compose file are
 * consistent with each other and with the README (no Docker engine runs here: what can be checked
 * without one is checked).
 */
class DashboardAndPackagingFilesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static String provisionedUid() throws Exception {
        JsonNode ds = YAML.readTree(Path.of("grafana/provisioning/datasources/prometheus.yaml")
                        .toFile())
                .get("datasources");
        assertEquals(1, ds.size(), "one provisioned datasource");
        assertEquals("prometheus", ds.get(0).get("type").asText());
        return ds.get(0).get("uid").asText();
    }

    /** Every "datasource" value anywhere in a JSON tree. */
    private static void datasources(JsonNode node, List<JsonNode> out) {
        if (node.isObject()) {
            for (var e : node.properties()) {
                if (e.getKey().equals("datasource")) out.add(e.getValue());
                datasources(e.getValue(), out);
            }
        } else if (node.isArray()) {
            node.forEach(n -> datasources(n, out));
        }
    }

    @Test
    void dashboardsAreValidJsonAndUseOnlyTheProvisionedDatasourceUid() throws Exception {
        String uid = provisionedUid();
        List<Path> files = DashboardFiles.all();
        assertFalse(files.isEmpty(), "grafana/dashboards/*.json");
        for (Path file : files) {
            JsonNode d = DashboardFiles.read(file);
            assertFalse(d.path("uid").asText().isEmpty(), file + ": a fixed dashboard uid");
            assertFalse(d.path("refresh").asText().isEmpty(), file + ": refresh set");
            List<JsonNode> refs = new ArrayList<>();
            datasources(d, refs);
            assertTrue(refs.size() > 10, file + ": panels name their datasource");
            for (JsonNode ref : refs) {
                assertTrue(ref.isObject(), file + ": datasource by uid, never by name: " + ref);
                assertEquals("prometheus", ref.path("type").asText(), file + ": " + ref);
                assertEquals(uid, ref.path("uid").asText(), file + ": " + ref);
            }
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : d.path("panels")) {
                assertTrue(ids.add(panel.path("id").asInt()), file + ": panel ids unique");
                for (JsonNode inner : panel.path("panels"))
                    assertTrue(ids.add(inner.path("id").asInt()), file + ": panel ids unique");
            }
            for (JsonNode panel : DashboardFiles.panels(d)) {
                assertTrue(
                        panel.path("targets").size() > 0,
                        file + ": panel '" + panel.path("title").asText() + "' has queries");
                for (JsonNode t : panel.path("targets"))
                    assertFalse(
                            t.path("expr").asText().isBlank(),
                            panel.path("title").asText());
            }
        }
    }

    @Test
    void theDashboardHasTheIssuesPanelsAndModelSchemeAndInstanceVariables() {
        JsonNode d = DashboardFiles.read(Path.of("grafana/dashboards/neuroflux.json"));
        StringBuilder all = new StringBuilder();
        for (JsonNode panel : DashboardFiles.panels(d))
            all.append(panel.path("title").asText()).append('\n');
        String exprs = String.join("\n", DashboardFiles.expressions(Path.of("grafana/dashboards/neuroflux.json")));
        for (String needed : List.of(
                "sum by (scheme) (rate(neuroflux_information_length_total",
                "neuroflux_epoch_efficiency_bucket",
                "neuroflux_free_energy_nats",
                "neuroflux_expected_free_energy_nats",
                "neuroflux_precision",
                "neuroflux_dopamine",
                "neuroflux_frames_emitted_total",
                "neuroflux_frames_dropped_total",
                "neuroflux_observations_rejected_total",
                "histogram_quantile(0.99",
                "neuroflux_belief_update_seconds_bucket",
                "neuroflux_pacing_lag_seconds_bucket",
                "neuroflux_ingest_latency_seconds_bucket",
                "neuroflux_sessions_active",
                "neuroflux_trial_information_length",
                "neuroflux_cluster_sessions_owned",
                "neuroflux_cluster_rebalances_total",
                "neuroflux_cluster_state_commit_seconds",
                "neuroflux_cluster_consumer_lag",
                "neuroflux_cluster_transactions_aborted_total"))
            assertTrue(exprs.contains(needed), "a panel queries " + needed);
        assertTrue(
                exprs.contains("model=~\"$model\"") && exprs.contains("scheme=~\"$scheme\""),
                "panels follow the variables");
        for (String expr : DashboardFiles.expressions(Path.of("grafana/dashboards/neuroflux.json")))
            assertTrue(expr.contains("instance=~\"$instance\""), "every query follows the instance variable: " + expr);
        List<String> names = new ArrayList<>();
        for (JsonNode v : d.path("templating").path("list")) {
            names.add(v.path("name").asText());
            assertEquals("query", v.path("type").asText());
            String q = v.path("query").isObject()
                    ? v.path("query").path("query").asText()
                    : v.path("query").asText();
            assertTrue(q.startsWith("label_values("), v.path("name").asText() + ": " + q);
            assertTrue(q.endsWith(", " + v.path("name").asText() + ")"), q);
        }
        assertEquals(List.of("model", "scheme", "instance"), names);
    }

    @Test
    void provisioningPrometheusComposeAndDockerfileFitTogether() throws Exception {
        JsonNode compose = YAML.readTree(Path.of("docker-compose.yml").toFile()).get("services");
        assertTrue(compose.has("neuroflux") && compose.has("prometheus") && compose.has("grafana"));
        assertTrue(compose.get("neuroflux").get("ports").toString().contains("8080:8080"));
        assertTrue(compose.get("prometheus").get("ports").toString().contains("9090:9090"));
        assertTrue(compose.get("grafana").get("ports").toString().contains("3000:3000"));
        assertTrue(compose.get("prometheus")
                .get("volumes")
                .toString()
                .contains("./config/prometheus.yml:/etc/prometheus/prometheus.yml"));
        String grafanaVolumes = compose.get("grafana").get("volumes").toString();
        assertTrue(grafanaVolumes.contains("./grafana/provisioning:/etc/grafana/provisioning"));
        assertTrue(grafanaVolumes.contains("./grafana/dashboards:/var/lib/grafana/dashboards"));
        JsonNode provider = YAML.readTree(Path.of("grafana/provisioning/dashboards/neuroflux.yaml")
                        .toFile())
                .get("providers")
                .get(0);
        assertEquals(
                "/var/lib/grafana/dashboards",
                provider.path("options").path("path").asText(),
                "the provider reads the mounted dashboards");
        JsonNode ds = YAML.readTree(Path.of("grafana/provisioning/datasources/prometheus.yaml")
                        .toFile())
                .get("datasources")
                .get(0);
        assertEquals("http://prometheus:9090", ds.get("url").asText(), "the compose service name");

        JsonNode prom = YAML.readTree(Path.of("config/prometheus.yml").toFile());
        JsonNode job = prom.get("scrape_configs").get(0);
        assertEquals("/metrics", job.get("metrics_path").asText());
        assertEquals(
                "neuroflux:8080",
                job.get("static_configs").get(0).get("targets").get(0).asText(),
                "the compose service and port");

        String docker = Files.readString(Path.of("Dockerfile"));
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(
                docker.contains("FROM maven:") && docker.contains("FROM eclipse-temurin:17-jre"),
                "multi-stage: Maven, then a Java 17 JRE");
        assertTrue(
                docker.indexOf("dependency:go-offline") < docker.indexOf("COPY src"),
                "dependencies cached in their own layer");
        assertTrue(
                readme.contains("mvn -B -q package -DskipTests") && docker.contains("mvn -B -q package -DskipTests"),
                "the README's build command");
        assertTrue(docker.contains("USER 10001"), "non-root");
        assertTrue(docker.contains("EXPOSE 8080"));
        assertTrue(docker.contains("HEALTHCHECK") && docker.contains("/health"));
        assertTrue(readme.contains("docker compose up"));
    }
}
