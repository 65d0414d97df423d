package org.neuroflux.model.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.model.Subordinate;

/** The native form of deep models: lower.model read with every check, lower.link checked by name. */
class LowerLevelSpecTest {
    private static String shipped() throws Exception {
        return Files.readString(Path.of("config/models/oddball-sequence.yaml"));
    }

    private static List<ModelProblem> problems(String yaml) {
        return assertThrows(ModelValidationException.class, () -> new ModelSpecReader().read(yaml, "deep.yaml")).problems();
    }

    private static void assertProblem(List<ModelProblem> problems, String path, String fragment) {
        assertTrue(problems.stream().anyMatch(p -> p.path().equals(path) && p.message().contains(fragment)),
                () -> "no problem at " + path + " containing '" + fragment + "' in " + problems);
    }

    @Test
    void aMatrixLinkReadsAsSpmsLinkMatrix() throws Exception {
        String yaml = shipped().replace("map: {standard-run: standard, oddball-run: oddball}", "matrix: [[1, 0], [0, 1]]");
        Subordinate sub = new ModelSpecReader().read(yaml, "deep.yaml").first().subordinate();
        assertArrayEquals(new double[] {1, 0, 0, 1}, sub.link(0, 0), 0.0);
        assertFalse(sub.initialStateGiven(0));
        assertTrue(sub.initialStateGiven(1) == false && sub.model().initialStates(1)[0] == 1, "position starts certain through D");
    }

    @Test
    void linkNamesAreChecked() throws Exception {
        assertProblem(problems(shipped().replace("- modality: run", "- modality: runs")), "lower.link[1].modality",
                "expected a modality of this level: run");
        assertProblem(problems(shipped().replace("      factor: run", "      factor: clock")), "lower.link[1].factor",
                "expected a factor of the lower level: run, position");
        assertProblem(problems(shipped().replace("oddball-run: oddball}", "oddball-run: odd}")), "lower.link[1].map.oddball-run",
                "expected a state of run");
    }

    @Test
    void aLinkThatCannotNameTheInitialStateIsRefused() throws Exception {
        assertProblem(problems(shipped().replace(", oddball-run: oddball}", "}")), "lower.link[1]",
                "maps outcome 'oddball-run' to 0 states of run");
    }

    @Test
    void theLowerModelGetsEveryCheckUnderItsPath() throws Exception {
        assertProblem(problems(shipped().replace("        - p: {standard: 0.9, deviant: 0.1}", "        - p: {standard: 0.9, deviant: 0.2}")),
                "lower.model.A[1]", "sums to 1.10");
        assertProblem(problems(shipped().replace("  link:", "  links:")), "lower", "links");
    }

    @Test
    void aLinkTwiceIsRefused() throws Exception {
        String twice = shipped().replace("      map: {standard-run: standard, oddball-run: oddball}",
                "      map: {standard-run: standard, oddball-run: oddball}\n    - {modality: run, factor: run, matrix: [[1, 0], [0, 1]]}");
        assertProblem(problems(twice), "lower.link[2]", "a second time");
        assertEquals(1, new ModelSpecReader().read(shipped(), "deep.yaml").first().subordinate().depth());
    }
}
