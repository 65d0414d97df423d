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
        NeurofluxConfig c = ConfigLoader.load(f, Map.of("NEUROFLUX_PORT", "9100", "NEUROFLUX_LIMITS_MAX_SESSIONS", "20",
                "NEUROFLUX_ALLOWED_ORIGINS", "http://a, http://b", "NEUROFLUX_DEMO_ENABLED", "false"));
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
        ConfigException e2 = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                Map.of("NEUROFLUX_PORT", "70000", "NEUROFLUX_PACING_ITERATION_MS", "0")));
        assertEquals(2, e2.problems().size(), e2.getMessage());
    }

    @Test
    void modelLimitsAndReadProtectionAreConfigurableFromTheEnvironment() {
        NeurofluxConfig c = ConfigLoader.load(null, Map.of("NEUROFLUX_LIMITS_MODEL_MAX_EPOCHS", "50",
                "NEUROFLUX_LIMITS_MODEL_MAX_ELEMENTS", "123456789012", "NEUROFLUX_TOKEN", "t", "NEUROFLUX_SECURITY_PROTECT_READS", "true"));
        assertEquals(50, c.limits().modelLimits().maxEpochs());
        assertEquals(123456789012L, c.limits().modelLimits().maxElements());
        assertTrue(c.security().protectReads());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null,
                Map.of("NEUROFLUX_LIMITS_MODEL_MAX_STATES", "0", "NEUROFLUX_SECURITY_PROTECT_READS", "true")));
        assertTrue(e.getMessage().contains("limits.modelMaxStates: must be >= 1, was 0"), e.getMessage());
        assertTrue(e.getMessage().contains("security.protectReads: needs security.token"), e.getMessage());
    }
}
