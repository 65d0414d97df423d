package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

/**
 * What a deep model's run must satisfy beyond the hier-ai reference: several modalities (only linked
 * ones take the lower level's evidence), a controlled higher factor with preferences and sampled
 * outcomes, the fork's scheme, and levels nested three deep.
 */
class DeepModelTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * Higher level: a controlled 3-state factor (action k moves to state k), a 3-outcome modality linked
     * to the lower level's 3 states and an unlinked 2-outcome feedback modality with preferences; 3
     * policies, T = 3. Lower level: 3 states, 2 modalities, T = 3, nothing fixed.
     */
    private static final String MULTI = "{"
            + "\"A\":[[[0.8,0.1,0.1],[0.1,0.8,0.1],[0.1,0.1,0.8]],[[0.9,0.1,0.5],[0.1,0.9,0.5]]],"
            + "\"B\":[[[[1,1,1],[0,0,0],[0,0,0]],[[0,0,0],[1,1,1],[0,0,0]],[[0,0,0],[0,0,0],[1,1,1]]]],"
            + "\"C\":[[0,0,0],[[0,0,0],[0,2,2]]],\"D\":[[1,1,1]],"
            + "\"V\":[[1,2,3],[1,2,3]],\"T\":3,"
            + "\"MDP\":{\"A\":[[[0.7,0.2,0.1],[0.2,0.6,0.2],[0.1,0.2,0.7]],[[0.6,0.5,0.3],[0.4,0.5,0.7]]],"
            + "\"B\":[[[0.9,0.05,0.05],[0.05,0.9,0.05],[0.05,0.05,0.9]]],\"V\":[1,1],\"T\":3},"
            + "\"link\":[[[1,0,0],[0,1,0],[0,0,1]],[]]}";

    /** The hier-ai input. */
    private static final class ReferenceCasesText {
        static final String HIER_AI =
                "{\"A\":[[[0.8,0.2],[0.2,0.8]]],\"B\":[[[1,0],[0,1]]],\"D\":[[0.5,0.5]],\"V\":1,\"T\":2,"
                        + "\"MDP\":{\"A\":[[[0.9,0.1],[0.1,0.9]]],\"B\":[[[1,0],[0,1]]],\"D\":[[0.5,0.5]],\"V\":[1,1],\"T\":3,"
                        + "\"s\":[1,1,1],\"o\":[1,1,2],\"u\":[1,1]},\"link\":[[[1,0],[0,1]]],\"s\":[1,1],\"o\":[1,2],\"u\":1}";
    }

    private static SpmImport read(String json) throws Exception {
        return new SpmModelReader().read(json, "deep.json");
    }

    private static TrialTrace run(SpmImport in, SolverOptions options, long seed) {
        GenerativeModel model = in.models().get(0);
        return new TrialRunner(model, options).run(model, in.fixtures().get(0), new SplitMixSource(seed));
    }

    @Test
    void linkedModalitiesTakeTheLowerPosteriorAndOthersTheirOutcome() throws Exception {
        SpmImport in = read(MULTI);
        TrialTrace tr = run(in, SolverOptions.spm(), 7);
        assertEquals(3, tr.lower.length, "one lower trial per higher epoch");
        for (int t = 0; t < 3; t++) {
            TrialTrace low = tr.lower[t];
            for (int o = 0; o < 3; o++) {
                assertEquals(
                        low.X[0][o],
                        tr.outcomeLikelihoods[0][o + 3 * t],
                        0,
                        "O{1,t} = link' X(:,1) with link = eye(3)");
            }
            double[] oneHot = new double[2];
            oneHot[tr.o[1][t]] = 1;
            assertArrayEquals(
                    oneHot,
                    java.util.Arrays.copyOfRange(tr.outcomeLikelihoods[1], 2 * t, 2 * t + 2),
                    "unlinked: the outcome");
            double sum = 0;
            for (double d : low.receivedPrior[0]) sum += d;
            assertEquals(1, sum, 1e-12, "D = link A x sums to 1 for a 0/1 link");
            assertEquals(tr.o[0][t], low.s[0][0], "the lower initial state is the higher outcome through link");
            assertTrue(low.epochs >= 1 && low.epochs <= 3);
            assertNull(low.lower);
        }
        assertEquals(1, tr.R[0] + tr.R[1] + tr.R[2], 1e-12);
        assertTrue(tr.P.length > 0 && tr.u[0].length == 2);
    }

    @Test
    void theDeepRunIsReproducibleFromItsSeedAndDependsOnIt() throws Exception {
        SpmImport in = read(MULTI);
        TrialTrace a = run(in, SolverOptions.spm(), 11);
        TrialTrace b = run(in, SolverOptions.spm(), 11);
        assertArrayEquals(a.lower[2].xn[0], b.lower[2].xn[0]);
        assertArrayEquals(a.outcomeLikelihoods[0], b.outcomeLikelihoods[0]);
        boolean differs = false;
        for (long seed = 12; seed < 20 && !differs; seed++) {
            TrialTrace c = run(in, SolverOptions.spm(), seed);
            differs = !java.util.Arrays.equals(a.outcomeLikelihoods[0], c.outcomeLikelihoods[0]);
        }
        assertTrue(differs, "sampled lower outcomes change the evidence");
    }

    @Test
    void theForkRunsEveryLevelWithItsOwnScheme() throws Exception {
        TrialTrace tr = run(read(MULTI), SolverOptions.nat3(), 3);
        assertEquals(512, tr.iterations);
        for (TrialTrace low : tr.lower) assertEquals(512, low.iterations);
    }

    @Test
    void levelsNestThreeDeep() throws Exception {
        ObjectNode top = (ObjectNode) MAPPER.readTree(MULTI);
        ObjectNode middle = (ObjectNode) top.get("MDP");
        ObjectNode bottom = middle.deepCopy();
        middle.set("MDP", bottom);
        middle.set("link", MAPPER.readTree("[[[1,0,0],[0,1,0],[0,0,1]],[]]"));
        TrialTrace tr = run(read(MAPPER.writeValueAsString(top)), SolverOptions.spm(), 5);
        for (TrialTrace mid : tr.lower) {
            assertNotNull(mid.lower);
            assertEquals(mid.epochs, mid.lower.length, "one bottom trial per middle epoch run");
            assertNotNull(mid.receivedPrior);
            assertNotNull(mid.outcomeLikelihoods);
        }
    }

    @Test
    void aSettledLowerLevelStopsEarlyAndKeepsSpmShapes() throws Exception {
        SpmImport in = read(ReferenceCasesText.HIER_AI);
        TrialTrace tr = run(in, SolverOptions.spm(), 1);
        TrialTrace low = tr.lower[0];
        assertEquals(2, low.epochs, "hier-ai's lower level settles after 2 of its 3 epochs");
        assertEquals(3, low.timePoints);
        assertEquals(16 * 2 * 2 * 2, low.xn[0].length);
        assertEquals(2 * 3, low.X[0].length);
    }
}
