package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, exit codes, messages, and simulate's output. */
class CommandLineTest {
    @TempDir
    Path dir;

    private Path reference(String caseName) throws Exception {
        return CliRun.referenceModel(dir, caseName);
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code());
        for (String command : List.of("simulate", "validate", "experiment"))
            assertTrue(r.out().contains(command), r.out());
        CliRun sub = CliRun.of("simulate", "--help");
        assertEquals(0, sub.code());
        assertTrue(sub.out().contains("--preset"), sub.out());
    }

    @Test
    void aBadOptionIsAUserErrorWithExitTwo() {
        CliRun r = CliRun.of("simulate", "--model", "m.json", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--no-such-option"), r.err());
        assertTrue(r.err().lines().count() <= 3, "a short message, not the whole usage: " + r.err());
    }

    @Test
    void aMissingModelFileIsReportedWithoutAStackTrace() {
        CliRun r = CliRun.of("simulate", "--model", dir.resolve("absent.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("file not found"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void anInvalidValueNamesTheOptionAndTheValue() throws Exception {
        CliRun r = CliRun.of("simulate", "--model", reference("oddball-ai").toString(), "--preset", "fast");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--preset 'fast'"), r.err());
    }

    @Test
    void anInvalidModelListsItsProblemsAndExitsTwo() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(
                bad,
                "{\"A\":[[[0.9,0.1],[0.1,0.9]]],\"B\":[[[1,0],[0,1]]],\"V\":[1,1],\"T\":3,\"Tau\":4,\"o\":[1,3,1]}");
        CliRun r = CliRun.of("simulate", "--model", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Tau: unknown field"), r.err());
        assertTrue(r.err().contains("o(1,2): is 3"), r.err());
    }

    @Test
    void simulateReproducesTheSpmReferenceCase() throws Exception {
        Path out = dir.resolve("out.json");
        CliRun r = CliRun.of(
                "simulate",
                "--model",
                reference("tmaze-ai-onpolicy").toString(),
                "--format",
                "spm-json",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        ObjectMapper mapper = new ObjectMapper();
        JsonNode mine = mapper.readTree(out.toFile());
        JsonNode spm;
        try (InputStream in = getClass().getResourceAsStream("/reference/tmaze-ai-onpolicy/out.json")) {
            spm = mapper.readTree(in);
        }
        assertEquals(spm.get("info_length").asDouble(), mine.get("info_length").asDouble(), 1e-9);
        assertEquals(
                spm.get("xn").get(1).get(15).get(1).get(2).get(2).asDouble(),
                mine.get("xn").get(1).get(15).get(1).get(2).get(2).asDouble(),
                1e-12);
    }

    @Test
    void simulateCarriesLearnedTransitionsAndPolicyPriorAcrossTrials() throws Exception {
        Path out = dir.resolve("learn.json");
        CliRun r = CliRun.of(
                "simulate",
                "--model",
                reference("tmaze-ai-learn-2trials").toString(),
                "--format",
                "spm-json",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        ObjectMapper mapper = new ObjectMapper();
        JsonNode mine = mapper.readTree(out.toFile());
        JsonNode spm;
        try (InputStream in = getClass().getResourceAsStream("/reference/tmaze-ai-learn-2trials/out.json")) {
            spm = mapper.readTree(in);
        }
        // trial 2's counts build on trial 1's: b{1}(2,2,2) and e(4) as SPM has them after both trials
        assertEquals(
                spm.get(1).get("b").get(0).get(1).get(1).get(1).asDouble(),
                mine.get(1).get("b").get(0).get(1).get(1).get(1).asDouble(),
                1e-12);
        assertEquals(
                spm.get(1).get("e").get(3).asDouble(),
                mine.get(1).get("e").get(3).asDouble(),
                1e-12);
        assertEquals(spm.get(1).get("Fe").asDouble(), mine.get(1).get("Fe").asDouble(), 1e-12);
    }

    @Test
    void tidyCsvHasOneRowPerIterationAndUnit() throws Exception {
        Path out = dir.resolve("out.csv");
        CliRun r = CliRun.of(
                "simulate", "--model", reference("oddball-ai").toString(), "--format", "csv", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        // oddball: Ni = 16 iterations x T = 4 epochs x 2 states x 4 time points, plus the header
        assertEquals(1 + 16 * 4 * 2 * 4, lines.size());
        assertTrue(
                lines.get(0).startsWith("scheme,trial,epoch,iteration,time_s,factor,state,tau,rate,potential,error"),
                lines.get(0));
    }
}
