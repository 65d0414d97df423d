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
        return assertThrows(ModelValidationException.class, () -> new ModelSpecReader().read(yaml, "deep.yaml"))
                .problems();
    }

    private static void assertProblem(List<ModelProblem> problems, String path, String fragment) {
        assertTrue(
                problems.stream()
                        .anyMatch(p -> p.path().equals(path) && p.message().contains(fragment)),
                () -> "no problem at " + path + " containing '" + fragment + "' in " + problems);
    }

    @Test
    void aMatrixLinkReadsAsSpmsLinkMatrix() throws Exception {
        String yaml =
                shipped().replace("map: {standard-run: standard, oddball-run: oddball}", "matrix: [[1, 0], [0, 1]]");
        Subordinate sub = new ModelSpecReader().read(yaml, "deep.yaml").first().subordinate();
        assertArrayEquals(new double[] {1, 0, 0, 1}, sub.link(0, 0), 0.0);
        assertFalse(sub.initialStateGiven(0));
        assertTrue(
                sub.initialStateGiven(1) == false && sub.model().initialStates(1)[0] == 1,
                "position starts certain through D");
    }

    /** hier-ai in the native format: the lower level fixes its states, so the link sets only its prior. */
    private static final String HIER_AI = String.join(
            "\n",
            "T: 2",
            "factors: [{name: hidden, states: [a, b]}]",
            "modalities: [{name: seen, outcomes: [a, b]}]",
            "policies: [{name: only}]",
            "A: {seen: [{when: {hidden: a}, p: {a: 0.8, b: 0.2}}, {when: {hidden: b}, p: {a: 0.2, b: 0.8}}]}",
            "B: {hidden: identity}",
            "trial: {states: {hidden: [a, a]}, outcomes: {seen: [a, b]}}",
            "lower:",
            "  link: [{modality: seen, factor: tone, map: {a: standard, b: deviant}}]",
            "  model:",
            "    T: 3",
            "    factors: [{name: tone, states: [standard, deviant]}]",
            "    modalities: [{name: heard, outcomes: [standard, deviant]}]",
            "    policies: [{name: only}]",
            "    A: {heard: [{when: {tone: standard}, p: {standard: 0.9, deviant: 0.1}}, {when: {tone: deviant}, p: {standard: 0.1, deviant: 0.9}}]}",
            "    B: {tone: identity}",
            "    trial: {states: {tone: [standard, standard, standard]}, outcomes: {heard: [standard, standard, deviant]}}",
            "");

    @Test
    void theNativeFormOfHierAiRunsAsItsSpmStruct() throws Exception {
        org.neuroflux.model.LoadedModel nat = new ModelSpecReader().read(HIER_AI, "hier.yaml");
        String json;
        try (java.io.InputStream in = getClass().getResourceAsStream("/reference/hier-ai/mdp.json")) {
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        org.neuroflux.spm.SpmImport spm = new org.neuroflux.spm.SpmModelReader().read(json, "mdp.json");
        assertTrue(nat.first().subordinate().initialStateGiven(0), "trial.states fixes the lower initial state");
        org.neuroflux.dynamics.TrialTrace a = run(nat.first(), nat.fixtures().get(0));
        org.neuroflux.dynamics.TrialTrace b =
                run(spm.models().get(0), spm.fixtures().get(0));
        assertArrayEquals(b.xn[0], a.xn[0], 0.0);
        assertArrayEquals(b.outcomeLikelihoods[0], a.outcomeLikelihoods[0], 0.0);
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(b.lower[t].xn[0], a.lower[t].xn[0], 0.0);
            assertArrayEquals(b.lower[t].receivedPrior[0], a.lower[t].receivedPrior[0], 0.0);
        }
    }

    private static org.neuroflux.dynamics.TrialTrace run(
            org.neuroflux.model.GenerativeModel m, org.neuroflux.model.TrialFixture fx) {
        return new org.neuroflux.dynamics.TrialRunner(m, org.neuroflux.dynamics.SolverOptions.spm())
                .run(m, fx, new org.neuroflux.random.SplitMixSource(1));
    }

    @Test
    void linkNamesAreChecked() throws Exception {
        assertProblem(
                problems(shipped().replace("- modality: run", "- modality: runs")),
                "lower.link[1].modality",
                "expected a modality of this level: run");
        assertProblem(
                problems(shipped().replace("      factor: run", "      factor: clock")),
                "lower.link[1].factor",
                "expected a factor of the lower level: run, position");
        assertProblem(
                problems(shipped().replace("oddball-run: oddball}", "oddball-run: odd}")),
                "lower.link[1].map.oddball-run",
                "expected a state of run");
    }

    @Test
    void aLinkThatCannotNameTheInitialStateIsRefused() throws Exception {
        assertProblem(
                problems(shipped().replace(", oddball-run: oddball}", "}")),
                "lower.link[1]",
                "maps outcome 'oddball-run' to 0 states of run");
    }

    @Test
    void theLowerModelGetsEveryCheckUnderItsPath() throws Exception {
        assertProblem(
                problems(shipped()
                        .replace(
                                "        - p: {standard: 0.9, deviant: 0.1}",
                                "        - p: {standard: 0.9, deviant: 0.2}")),
                "lower.model.A[1]",
                "sums to 1.10");
        assertProblem(problems(shipped().replace("  link:", "  links:")), "lower", "links");
    }

    @Test
    void aLinkTwiceIsRefused() throws Exception {
        String twice = shipped()
                .replace(
                        "      map: {standard-run: standard, oddball-run: oddball}",
                        "      map: {standard-run: standard, oddball-run: oddball}\n    - {modality: run, factor: run, matrix: [[1, 0], [0, 1]]}");
        assertProblem(problems(twice), "lower.link[2]", "a second time");
        assertEquals(
                1,
                new ModelSpecReader()
                        .read(shipped(), "deep.yaml")
                        .first()
                        .subordinate()
                        .depth());
    }
}
