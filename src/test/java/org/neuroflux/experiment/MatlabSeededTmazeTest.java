package org.neuroflux.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.RandomStreamKind;
import org.neuroflux.spm.SpmModelReader;

/**
 * Agent 1 of the paper's T-maze experiment, run by SPM and the authors' fork under Octave with
 * MATLAB's rng(1): states, outcomes and actions are sampled, so matching it checks the whole loop
 * (sampling order, action selection, learning of d across 24 trials), draw for draw. Agent 1 runs
 * in a batch with agents 2 and 3 (the batched solver, lockstep), as the experiment runs it.
 */
class MatlabSeededTmazeTest {
    private static JsonNode expected;
    private static List<AgentTrial> rows;

    @BeforeAll
    static void runAgentOne() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        try (InputStream in =
                MatlabSeededTmazeTest.class.getResourceAsStream("/reference/experiment-tmaze-agent1/agent1.json")) {
            expected = mapper.readTree(in).get("schemes");
        }
        String mdp;
        try (InputStream in = MatlabSeededTmazeTest.class.getResourceAsStream("/reference/tmaze-ai-2trials/mdp.json")) {
            mdp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // the demo's T-maze with d = [128 1 1 0]', [2 2]' and no D: the first struct of this case
        GenerativeModel tmaze = new SpmModelReader().read(mdp, "tmaze").models().get(0);
        Paradigm paradigm = Paradigm.tmaze(tmaze);
        rows = new ExperimentRunner(
                        paradigm,
                        new SolverOptions[] {SolverOptions.nat3(), SolverOptions.spm()},
                        RandomStreamKind.MATLAB,
                        0)
                .runAgents(1, 3, 24).stream().filter(r -> r.agent() == 1).toList();
    }

    private static void check(String scheme, String label) {
        JsonNode e = expected.get(scheme);
        List<AgentTrial> mine =
                rows.stream().filter(r -> r.scheme().equals(label)).toList();
        assertEquals(24, mine.size());
        for (int i = 0; i < 24; i++) {
            AgentTrial r = mine.get(i);
            String at = scheme + " trial " + (i + 1) + ": ";
            // the policy posterior first: it decides the sampled action
            double[] r1 = new double[5];
            for (int k = 0; k < 5; k++) r1[k] = e.get("R_epoch1").get(i).get(k).asDouble();
            assertArrayEquals(r1, r.policyPosteriorEpoch1(), 1e-9, at + "R(:,1)");
            assertEquals(e.get("context").get(i).asInt(), r.states()[1][0] + 1, at + "context");
            assertEquals(e.get("location_t2").get(i).asInt(), r.states()[0][1] + 1, at + "location t=2");
            assertEquals(e.get("location_t3").get(i).asInt(), r.states()[0][2] + 1, at + "location t=3");
            for (int t = 0; t < 2; t++)
                assertEquals(e.get("action").get(i).get(t).asInt(), r.actions()[0][t] + 1, at + "action " + t);
            for (int t = 0; t < 3; t++) {
                assertEquals(
                        e.get("outcome_location").get(i).get(t).asInt(),
                        r.outcomes()[0][t] + 1,
                        at + "where outcome " + t);
                assertEquals(
                        e.get("outcome_reward").get(i).get(t).asInt(),
                        r.outcomes()[1][t] + 1,
                        at + "reward outcome " + t);
            }
            assertEquals(e.get("hit").get(i).asInt() == 1, r.hit(), at + "hit");
            double il = e.get("info_length").get(i).asDouble();
            assertEquals(il, r.infoLength(), 1e-9 * il, at + "information length");
            assertEquals(
                    e.get("info_length_factor1").get(i).asDouble(),
                    r.infoLengthPerFactor()[0],
                    1e-9 * il,
                    at + "factor 1");
            assertEquals(
                    e.get("info_length_factor2").get(i).asDouble(),
                    r.infoLengthPerFactor()[1],
                    1e-9 * il,
                    at + "factor 2");
            for (int s = 0; s < 4; s++) {
                assertEquals(
                        e.get("d_after_trial_factor1").get(i).get(s).asDouble(),
                        r.learnedInitialCounts()[0][s],
                        1e-9,
                        at + "d{1}");
            }
            for (int s = 0; s < 2; s++) {
                assertEquals(
                        e.get("d_after_trial_factor2").get(i).get(s).asDouble(),
                        r.learnedInitialCounts()[1][s],
                        1e-9,
                        at + "d{2}");
            }
            assertEquals(e.get("X_context1_at_T").get(i).asDouble(), r.finalBeliefs()[1][0], 1e-9, at + "X{2}(1,T)");
        }
    }

    @Test
    void activeInferenceReproducesAgentOneOfSpm() {
        check("AI", "active-inference");
    }

    @Test
    void naturalGradientReproducesAgentOneOfTheFork() {
        check("NG", "natural-gradient");
    }
}
