package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = new CommandLine(new ValidateCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    @Test
    void validModelsGetOneSummaryLineEachAndExitZero() {
        int code = run("config/models/tmaze.yaml", "config/models/rule-learning.yaml", "config/models/oddball.yaml");
        assertEquals(0, code, err.toString());
        String[] lines = out.toString().split("\\R");
        assertEquals(3, lines.length, out.toString());
        assertEquals(
                "config/models/tmaze.yaml: tmaze: location(4) x context(2) states; where(5), reward(3) outcomes; "
                        + "5 policies; T=3; tau=4; learns d",
                lines[0]);
        assertTrue(lines[1].startsWith(
                "config/models/rule-learning.yaml: rule-learning: rule(3) x colour(3) x where(4) x report(4)"));
        assertTrue(lines[1].endsWith("6 one-step policies; T=6; tau=128; learns a"), lines[1]);
        assertTrue(lines[2].startsWith("config/models/oddball.yaml: oddball: stimulus(2) states"), lines[2]);
        assertEquals("", err.toString());
    }

    @Test
    void spmStructArraysAreSummarisedWithTheirTrialsAndWarningsGoToStderr() {
        int code = run("src/test/resources/reference/rule-ai/mdp.json");
        assertEquals(0, code);
        assertTrue(out.toString().strip().endsWith("learns a; 2 trials"), out.toString());
        assertTrue(
                err.toString()
                        .startsWith(
                                "warning: src/test/resources/reference/rule-ai/mdp.json: MDP(1).D{1}: normalised as SPM does"),
                err.toString());
    }

    @Test
    void invalidModelsPrintEveryProblemAndExitTwo(@TempDir Path dir) throws Exception {
        String tmaze = Files.readString(Path.of("config/models/tmaze.yaml"));
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(
                bad,
                tmaze.replace(
                                "p: {positive: 0.98, negative: 0.02}\n    - when: {location: left, context: right-better}",
                                "p: {positive: 0.5, negative: 0.2}\n    - when: {location: left, context: right-better}")
                        .replace("location: [go-left, go-left]", "location: [go-left, go-up]"));
        int code = run("config/models/oddball.yaml", bad.toString());
        assertEquals(ValidateCommand.INVALID, code);
        String[] lines = out.toString().split("\\R");
        assertEquals(3, lines.length, out.toString());
        assertTrue(lines[0].startsWith("config/models/oddball.yaml: oddball: "), lines[0]);
        assertEquals(
                bad
                        + ": policies[4].location[2]: is 'go-up'; expected a control of location: go-centre, go-left, go-right, go-cue",
                lines[1]);
        assertEquals(
                bad
                        + ": A[2]: column (location=2, context=1) sums to 0.70, expected 1 (set normalise: true to rescale)",
                lines[2]);
    }

    @Test
    void missingFilesAreReportedAndInvalid() {
        assertEquals(ValidateCommand.INVALID, run("no/such/model.yaml"));
        assertEquals("no/such/model.yaml: no such model file", out.toString().strip());
    }

    @Test
    void spmFlagForcesTheSpmReader() {
        assertEquals(ValidateCommand.INVALID, run("--spm", "config/models/oddball.yaml"));
        assertTrue(out.toString().startsWith("config/models/oddball.yaml: not valid JSON"), out.toString());
    }

    @Test
    void helpAndMissingArguments() {
        assertEquals(0, run("--help"));
        assertTrue(
                out.toString().contains("Usage: validate [-hV] [--spm] [--model-limit=NAME=VALUE]... FILE..."),
                out.toString());
        assertEquals(CommandLine.ExitCode.USAGE, run());
        assertTrue(err.toString().contains("Missing required parameter"), err.toString());
    }

    @Test
    void aBatchReportsEveryFileAndExitsTwoOnUserErrorsNeverOne() {
        String corpus = "src/test/resources/malformed/models/";
        int code = run(
                corpus + "spm-huge-T.json",
                corpus + "spm-scalar-s.json",
                corpus + "spm-negative-A-and-bad-o.json",
                corpus + "native-huge-T.yaml",
                "config/models/oddball.yaml");
        assertEquals(ValidateCommand.INVALID, code, err.toString());
        String all = out.toString();
        assertTrue(
                all.contains(
                        corpus
                                + "spm-huge-T.json: T: is 1000000 epochs per trial (T); the limit is 1000 (limits.modelMaxEpochs)"),
                all);
        assertTrue(all.contains(corpus + "spm-scalar-s.json: spm-scalar-s: "), all);
        assertTrue(all.contains(corpus + "spm-negative-A-and-bad-o.json: A{1}: "), all);
        assertTrue(all.contains(corpus + "spm-negative-A-and-bad-o.json: o(1,4): "), all);
        assertTrue(all.contains(corpus + "native-huge-T.yaml: T: is 1000000000 epochs per trial"), all);
        assertTrue(all.contains("config/models/oddball.yaml: oddball: "), all);
        assertTrue(!err.toString().contains("Exception"), err.toString());
    }

    @Test
    void modelLimitsCanBeChangedOnTheCommandLine() {
        assertEquals(
                0,
                run("--model-limit", "maxEpochs=2000000", "src/test/resources/malformed/models/spm-huge-T.json"),
                out.toString());
        assertEquals(ValidateCommand.INVALID, run("--model-limit", "maxEpochs=3", "config/models/oddball.yaml"));
        assertTrue(
                out.toString().contains("oddball.yaml: T: is 4 epochs per trial (T); the limit is 3"), out.toString());
        assertEquals(
                2,
                CliRun.of("validate", "--model-limit", "maxFoo=3", "config/models/oddball.yaml")
                        .code());
    }

    @Test
    void simulateRefusesModelsBeyondTheLimitsAsUserErrors() {
        CliRun huge = CliRun.of("simulate", "--model", "src/test/resources/malformed/models/spm-huge-T.json");
        assertEquals(2, huge.code(), huge.err());
        assertTrue(
                huge.err().contains("spm-huge-T.json: T: is 1000000 epochs per trial (T); the limit is 1000"),
                huge.err());
        CliRun iterations = CliRun.of(
                "simulate", "--model", "config/models/oddball.yaml", "--model-limit", "maxIterationsPerTrial=10");
        assertEquals(2, iterations.code(), iterations.err());
        assertTrue(
                iterations
                        .err()
                        .contains("T x iterations per epoch = 4 x 16 = 64 iterations per trial; the limit is 10"),
                iterations.err());
    }
}
