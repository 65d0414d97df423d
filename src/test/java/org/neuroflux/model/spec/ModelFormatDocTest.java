package org.neuroflux.model.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.TrialFixture;

/** The examples in docs/model-format.md load, and mean what the text says. */
class ModelFormatDocTest {

    private static String block(String language, int index) throws Exception {
        String doc = Files.readString(Path.of("docs/model-format.md"));
        int from = 0;
        for (int i = 0; i <= index; i++) from = doc.indexOf("```" + language + "\n", from) + language.length() + 4;
        return doc.substring(from, doc.indexOf("```", from));
    }

    @Test
    void theCompleteExampleLoads() throws Exception {
        LoadedModel loaded = new ModelSpecReader().read(block("yaml", 0), "tmaze-with-cue.yaml");
        GenerativeModel m = loaded.first();
        assertEquals(
                "tmaze-with-cue: location(4) x context(2) states; where(5), reward(3) outcomes; 5 policies; T=3; tau=4; "
                        + "learns a; learns b; learns d; learns e",
                m.summary());
        assertArrayEquals(new double[] {16, 1, 1, 16}, m.transitionCounts(1), 0.0);
        assertEquals(8 * 1 + 0.25, m.transitionCounts(0)[0], 0.0, "b{1}(1,1,1) = 8 B + 1/4");
        assertArrayEquals(new double[] {0.8, 0.8, 0.8, 0.8, 0.8}, m.policyCounts(), 1e-15, "4 x E");
        assertEquals(List.of(), loaded.warnings());
        assertArrayEquals(new double[] {128, 0, 0, 0}, m.initialCounts(0), 0.0);
        assertArrayEquals(new double[] {0.95, 0.05, 0.05, 0.95}, m.transitions(1), 0.0);
        assertArrayEquals(
                new double[] {0, 0, -6, 0, 6, -6, 0, 4, -6},
                m.preferences(1),
                0.0,
                "C{2}(o, t): none, positive, negative");
        TrialFixture fx = loaded.fixtures().get(0);
        assertArrayEquals(new int[] {3, TrialFixture.FREE}, fx.actions()[0]);
        assertArrayEquals(
                new int[] {0, TrialFixture.FREE}, fx.actions()[1], "the single control of context is filled in");
        assertEquals(1, fx.state(1, 0));
    }

    @Test
    void theDeepModelsLinkExampleIsTheShippedOneAndLoads() throws Exception {
        String doc = Files.readString(Path.of("docs/model-format.md"));
        String section = doc.substring(doc.indexOf("## Deep models"));
        String example = section.substring(
                section.indexOf("```yaml\n") + 8, section.indexOf("```", section.indexOf("```yaml\n") + 8));
        String shipped = Files.readString(Path.of("config/models/oddball-sequence.yaml"));
        String link = example.substring(example.indexOf("  link:"), example.indexOf("    # or"));
        for (String line : link.split("\n")) {
            String code = line.replaceAll("\\s+#.*$", "").strip();
            assertTrue(shipped.contains(code), "the documented link line '" + code + "' is in oddball-sequence.yaml");
        }
        assertTrue(ShippedModelsTest.shipped("oddball-sequence.yaml").first().subordinate() != null);
    }

    @Test
    void theJsonExampleLoadsAsTheShippedOddball() throws Exception {
        LoadedModel json = new ModelSpecReader().read(block("json", 0), "oddball.json");
        LoadedModel yaml = ShippedModelsTest.shipped("oddball.yaml");
        ShippedModelsTest.assertSameArrays(yaml.first(), json.first());
        assertArrayEquals(
                yaml.fixtures().get(0).outcomes()[0], json.fixtures().get(0).outcomes()[0]);
        assertTrue(json.first().summary().startsWith("oddball: stimulus(2) states; tone(2) outcomes; 1 policies; T=4"));
    }
}
