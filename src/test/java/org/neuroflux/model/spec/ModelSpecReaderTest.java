package org.neuroflux.model.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuroflux.model.spec.SpecFixtures.MINI;
import static org.neuroflux.model.spec.SpecFixtures.load;
import static org.neuroflux.model.spec.SpecFixtures.mini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.library.ModelFiles;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelFormat;
import org.neuroflux.model.SolverParameters;
import org.neuroflux.model.TrialFixture;

/** What each construct of the native format means, in SPM's arrays. */
class ModelSpecReaderTest {

    @Test
    void defaultsFollowSpm() throws Exception {
        GenerativeModel m = load(MINI).first();
        assertEquals(SolverParameters.DEFAULTS, m.parameters());
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, m.initialStates(0), 0.0, "D uniform");
        assertArrayEquals(new double[] {0.5, 0.5}, m.policyPrior(), 0.0, "E uniform");
        assertArrayEquals(new double[6], m.preferences(1), 0.0, "C zero, (No, T)");
        assertFalse(m.learnsLikelihood());
        assertFalse(m.learnsInitialStates());
        assertEquals(List.of("none"), m.factors().get(1).controls(), "a factor without controls has one, named none");
        assertEquals("", m.description());
        TrialFixture fx = load(MINI).fixtures().get(0);
        assertEquals(TrialFixture.FREE, fx.outcome(0, 2), "everything is sampled without a trial section");
    }

    @Test
    void likelihoodRulesApplyInOrderAndFillColumnMajorArrays() throws Exception {
        GenerativeModel m =
                load(mini("p: {none: 0.5, win: 0.5}", "oneOf: [none, win]")).first();
        double[] a = m.likelihood(1); // (reward 2) x (location 3) x (context 2), outcome fastest
        for (int location = 0; location < 3; location++) {
            for (int context = 0; context < 2; context++) {
                int col = location + 3 * context;
                double win = location == 2 && context == 0 ? 0.5 : 0;
                assertEquals(1 - win, a[2 * col], 0.0, "none at " + col);
                assertEquals(win, a[2 * col + 1], 0.0, "win at " + col);
            }
        }
    }

    @Test
    void transitionsAreToByFromPerControl() throws Exception {
        String text = mini("go-left: {moveTo: left}", "go-left: {moveTo: left, absorbing: right}")
                .replace("go-right: {moveTo: right}", "go-right: {matrix: [[0.5, 0, 0], [0, 1, 0], [0.5, 0, 1]]}");
        double[] b = load(text).first().transitions(0); // (to, from, control), 3 x 3 x 3
        int ns = 3;
        for (int from = 0; from < ns; from++) assertEquals(1, b[from + ns * from], 0.0, "stay is identity");
        assertEquals(1, b[1 + ns * 0 + 9], 0.0, "go-left moves centre to left");
        assertEquals(1, b[2 + ns * 2 + 9], 0.0, "go-left leaves the absorbing right arm where it is");
        assertEquals(0.5, b[2 + ns * 0 + 18], 0.0, "go-right matrix: centre to right");
        assertEquals(0.5, b[0 + ns * 0 + 18], 0.0, "go-right matrix: centre stays");
    }

    @Test
    void preferencesPriorsAndCountsAreGivenByName() throws Exception {
        String text = MINI + """
                C:
                  reward: {win: 3, none: [0, -1, -2]}
                D:
                  location: centre
                  context: {a: 0.25, b: 0.75}
                E: {wait: 0.2, left: 0.8}
                learn:
                  d:
                    location: {scale: 8}
                    context: {a: 1, b: 3}
                  a:
                    where: {scale: 64}
                    reward:
                      - scale: 2
                      - when: {location: right}
                        p: {none: 1, win: 1}
                parameters: {tau: 16, eta: 0.5}
                """;
        GenerativeModel m = load(text).first();
        assertArrayEquals(new double[] {0, 3, -1, 3, -2, 3}, m.preferences(1), 0.0);
        assertArrayEquals(new double[] {1, 0, 0}, m.initialStates(0), 0.0);
        assertArrayEquals(new double[] {0.25, 0.75}, m.initialStates(1), 0.0);
        assertArrayEquals(new double[] {0.2, 0.8}, m.policyPrior(), 0.0);
        assertArrayEquals(new double[] {8, 0, 0}, m.initialCounts(0), 0.0);
        assertArrayEquals(new double[] {1, 3}, m.initialCounts(1), 0.0);
        assertEquals(64, m.likelihoodCounts(0)[0], 0.0, "64 x A: centre seen at the centre");
        double[] a = m.likelihoodCounts(1);
        assertArrayEquals(new double[] {2, 0}, new double[] {a[0], a[1]}, 0.0, "2 x A at the centre");
        assertArrayEquals(new double[] {1, 1}, new double[] {a[4], a[5]}, 0.0, "flat counts at the right arm");
        assertEquals(16, m.parameters().tau(), 0.0);
        assertEquals(0.5, m.parameters().eta(), 0.0);
        assertEquals(4, m.parameters().erp(), 0.0);
    }

    @Test
    void oneStepPoliciesTakeOneControlPerFactor() throws Exception {
        String text = mini("T: 3", "T: 5\noneStep: true")
                .replace("{name: wait, location: [stay, stay]}", "{name: wait, location: stay}")
                .replace("{name: left, location: [go-left, stay]}", "{name: left, location: [go-left]}");
        GenerativeModel m = load(text).first();
        assertTrue(m.movingPolicies());
        assertEquals(1, m.policySteps());
        assertEquals(1, m.policyControl(1, 0, 0));
        assertEquals(5, m.epochs());
    }

    @Test
    void trialDataTakesNamesIndicesAndZeroForSampled() throws Exception {
        LoadedModel loaded = load(MINI
                + "trial:\n  states: {location: [centre, 0, 3], context: [2]}\n  outcomes: {reward: [none, win]}\n");
        TrialFixture fx = loaded.fixtures().get(0);
        assertArrayEquals(new int[] {0, TrialFixture.FREE, 2}, fx.states()[0]);
        assertArrayEquals(new int[] {1, TrialFixture.FREE, TrialFixture.FREE}, fx.states()[1]);
        assertArrayEquals(new int[] {0, 1, TrialFixture.FREE}, fx.outcomes()[1]);
        assertArrayEquals(new int[] {TrialFixture.FREE, TrialFixture.FREE}, fx.actions()[0]);
    }

    @Test
    void nameDefaultsToTheFileNameAndDescriptionIsKept() throws Exception {
        GenerativeModel m = new ModelSpecReader()
                .read(MINI.replace("name: mini\n", "description: a small maze\n"), "dir/my-model.yaml")
                .first();
        assertEquals("my-model", m.name());
        assertEquals("a small maze", m.description());
    }

    @Test
    void theSameStructureIsReadFromJson(@TempDir Path dir) throws Exception {
        Object tree = new ObjectMapper(new YAMLFactory()).readValue(MINI, Object.class);
        Path json = dir.resolve("mini.json");
        Files.writeString(json, new ObjectMapper().writeValueAsString(tree));
        Path yml = dir.resolve("mini.yml");
        Files.writeString(yml, MINI);
        LoadedModel fromJson = ModelFiles.load(json, false);
        LoadedModel fromYml = ModelFiles.load(yml, false);
        assertEquals(ModelFormat.NATIVE, fromJson.format());
        assertEquals(ModelFormat.NATIVE, fromYml.format());
        ShippedModelsTest.assertSameArrays(fromYml.first(), fromJson.first());
        assertEquals(fromYml.first().summary(), fromJson.first().summary());
    }

    @Test
    void yamlInFlowStyleIsYamlEvenThoughItStartsWithABrace() throws Exception {
        String flow = "{T: 2, factors: [{name: s, states: [x, y]}], modalities: [{name: o, outcomes: [x, y]}],"
                + " policies: [{name: p}], A: {o: {p: uniform}}, B: {s: identity}}  # a comment\n";
        assertEquals(1, new ModelSpecReader().read(flow, "flow.yaml").first().policyCount());
    }

    @Test
    void modelFilesStillReadsSpmJsonAsSpm(@TempDir Path dir) throws Exception {
        Path spm = dir.resolve("oddball.json");
        Files.writeString(
                spm, "{\"A\":[[[0.9,0.1],[0.1,0.9]]],\"B\":[[[1,0],[0,1]]],\"D\":[[0.5,0.5]],\"V\":[1,1,1],\"T\":4}");
        LoadedModel loaded = ModelFiles.load(spm, false);
        assertEquals(ModelFormat.SPM_JSON, loaded.format());
        ShippedModelsTest.assertSameArrays(
                loaded.first(), ShippedModelsTest.shipped("oddball.yaml").first());
        assertNull(loaded.first().likelihoodCounts(0));
    }

    @Test
    void duplicatePoliciesLoadWithAWarning() throws Exception {
        LoadedModel loaded = load(mini("location: [go-left, stay]", "location: [stay, stay]"));
        assertEquals(1, loaded.warnings().size());
        assertEquals("policies[2]", loaded.warnings().get(0).path());
        assertTrue(loaded.warnings().get(0).message().startsWith("repeats the controls of policies[1]"));
    }
}
