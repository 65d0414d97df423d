package org.neuroflux.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsNeedNoFile() {
        NeurofluxConfig c = ConfigLoader.load(null, Map.of());
        assertEquals(8080, c.server().port());
        assertEquals(15.625, c.pacing().iterationMs());
        assertTrue(c.demo().enabled());
    }

    @Test
    void shippedApplicationYamlIsValidAndEqualsTheDefaults() {
        assertEquals(NeurofluxConfig.defaults(), ConfigLoader.load(Path.of("config/application.yaml"), Map.of()));
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, "server:\n  port: 9000\nlimits:\n  maxSessions: 10\n");
        NeurofluxConfig c = ConfigLoader.load(
                f,
                Map.of(
                        "NEUROFLUX_PORT",
                        "9100",
                        "NEUROFLUX_LIMITS_MAX_SESSIONS",
                        "20",
                        "NEUROFLUX_ALLOWED_ORIGINS",
                        "http://a, http://b",
                        "NEUROFLUX_DEMO_ENABLED",
                        "false"));
        assertEquals(9100, c.server().port());
        assertEquals(20, c.limits().maxSessions());
        assertEquals(List.of("http://a", "http://b"), c.security().allowedOrigins());
        assertTrue(!c.demo().enabled());
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "server:\n  port: 70000\n  colour: blue\npacing:\n  iterationMs: 0\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, Map.of()));
        assertTrue(e.getMessage().contains("server.colour: unknown setting"), e.getMessage());
        ConfigException e2 = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.load(null, Map.of("NEUROFLUX_PORT", "70000", "NEUROFLUX_PACING_ITERATION_MS", "0")));
        assertEquals(2, e2.problems().size(), e2.getMessage());
    }

    @Test
    void modelLimitsAndReadProtectionAreConfigurableFromTheEnvironment() {
        NeurofluxConfig c = ConfigLoader.load(
                null,
                Map.of(
                        "NEUROFLUX_LIMITS_MODEL_MAX_EPOCHS",
                        "50",
                        "NEUROFLUX_LIMITS_MODEL_MAX_ELEMENTS",
                        "123456789012",
                        "NEUROFLUX_TOKEN",
                        "t",
                        "NEUROFLUX_SECURITY_PROTECT_READS",
                        "true"));
        assertEquals(50, c.limits().modelLimits().maxEpochs());
        assertEquals(123456789012L, c.limits().modelLimits().maxElements());
        assertTrue(c.security().protectReads());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.load(
                        null,
                        Map.of("NEUROFLUX_LIMITS_MODEL_MAX_STATES", "0", "NEUROFLUX_SECURITY_PROTECT_READS", "true")));
        assertTrue(e.getMessage().contains("limits.modelMaxStates: must be >= 1, was 0"), e.getMessage());
        assertTrue(e.getMessage().contains("security.protectReads: needs security.token"), e.getMessage());
    }

    @Test
    void clusterDefaultsToStandaloneAndTakesTheEnvironment() {
        NeurofluxConfig.ClusterConfig standalone =
                ConfigLoader.load(null, Map.of()).cluster();
        assertEquals(
                new NeurofluxConfig.ClusterConfig("standalone", "localhost:9092", "neuroflux", "", 12, 1), standalone);
        assertTrue(!standalone.kafka());
        NeurofluxConfig.ClusterConfig c = ConfigLoader.load(
                        null,
                        Map.of(
                                "NEUROFLUX_CLUSTER_MODE",
                                "kafka",
                                "NEUROFLUX_CLUSTER_BOOTSTRAP_SERVERS",
                                "10.0.0.1:9092,broker-2:19092",
                                "NEUROFLUX_CLUSTER_TOPIC_PREFIX",
                                "lab.rigs",
                                "NEUROFLUX_CLUSTER_INSTANCE_ID",
                                "rig-7",
                                "NEUROFLUX_CLUSTER_PARTITIONS",
                                "48",
                                "NEUROFLUX_CLUSTER_REPLICATION_FACTOR",
                                "3"))
                .cluster();
        assertEquals(
                new NeurofluxConfig.ClusterConfig("kafka", "10.0.0.1:9092,broker-2:19092", "lab.rigs", "rig-7", 48, 3),
                c);
        assertTrue(c.kafka());
    }

    @Test
    void clusterProblemsNameTheFieldTheValueAndWhatWasExpected() throws Exception {
        Path f = dir.resolve("cluster.yaml");
        Files.writeString(
                f,
                "cluster:\n  mode: mesh\n  bootstrapServers: 'localhost, :9092, h:99999'\n  topicPrefix: 'a b'\n"
                        + "  instanceId: 'x/y'\n  partitions: 0\n  replicationFactor: 40000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, Map.of()));
        List<String> p = e.problems();
        assertTrue(p.contains("cluster.mode: must be standalone or kafka, was mesh"), p.toString());
        for (String bad : List.of("localhost", ":9092", "h:99999"))
            assertTrue(
                    p.contains(
                            "cluster.bootstrapServers: expected comma-separated host:port entries (port 1..65535), was '"
                                    + bad + "'"),
                    p.toString());
        assertTrue(
                p.contains("cluster.topicPrefix: must be 1..200 of the characters A-Z a-z 0-9 . _ -, was 'a b'"),
                p.toString());
        assertTrue(
                p.stream().anyMatch(s -> s.startsWith("cluster.instanceId:") && s.endsWith("was 'x/y'")), p.toString());
        assertTrue(p.contains("cluster.partitions: must be 1..10000, was 0"), p.toString());
        assertTrue(p.contains("cluster.replicationFactor: must be 1..32767, was 40000"), p.toString());
        assertEquals(8, p.size(), p.toString());
    }

    @Test
    void kafkaModeNeedsBootstrapServersButStandaloneDoesNot() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.load(
                        null, Map.of("NEUROFLUX_CLUSTER_MODE", "kafka", "NEUROFLUX_CLUSTER_BOOTSTRAP_SERVERS", " ")));
        assertEquals(
                List.of("cluster.bootstrapServers: must list at least one host:port when cluster.mode is kafka"),
                e.problems());
        assertEquals(
                "",
                ConfigLoader.load(null, Map.of("NEUROFLUX_CLUSTER_BOOTSTRAP_SERVERS", ""))
                        .cluster()
                        .bootstrapServers());
    }
}
