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
        CliRun run =
                CliRun.of("simulate", "--model", model.toString(), "--format", "spm-json", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode actual = new ObjectMapper().readTree(Files.readString(out));
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/reference/hier-ai/out.json")) {
            expected = new ObjectMapper().readTree(in);
        }
        assertEquals(2, actual.get("mdp").size());
        for (int t = 0; t < 2; t++) {
            for (int o = 0; o < 2; o++) {
                assertEquals(
                        expected.get("O").get(t).get(o).asDouble(),
                        actual.get("O").get(t).get(o).asDouble(),
                        1e-12,
                        "O");
                assertEquals(
                        expected.get("mdp").get(t).get("D").get(0).get(o).asDouble(),
                        actual.get("mdp").get(t).get("D").get(0).get(o).asDouble(),
                        1e-12,
                        "D received");
            }
            assertEquals(
                    expected.get("mdp").get(t).get("T").asInt(),
                    actual.get("mdp").get(t).get("T").asInt(),
                    "lower T run");
        }
        assertEquals(
                expected.get("X").get(0).get(0).get(1).asDouble(),
                actual.get("X").get(0).get(0).get(1).asDouble(),
                1e-12);
    }

    @Test
    void exportAndFiguresWriteEveryLevelLabelledByLevel() throws Exception {
        Path edf = dir.resolve("deep.edf");
        CliRun export = CliRun.of(
                "export",
                "--model",
                "config/models/oddball-sequence.yaml",
                "--format",
                "csv",
                "--layout",
                "wide",
                "--out",
                dir.resolve("deep.csv").toString());
        assertEquals(0, export.code(), export.err());
        String top = Files.readAllLines(dir.resolve("deep.level1.csv")).get(0);
        String lower = Files.readAllLines(dir.resolve("deep.level2.csv")).get(0);
        assertTrue(top.contains("level1/rate/regime/standards/t1"), top);
        assertTrue(
                lower.contains("level2/rate/run/oddball/t4") && lower.contains("level2/rate/position/fourth/t1"),
                lower);
        CliRun noOut = CliRun.of("export", "--model", "config/models/oddball-sequence.yaml", "--format", "csv");
        assertTrue(noOut.code() != 0, "a deep model needs --out");
        assertTrue(noOut.err().contains("one file per level"), noOut.err());
        CliRun edfRun = CliRun.of(
                "export", "--model", "config/models/oddball-sequence.yaml", "--format", "edf", "--out", edf.toString());
        assertEquals(0, edfRun.code(), edfRun.err());
        assertTrue(Files.size(dir.resolve("deep.level2.edf")) > 0);
        CliRun figures = CliRun.of(
                "figures",
                "--model",
                "config/models/oddball-sequence.yaml",
                "--agents",
                "0",
                "--out",
                dir.resolve("fig").toString());
        assertEquals(0, figures.code(), figures.err());
        assertTrue(Files.size(dir.resolve("fig/level1/firing-rates.png")) > 0);
        assertTrue(Files.size(dir.resolve("fig/level2/firing-rates.png")) > 0);
        assertTrue(Files.size(dir.resolve("fig/level2/lfp.png")) > 0);
    }

    @Test
    void validateSummarisesBothLevels() {
        CliRun run = CliRun.of("validate", "config/models/oddball-sequence.yaml");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(
                run.out().contains("above a lower level [tones: run(2) x position(4) states; tone(2) outcomes"),
                run.out());
    }
}
