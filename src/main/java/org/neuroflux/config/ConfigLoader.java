package org.neuroflux.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads {@link NeurofluxConfig}: the built-in defaults, overlaid by a YAML file (optional), overlaid
 * by environment variables. Every setting {@code section.name} can be set by the variable
 * {@code NEUROFLUX_SECTION_NAME} in upper snake case (for example {@code limits.maxSessions} by
 * {@code NEUROFLUX_LIMITS_MAX_SESSIONS}; lists are comma-separated), and four short aliases exist:
 * {@code NEUROFLUX_PORT}, {@code NEUROFLUX_HOST}, {@code NEUROFLUX_TOKEN}, {@code NEUROFLUX_ALLOWED_ORIGINS}.
 * Unknown keys, wrong types and out-of-range values are all reported together in one {@link ConfigException}.
 */
public final class ConfigLoader {
    /** Short aliases for the most common overrides. */
    public static final Map<String, String> ALIASES = Map.of(
            "NEUROFLUX_PORT", "server.port",
            "NEUROFLUX_HOST", "server.host",
            "NEUROFLUX_TOKEN", "security.token",
            "NEUROFLUX_ALLOWED_ORIGINS", "security.allowedOrigins");

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private ConfigLoader() {}

    /**
     * @param file optional YAML file (null: defaults and environment only)
     * @param env  the environment (System.getenv() in production)
     */
    public static NeurofluxConfig load(Path file, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        ObjectNode tree = YAML.valueToTree(NeurofluxConfig.defaults());
        if (file != null) {
            try {
                JsonNode fromFile = YAML.readTree(Files.readString(file));
                if (fromFile != null && !fromFile.isMissingNode() && !fromFile.isNull()) {
                    if (!fromFile.isObject()) problems.add(file + ": must be a mapping of sections");
                    else merge(tree, (ObjectNode) fromFile, "", problems);
                }
            } catch (IOException e) {
                problems.add(file + ": cannot read: " + e.getMessage());
            }
        }
        for (Map.Entry<String, String> e : envOverrides(tree, env).entrySet())
            set(tree, e.getKey(), e.getValue(), problems);
        if (!problems.isEmpty()) throw new ConfigException(problems);
        NeurofluxConfig config;
        try {
            config = YAML.treeToValue(tree, NeurofluxConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(List.of("wrong value type: " + e.getOriginalMessage()));
        }
        List<String> invalid = config.problems();
        if (!invalid.isEmpty()) throw new ConfigException(invalid);
        return config;
    }

    /** The environment variable name of a setting path, e.g. limits.maxSessions -> NEUROFLUX_LIMITS_MAX_SESSIONS. */
    public static String envName(String path) {
        StringBuilder sb = new StringBuilder("NEUROFLUX_");
        for (char c : path.toCharArray()) {
            if (c == '.') sb.append('_');
            else if (Character.isUpperCase(c)) sb.append('_').append(c);
            else sb.append(Character.toUpperCase(c));
        }
        return sb.toString();
    }

    /** Every setting path (section.name) of the configuration, in order. */
    public static List<String> settingPaths() {
        List<String> paths = new ArrayList<>();
        ObjectNode tree = YAML.valueToTree(NeurofluxConfig.defaults());
        tree.fields()
                .forEachRemaining(section -> section.getValue()
                        .fieldNames()
                        .forEachRemaining(name -> paths.add(section.getKey() + "." + name)));
        return paths;
    }

    private static Map<String, String> envOverrides(ObjectNode tree, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
            if (env.containsKey(alias.getKey())) out.put(alias.getValue(), env.get(alias.getKey()));
        }
        for (String path : settingPaths()) {
            String value = env.get(envName(path));
            if (value != null) out.put(path, value);
        }
        return out;
    }

    private static void merge(ObjectNode target, ObjectNode source, String prefix, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode existing = target.get(e.getKey());
            if (existing == null) {
                problems.add(path + ": unknown setting");
            } else if (existing.isObject()) {
                if (!e.getValue().isObject()) problems.add(path + ": must be a mapping");
                else merge((ObjectNode) existing, (ObjectNode) e.getValue(), path, problems);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void set(ObjectNode tree, String path, String value, List<String> problems) {
        String[] parts = path.split("\\.");
        ObjectNode section = (ObjectNode) tree.get(parts[0]);
        JsonNode existing = section.get(parts[1]);
        if (existing != null && existing.isArray()) {
            ArrayNode list = section.putArray(parts[1]);
            for (String item : value.split(",")) if (!item.isBlank()) list.add(item.trim());
        } else if (existing != null && existing.isBoolean()) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false"))
                problems.add(envName(path) + ": must be true or false, was " + value);
            else section.put(parts[1], Boolean.parseBoolean(v));
        } else {
            section.set(parts[1], TextNode.valueOf(value.trim()));
        }
    }
}
