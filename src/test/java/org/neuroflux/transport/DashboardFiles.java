package org.neuroflux.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the shipped Grafana dashboards: panels (rows' panels included), their queries, and variables. */
final class DashboardFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The values a query's Grafana variables take in the tests: every model, scheme and instance, fixed intervals. */
    static final Map<String, String> SUBSTITUTIONS = Map.ofEntries(
            Map.entry("$__rate_interval", "1m"),
            Map.entry("${__rate_interval}", "1m"),
            Map.entry("$__interval", "15s"),
            Map.entry("${__interval}", "15s"),
            Map.entry("$__range", "5m"),
            Map.entry("${__range}", "5m"),
            Map.entry("${model}", ".*"),
            Map.entry("$model", ".*"),
            Map.entry("${scheme}", ".*"),
            Map.entry("$scheme", ".*"),
            Map.entry("${instance}", ".*"),
            Map.entry("$instance", ".*"));

    private DashboardFiles() {}

    static List<Path> all() {
        try (var files = Files.list(Path.of("grafana/dashboards"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": not valid JSON", e);
        }
    }

    /** Every panel, those inside rows included (rows themselves excluded). */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if (p.path("type").asText().equals("row")) p.path("panels").forEach(out::add);
            else out.add(p);
        }
        return out;
    }

    /** Every query expression of a dashboard file, as written. */
    static List<String> expressions(Path file) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : panels(read(file)))
            for (JsonNode t : panel.path("targets")) out.add(t.path("expr").asText());
        return out;
    }

    /** An expression with the Grafana variables replaced by the test's values (longest names first). */
    static String substitute(String expr) {
        String out = expr;
        List<String> keys = new ArrayList<>(SUBSTITUTIONS.keySet());
        keys.sort((a, b) -> b.length() - a.length());
        for (String k : keys) out = out.replace(k, SUBSTITUTIONS.get(k));
        return out;
    }
}
