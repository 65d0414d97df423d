package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code neuroflux experiment tmaze --rng matlab --agents 1} with the shipped tmaze.yaml gives
 * agent 1 of the paper's MATLAB-seeded run: the whole chain from model file to CSV.
 */
class ExperimentCommandTest {
    @TempDir
    Path dir;

    @Test
    void matlabSeededTmazeReproducesAgentOneThroughTheShippedModel() throws Exception {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        int code = cmd.execute(
                "experiment",
                "tmaze",
                "--rng",
                "matlab",
                "--agents",
                "1",
                "--threads",
                "1",
                "--schemes",
                "ng,ai",
                "--configuration",
                "paper",
                "--models",
                "config/models",
                "--out",
                dir.toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("NG - AI"), out.toString());
        List<String> lines = Files.readAllLines(dir.resolve("experiment-tmaze.csv"));
        assertEquals(1 + 2 * 24, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/reference/experiment-tmaze-agent1/agent1.json")) {
            expected = new ObjectMapper().readTree(in).get("schemes");
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            int trial = Integer.parseInt(cells[header.indexOf("trial")]);
            String scheme = cells[header.indexOf("scheme")].equals("active-inference") ? "AI" : "NG";
            assertEquals(scheme.equals("AI") ? "spm" : "nat3", cells[header.indexOf("solver")]);
            double whole = Double.parseDouble(cells[header.indexOf("info_length_whole_path")]);
            double il = Double.parseDouble(cells[header.indexOf("info_length")]);
            double want = expected.get(scheme).get("info_length").get(trial - 1).asDouble();
            assertEquals(want, il, 1e-9 * want, scheme + " trial " + trial);
            assertTrue(whole > il, "the whole path adds each epoch's first step: " + whole + " vs " + il);
            assertEquals(
                    expected.get(scheme).get("hit").get(trial - 1).asInt(),
                    Integer.parseInt(cells[header.indexOf("hit")]));
        }
    }

    /**
     * The default run answers the paper's question for every scheme in both configurations: the
     * printed differences are scheme - AI, and equal the CSV's paired means.
     */
    @Test
    void bothConfigurationsPrintEverySchemeAndDifferencesAgainstActiveInference() throws Exception {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        int code = cmd.execute(
                "experiment",
                "tmaze",
                "--agents",
                "3",
                "--trials",
                "2",
                "--threads",
                "1",
                "--models",
                "config/models",
                "--out",
                dir.toString());
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(text.contains("== paper configuration") && text.contains("== like-for-like"), text);
        List<String> lines = Files.readAllLines(dir.resolve("experiment-tmaze.csv"));
        // NG under nat3 and spm; AI and EU under spm (the same runs serve both configurations)
        assertEquals(1 + 4 * 3 * 2, lines.size());
        List<String> header = List.of(lines.get(0).split(","));
        java.util.Map<String, double[]> perAgent = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            String key = c[header.indexOf("scheme")] + "/" + c[header.indexOf("solver")];
            perAgent.computeIfAbsent(key, k -> new double[3])[Integer.parseInt(c[header.indexOf("agent")]) - 1] +=
                    Double.parseDouble(c[header.indexOf("info_length")]) / 2;
        }
        double eu = 0;
        for (int m = 0; m < 3; m++)
            eu += (perAgent.get("euclidean/spm")[m] - perAgent.get("active-inference/spm")[m]) / 3;
        String expected = String.format(java.util.Locale.ROOT, "%+10.5f", eu);
        assertTrue(
                text.lines().anyMatch(l -> l.startsWith("EU - AI   authors") && l.contains(expected)),
                expected + " in\n" + text);
        assertTrue(Files.size(dir.resolve("experiment-tmaze.png")) > 1000);
        assertTrue(Files.size(dir.resolve("experiment-tmaze-whole-path.png")) > 1000);
    }
}
