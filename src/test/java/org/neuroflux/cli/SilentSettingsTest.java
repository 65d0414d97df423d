package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI refuses option combinations it would ignore, and says why; the Euclidean scheme runs where it has a method. */
class SilentSettingsTest {
    @TempDir
    Path dir;

    @Test
    void naturalGradientUnderIntegrationIsRefusedWithTheReason() throws Exception {
        Path model = CliRun.referenceModel(dir, "tmaze-ai-2trials");
        CliRun r = CliRun.of(
                "simulate", "--model", model.toString(), "--scheme", "natural-gradient", "--integration", "adaptive");
        assertNotEquals(0, r.code());
        assertTrue(
                r.err().contains("--scheme natural-gradient with --integration adaptive")
                        && r.err().contains("active-inference flow"),
                r.err());
    }

    @Test
    void theForksGateUnderIntegrationIsRefused() throws Exception {
        Path model = CliRun.referenceModel(dir, "tmaze-ai-2trials");
        CliRun r = CliRun.of(
                "simulate", "--model", model.toString(), "--preset", "nat3", "--scheme", "ai", "--integration", "rk4");
        assertNotEquals(0, r.code());
        assertTrue(
                r.err().contains("--preset nat3 with --integration rk4")
                        && r.err().contains("gate"),
                r.err());
    }

    @Test
    void euclideanRunsDiscreteAndByRk4ButNotAdaptive() throws Exception {
        Path model = CliRun.referenceModel(dir, "tmaze-ai-2trials");
        CliRun adaptive = CliRun.of(
                "simulate", "--model", model.toString(), "--scheme", "euclidean", "--integration", "adaptive");
        assertNotEquals(0, adaptive.code());
        assertTrue(adaptive.err().contains("projected RK4"), adaptive.err());
        for (String mode : new String[] {"discrete", "rk4"}) {
            Path out = dir.resolve(mode + ".csv");
            CliRun r = CliRun.of(
                    "simulate",
                    "--model",
                    model.toString(),
                    "--scheme",
                    "eu",
                    "--integration",
                    mode,
                    "--format",
                    "csv",
                    "--out",
                    out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(
                    Files.readAllLines(out).get(1).startsWith("euclidean,"),
                    "rows are labelled with the scheme that ran");
        }
    }
}
