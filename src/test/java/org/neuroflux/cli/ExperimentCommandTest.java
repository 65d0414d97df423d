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
        int code = cmd.execute("experiment", "tmaze", "--rng", "matlab", "--agents", "1", "--threads", "1",
                "--models", "config/models", "--out", dir.toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("AI-NG"), out.toString());
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
            double il = Double.parseDouble(cells[header.indexOf("info_length")]);
            double want = expected.get(scheme).get("info_length").get(trial - 1).asDouble();
            assertEquals(want, il, 1e-9 * want, scheme + " trial " + trial);
            assertEquals(expected.get(scheme).get("hit").get(trial - 1).asInt(), Integer.parseInt(cells[header.indexOf("hit")]));
        }
    }
}
