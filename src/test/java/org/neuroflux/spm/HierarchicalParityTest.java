package org.neuroflux.spm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuroflux.dynamics.SolverOptions;

/**
 * Deep models: every reference case whose input has a lower level (MDP.MDP and link) is reproduced
 * field by field, the higher level's fields, O, and every lower-level entry of mdp (recursively, with
 * the D each received), to the README's tolerances.
 */
class HierarchicalParityTest {
    private static final Set<String> LABELS =
            Set.of("scenario", "solver", "Ni_note", "shapes", "mdp_shapes", "trial", "precision_note");

    static Stream<String> deepCases() throws IOException, URISyntaxException {
        Path root = Path.of(HierarchicalParityTest.class
                        .getResource("/reference/README.md")
                        .toURI())
                .getParent();
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs.sorted()::iterator) {
                Path mdp = dir.resolve("mdp.json");
                if (Files.isRegularFile(mdp)
                        && Files.isRegularFile(dir.resolve("out.json"))
                        && Files.readString(mdp).contains("\"MDP\"")) {
                    names.add(dir.getFileName().toString());
                }
            }
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepCases")
    void reproducesSpmIncludingLowerLevels(String caseName) throws Exception {
        JsonNode expected = SpmParityTest.resource(caseName + "/out.json");
        JsonNode first = expected.isArray() ? expected.get(0) : expected;
        SolverOptions options =
                first.path("solver").asText().endsWith("nat3") ? SolverOptions.nat3() : SolverOptions.spm();
        JsonNode actual = SpmOutputWriter.write(SpmParityTest.simulate(caseName, options));
        Map<String, Double> worst = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        compareLevel(caseName, expected, actual, worst, mismatches);
        assertTrue(
                mismatches.isEmpty(), () -> String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
        assertTrue(
                worst.containsKey("mdp.xn") && worst.containsKey("O") && worst.containsKey("mdp.D"),
                caseName + " compared " + worst.keySet());
        if (System.getProperty("parity.report") != null)
            worst.forEach((k, v) -> System.err.println(caseName + " " + k + " worst " + v));
    }

    /** Compares one level (object or list of trial objects), recursing into mdp entries. */
    private static void compareLevel(String at, JsonNode e, JsonNode a, Map<String, Double> worst, List<String> out) {
        compareLevel(at, "", e, a, worst, out);
    }

    private static void compareLevel(
            String at, String group, JsonNode e, JsonNode a, Map<String, Double> worst, List<String> out) {
        if (e.isArray()) {
            if (!a.isArray() || a.size() != e.size()) {
                out.add(at + ": expected " + e.size() + " entries, got " + (a.isArray() ? a.size() : a.getNodeType()));
                return;
            }
            for (int i = 0; i < e.size(); i++) compareLevel(at + "[" + i + "]", group, e.get(i), a.get(i), worst, out);
            return;
        }
        assertFalse(e.isEmpty(), at + " is empty");
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (LABELS.contains(field)) continue;
            String path = at + "." + field;
            if (!a.has(field)) {
                out.add(path + ": missing from neuroflux's output");
                continue;
            }
            if (field.equals("mdp")) {
                compareLevel(path, group + "mdp.", e.get(field), a.get(field), worst, out);
                continue;
            }
            JsonComparison c = comparison(field).compare(path, e.get(field), a.get(field));
            out.addAll(c.mismatches);
            if (c.leaves == 0 && !e.get(field).isEmpty() && !e.get(field).isNull())
                out.add(path + ": compared no numbers");
            worst.merge(group + field, c.worst, Math::max);
        }
    }

    /** The README's tolerances: 1e-9 absolute; information length relative; fr_distance 1e-7 (ill-conditioned near 0). */
    private static JsonComparison comparison(String field) {
        return switch (field) {
            case "info_length", "info_length_per_factor" -> new JsonComparison(0, 1e-9);
            case "fr_distance", "fr_distance_tau_epoch" -> new JsonComparison(1e-7, 0);
            default -> new JsonComparison(1e-9, 0);
        };
    }

    @org.junit.jupiter.api.Test
    void findsTheShippedDeepCase() throws Exception {
        assertEquals(
                List.of("hier-ai"), deepCases().filter(n -> n.equals("hier-ai")).toList());
    }
}
