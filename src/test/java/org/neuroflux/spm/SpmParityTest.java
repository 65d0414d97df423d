package org.neuroflux.spm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;

/**
 * The numerical contract: every reference case made by running SPM's own solver under Octave is
 * reproduced field by field (see src/test/resources/reference/README.md for layouts and tolerances).
 */
class SpmParityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode resource(String path) throws Exception {
        try (InputStream in = SpmParityTest.class.getResourceAsStream("/reference/" + path)) {
            if (in == null) throw new IllegalStateException("missing test resource /reference/" + path);
            return MAPPER.readTree(in);
        }
    }

    static TrialTrace[] simulate(String caseName, SolverOptions options) throws Exception {
        String text;
        try (InputStream in = SpmParityTest.class.getResourceAsStream("/reference/" + caseName + "/mdp.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SpmImport imported = new SpmModelReader().read(text, caseName + "/mdp.json");
        List<GenerativeModel> models = imported.models();
        TrialRunner runner = new TrialRunner(models.get(0), options);
        return runner.runSequence(
                models.toArray(GenerativeModel[]::new),
                imported.fixtures().toArray(TrialFixture[]::new),
                new SplitMixSource(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "oddball-ai, spm",
        "tmaze-ai-onpolicy, spm",
        "tmaze-ng-onpolicy, nat3",
        "tmaze-ai-2trials, spm",
        "rule-ai, spm",
        "tmaze-ai-learn-2trials, spm"
    })
    void reproducesSpmOutputs(String caseName, String preset) throws Exception {
        SolverOptions options = preset.equals("spm") ? SolverOptions.spm() : SolverOptions.nat3();
        JsonNode actual = SpmOutputWriter.write(simulate(caseName, options));
        JsonNode expected = resource(caseName + "/out.json");
        if (!expected.isArray()) {
            expected = MAPPER.createArrayNode().add(expected);
            actual = MAPPER.createArrayNode().add(actual);
        }
        assertEquals(expected.size(), actual.size(), "trials");
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i);
            JsonNode a = actual.get(i);
            String at = caseName + " trial " + (i + 1) + " ";
            for (String field : List.of(
                    "xn", "vn", "un", "wn", "dn", "R", "F", "G", "H", "X", "Q", "w", "o", "s", "u", "d", "a", "b", "c",
                    "e")) {
                if (!e.has(field)) continue;
                JsonComparison c = new JsonComparison(1e-9, 0).compare(at + field, e.get(field), a.get(field));
                assertTrue(c.mismatches.isEmpty(), () -> String.join("\n", c.mismatches));
                assertTrue(c.leaves > 0 || e.get(field).isEmpty(), at + field + " compared no numbers");
                if (System.getProperty("parity.report") != null)
                    System.err.println(at + field + " worst " + c.worst + " over " + c.leaves);
            }
            // P holds values near the floor (1e-96, 2e-312): absolute comparison as the README advises
            JsonComparison p = new JsonComparison(1e-9, 0).compare(at + "P", e.get("P"), a.get("P"));
            assertTrue(p.mismatches.isEmpty(), () -> String.join("\n", p.mismatches));
            for (String field : List.of("Fd", "Fa", "Fb", "Fc", "Fe")) {
                if (!e.has(field)) continue;
                JsonComparison c = new JsonComparison(1e-9, 0).compare(at + field, e.get(field), a.get(field));
                assertTrue(c.mismatches.isEmpty(), () -> String.join("\n", c.mismatches));
                assertTrue(c.leaves > 0, at + field + " compared no numbers");
                if (System.getProperty("parity.report") != null)
                    System.err.println(at + field + " worst " + c.worst + " over " + c.leaves);
            }
            JsonComparison len = new JsonComparison(0, 1e-9)
                    .compare(at + "info_length", e.get("info_length"), a.get("info_length"))
                    .compare(
                            at + "info_length_per_factor",
                            e.get("info_length_per_factor"),
                            a.get("info_length_per_factor"));
            assertTrue(len.mismatches.isEmpty(), () -> String.join("\n", len.mismatches));
            // fr_distance is ill-conditioned near 0 (2 acos(1 - e) ~ 2 sqrt(2e)): 1e-7 absolute
            JsonComparison fr = new JsonComparison(1e-7, 0)
                    .compare(at + "fr_distance", e.get("fr_distance"), a.get("fr_distance"))
                    .compare(
                            at + "fr_distance_tau_epoch",
                            e.get("fr_distance_tau_epoch"),
                            a.get("fr_distance_tau_epoch"));
            assertTrue(fr.mismatches.isEmpty(), () -> String.join("\n", fr.mismatches));
        }
    }
}
