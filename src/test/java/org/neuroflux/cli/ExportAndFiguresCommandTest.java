package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export and figures commands as a user runs them. */
class ExportAndFiguresCommandTest {
    @TempDir
    Path dir;

    private Path reference(String caseName) throws Exception {
        return CliRun.referenceModel(dir, caseName);
    }

    @Test
    void helpListsExportAndFigures() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("export") && r.out().contains("figures"), r.out());
        assertTrue(CliRun.of("export", "--help").out().contains("--signals"));
        assertTrue(CliRun.of("figures", "--help").out().contains("--agents"));
    }

    @Test
    void exportsAnEdfPlusFile() throws Exception {
        Path edf = dir.resolve("out/tmaze.edf");
        CliRun r = CliRun.of(
                "export",
                "--model",
                reference("tmaze-ai-2trials").toString(),
                "--trials",
                "4",
                "--format",
                "edf",
                "--out",
                edf.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("192 samples"), r.out());
        byte[] bytes = Files.readAllBytes(edf);
        String header = new String(bytes, 0, 256, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("0       "), header);
        assertEquals("EDF+C", header.substring(192, 197));
    }

    @Test
    void exportsWideCsvAndLongJsonlWithChosenSignalsAndFactors() throws Exception {
        Path csv = dir.resolve("o.csv");
        CliRun r = CliRun.of(
                "export",
                "--model",
                reference("tmaze-ai-onpolicy").toString(),
                "--format",
                "csv",
                "--layout",
                "wide",
                "--signals",
                "rate,erp",
                "--factors",
                "2",
                "--out",
                csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(1 + 48, rows.size());
        assertEquals(4 + 2 * 6, rows.get(0).split(",").length, rows.get(0)); // factor 2: 2 states x 3 time points
        Path jsonl = dir.resolve("o.jsonl");
        r = CliRun.of(
                "export",
                "--model",
                reference("oddball-ai").toString(),
                "--format",
                "jsonl",
                "--signals",
                "lfp",
                "--out",
                jsonl.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(64 * 8, Files.readAllLines(jsonl).size()); // 4 epochs x 16 iterations x (2 states x 4 time points)
    }

    @Test
    void mistakesAreUserErrors() throws Exception {
        String model = reference("oddball-ai").toString();
        CliRun r = CliRun.of(
                "export",
                "--model",
                model,
                "--format",
                "wav",
                "--out",
                dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--format 'wav'"), r.err());
        r = CliRun.of("export", "--model", model, "--format", "edf");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out"), r.err());
        r = CliRun.of(
                "export",
                "--model",
                model,
                "--format",
                "csv",
                "--signals",
                "gamma-bursts",
                "--out",
                dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("gamma-bursts"), r.err());
        r = CliRun.of(
                "export",
                "--model",
                model,
                "--format",
                "csv",
                "--signals",
                "dopamine",
                "--out",
                dir.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("more than one policy"), r.err());
        r = CliRun.of("figures", "--model", model, "--factor", "context", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no factor 'context'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tmaze", "oddball", "rule-learning"})
    void theShippedParadigmsRunThroughExportAndFigures(String paradigm) throws Exception {
        Path model = Path.of("config", "models", paradigm + ".yaml");
        assertTrue(Files.isRegularFile(model), model + " is shipped");
        Path edf = dir.resolve(paradigm + ".edf");
        CliRun r = CliRun.of(
                "export",
                "--model",
                model.toString(),
                "--trials",
                "2",
                "--format",
                "edf",
                "--signals",
                "all",
                "--out",
                edf.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(edf) > 1000);
        Path figs = dir.resolve(paradigm);
        r = CliRun.of(
                "figures",
                "--model",
                model.toString(),
                "--trials",
                "2",
                "--agents",
                "1",
                "--like-for-like",
                "--out",
                figs.toString());
        assertEquals(0, r.code(), r.err());
        for (String name :
                List.of("firing-rates", "lfp", "time-frequency", "raster", "mismatch", "information-length")) {
            assertTrue(Files.size(figs.resolve(name + ".png")) > 10_000, name);
        }
        assertEquals(
                !paradigm.equals("oddball"),
                Files.exists(figs.resolve("dopamine.png")),
                "dopamine needs policies to choose from");
    }

    @Test
    void rendersTheFiguresAndTheInformationLengthPanel() throws Exception {
        Path out = dir.resolve("figs");
        CliRun r = CliRun.of(
                "figures",
                "--model",
                reference("tmaze-ai-2trials").toString(),
                "--trials",
                "3",
                "--agents",
                "1",
                "--like-for-like",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        for (String name : List.of(
                "firing-rates", "lfp", "time-frequency", "dopamine", "raster", "mismatch", "information-length")) {
            assertTrue(Files.size(out.resolve(name + ".png")) > 10_000, name);
            assertTrue(r.out().contains(name + ".png"), r.out());
        }
    }
}
