package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.random.RandomStreamKind;
import org.neuroflux.spm.SpmOutputWriter;

/**
 * simulate writes each trial as it ends: the streamed output is byte for byte what the whole
 * document built in memory gives, and runs whose retained traces would need several times the
 * heap finish in a JVM with a small heap.
 */
class SimulateStreamingTest {
    @TempDir
    Path dir;

    @Test
    void streamedSpmJsonIsTheDocumentBuiltInMemory() throws Exception {
        Path model = CliRun.referenceModel(dir, "tmaze-ai-2trials");
        Path out = dir.resolve("out.json");
        CliRun r = CliRun.of(
                "simulate",
                "--model",
                model.toString(),
                "--trials",
                "4",
                "--seed",
                "5",
                "--format",
                "spm-json",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        TrialTrace[] traces = ModelRun.load(model, false, 4, ModelLimits.DEFAULTS)
                .run(SolverOptions.spm(), RandomStreamKind.SPLITMIX, 5);
        String whole = new ObjectMapper().writeValueAsString(SpmOutputWriter.write(traces)) + "\n";
        assertEquals(whole, Files.readString(out, StandardCharsets.UTF_8));
    }

    /**
     * Retained, 150 SPM-JSON trees of the T-maze take about 95 MB and 60 fork traces (Ni = 512)
     * about 32 MB of traces alone; each subprocess has a 24 MB heap and writes to /dev/null.
     */
    @Test
    void largeRunsFinishInASmallHeap() throws Exception {
        Path model = Path.of("config/models/tmaze.yaml").toAbsolutePath();
        assertTrue(Files.exists(model), model.toString());
        subprocess(
                "simulate",
                "--model",
                model.toString(),
                "--trials",
                "150",
                "--format",
                "spm-json",
                "--out",
                "/dev/null");
        subprocess(
                "simulate",
                "--model",
                model.toString(),
                "--trials",
                "60",
                "--preset",
                "nat3",
                "--format",
                "csv",
                "--out",
                "/dev/null");
    }

    private static void subprocess(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx24m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "still running: " + command);
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + text);
        assertTrue(!text.contains("OutOfMemoryError"), text);
    }
}
