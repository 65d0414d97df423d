package org.neuroflux.model.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelFormat;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.spm.SpmModelReader;

/**
 * The models shipped in config/models are the papers' models: every array equals, entry for
 * entry, what the SPM importer reads from the reference case the SPM code was run on.
 */
class ShippedModelsTest {
    /** The files write 0.02 where SPM holds 1 - 0.98 = 0.020000000000000018. */
    private static final double TOLERANCE = 1e-15;

    static LoadedModel shipped(String name) throws Exception {
        return new ModelSpecReader().read(Path.of("config/models", name));
    }

    static GenerativeModel reference(String caseName) throws Exception {
        try (InputStream in = ShippedModelsTest.class.getResourceAsStream("/reference/" + caseName + "/mdp.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new SpmModelReader()
                    .read(text, caseName + "/mdp.json")
                    .models()
                    .get(0);
        }
    }

    @Test
    void tmazeIsTheSpmTmazeWithLearnedInitialStates() throws Exception {
        LoadedModel loaded = shipped("tmaze.yaml");
        GenerativeModel m = loaded.first();
        assertSameArrays(reference("tmaze-ai-2trials"), m);
        assertEquals(ModelFormat.NATIVE, loaded.format());
        assertEquals(List.of(), loaded.warnings());
        assertEquals(
                List.of("centre", "left", "right", "cue"), m.factors().get(0).states());
        assertEquals(List.of("left-better", "right-better"), m.factors().get(1).states());
        assertEquals(
                List.of("centre", "left", "right", "cue-left", "cue-right"),
                m.modalities().get(0).outcomes());
        assertEquals(
                List.of("none", "positive", "negative"), m.modalities().get(1).outcomes());
        // context 1 baits the left arm: positive reward with p = .98 at (left, left-better)
        assertEquals(0.98, m.likelihood(1)[1 + 3 * (1 + 4 * 0)], 0.0);
        TrialFixture fx = loaded.fixtures().get(0);
        assertEquals(0, fx.state(0, 0), "starts at the centre");
        assertEquals(TrialFixture.FREE, fx.state(1, 0), "the context is sampled");
        assertEquals(TrialFixture.FREE, fx.outcome(0, 0));
    }

    @Test
    void ruleLearningIsTheAuthorsRuleTask() throws Exception {
        LoadedModel loaded = shipped("rule-learning.yaml");
        GenerativeModel m = loaded.first();
        assertSameArrays(reference("rule-ai"), m);
        assertTrue(m.movingPolicies());
        assertEquals(List.of(), loaded.warnings());
        assertEquals(
                List.of("left", "centre", "right", "null"), m.factors().get(2).states());
        assertEquals(List.of("null", "right", "wrong"), m.modalities().get(2).outcomes());
    }

    @Test
    void oddballIsTheOddballReferenceCase() throws Exception {
        LoadedModel loaded = shipped("oddball.yaml");
        assertSameArrays(reference("oddball-ai"), loaded.first());
        TrialFixture fx = loaded.fixtures().get(0);
        assertArrayEquals(new int[] {0, 0, 0, 1}, fx.outcomes()[0]);
    }

    @Test
    void oddballSequenceIsATwoLevelModelThatRuns() throws Exception {
        LoadedModel loaded = shipped("oddball-sequence.yaml");
        GenerativeModel top = loaded.first();
        assertEquals(List.of(), loaded.warnings());
        org.neuroflux.model.Subordinate lower = top.subordinate();
        assertEquals(1, lower.depth());
        assertEquals(
                List.of("run", "position"),
                lower.model().factors().stream()
                        .map(org.neuroflux.model.Factor::name)
                        .toList());
        assertArrayEquals(
                new double[] {1, 0, 0, 1}, lower.link(0, 0), 0.0, "standard-run -> standard, oddball-run -> oddball");
        assertFalse(lower.linked(1, 0), "position is not linked");
        org.neuroflux.dynamics.TrialTrace tr = new org.neuroflux.dynamics.TrialRunner(
                        top, org.neuroflux.dynamics.SolverOptions.spm())
                .run(top, loaded.fixtures().get(0), new org.neuroflux.random.SplitMixSource(1));
        assertEquals(3, tr.lower.length, "one tone run per sequence epoch");
        for (int t = 0; t < 3; t++) {
            assertEquals(
                    tr.o[0][t], tr.lower[t].s[0][0], "the run the tone level hears is the sequence level's outcome");
            assertEquals(0, tr.lower[t].s[1][0], "every run starts at the first position");
        }
        // the sequence level's evidence is the tone level's belief about the run it heard
        assertEquals(tr.lower[2].X[0][1], tr.outcomeLikelihoods[0][1 + 2 * 2], 0.0);
        assertTrue(tr.X[0][2 * 2 - 2] > 0.5, "two standard runs favour the standards regime");
    }

    static void assertSameArrays(GenerativeModel expected, GenerativeModel actual) {
        assertEquals(expected.epochs(), actual.epochs(), "T");
        assertEquals(expected.factorCount(), actual.factorCount(), "factors");
        assertEquals(expected.modalityCount(), actual.modalityCount(), "modalities");
        assertEquals(expected.movingPolicies(), actual.movingPolicies(), "one-step policies");
        assertEquals(expected.parameters(), actual.parameters(), "parameters");
        for (int f = 0; f < expected.factorCount(); f++) {
            assertEquals(
                    expected.factors().get(f).stateCount(),
                    actual.factors().get(f).stateCount(),
                    "Ns of factor " + (f + 1));
            assertEquals(
                    expected.factors().get(f).controlCount(),
                    actual.factors().get(f).controlCount(),
                    "Nu of factor " + (f + 1));
            assertArrayEquals(expected.transitions(f), actual.transitions(f), 0.0, "B{" + (f + 1) + "}");
            assertArrayEquals(expected.initialStates(f), actual.initialStates(f), 0.0, "D{" + (f + 1) + "}");
            if (expected.learnsInitialStates()) {
                assertArrayEquals(expected.initialCounts(f), actual.initialCounts(f), 0.0, "d{" + (f + 1) + "}");
            } else {
                assertNull(actual.initialCounts(f), "d{" + (f + 1) + "}");
            }
        }
        for (int g = 0; g < expected.modalityCount(); g++) {
            assertEquals(
                    expected.modalities().get(g).outcomeCount(),
                    actual.modalities().get(g).outcomeCount(),
                    "No of modality " + (g + 1));
            assertArrayEquals(expected.likelihood(g), actual.likelihood(g), TOLERANCE, "A{" + (g + 1) + "}");
            assertArrayEquals(expected.preferences(g), actual.preferences(g), 0.0, "C{" + (g + 1) + "}");
            if (expected.learnsLikelihood()) {
                assertArrayEquals(expected.likelihoodCounts(g), actual.likelihoodCounts(g), 0.0, "a{" + (g + 1) + "}");
            } else {
                assertNull(actual.likelihoodCounts(g), "a{" + (g + 1) + "}");
            }
        }
        assertArrayEquals(expected.policyPrior(), actual.policyPrior(), 0.0, "E");
        assertEquals(expected.policyCount(), actual.policyCount(), "policies");
        for (int k = 0; k < expected.policyCount(); k++) {
            for (int j = 0; j < expected.policySteps(); j++) {
                for (int f = 0; f < expected.factorCount(); f++) {
                    assertEquals(
                            expected.policyControl(k, j, f),
                            actual.policyControl(k, j, f),
                            "policy " + (k + 1) + " step " + (j + 1) + " factor " + (f + 1));
                }
            }
        }
    }
}
