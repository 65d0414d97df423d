package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on deep models: simulate writes both levels as SPM does; validate summarises them. */
class DeepModelCommandTest {
    @TempDir
    Path dir;

    @Test
    void simulateWritesTheHigherLevelMdpAndOAsSpmDoes() throws Exception {
        Path model = CliRun.referenceModel(dir, "hier-ai");
        Path out = dir.resolve("out.json");
        CliRun run = CliRun.of("simulate", "--model", model.toString(), "--format", "spm-json", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode actual = new ObjectMapper().readTree(Files.readString(out));
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/reference/hier-ai/out.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        assertEquals(2, actual.get("mdp").size());
        for (int t = 0; t < 2; t++) {
            for (int o = 0; o < 2; o++) {
                assertEquals(expected.get("O").get(t).get(o).asDouble(), actual.get("O").get(t).get(o).asDouble(), 1e-12, "O");
                assertEquals(expected.get("mdp").get(t).get("D").get(0).get(o).asDouble(),
                        actual.get("mdp").get(t).get("D").get(0).get(o).asDouble(), 1e-12, "D received");
            }
            assertEquals(expected.get("mdp").get(t).get("T").asInt(), actual.get("mdp").get(t).get("T").asInt(), "lower T run");
        }
        assertEquals(expected.get("X").get(0).get(0).get(1).asDouble(), actual.get("X").get(0).get(0).get(1).asDouble(), 1e-12);
    }

    @Test
    void validateSummarisesBothLevels() {
        CliRun run = CliRun.of("validate", "config/models/oddball-sequence.yaml");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("above a lower level [tones: run(2) x position(4) states; tone(2) outcomes"), run.out());
    }
}
