package org.neuroflux.spm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;

/** Bad SPM structs are refused with the MATLAB path, the value found and what was expected. */
class SpmModelReaderValidationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The oddball-ai input: one factor, one modality, one policy of 3 steps, T = 4. */
    private static final String ODDBALL = "{\"A\":[[[0.9,0.1],[0.1,0.9]]],\"B\":[[[1,0],[0,1]]],\"D\":[[0.5,0.5]],"
            + "\"V\":[1,1,1],\"T\":4,\"tau\":4,\"s\":[1,1,1,2],\"o\":[1,1,1,2],\"u\":[1,1,1]}";
    /** The tmaze-ai-onpolicy input: location (4, 4 controls) x context (2); 5 policies; T = 3. */
    private static final String TMAZE =
            "{\"A\":[[[[1,1],[0,0],[0,0],[0,0]],[[0,0],[1,1],[0,0],[0,0]],[[0,0],[0,0],[1,1],[0,0]],"
                    + "[[0,0],[0,0],[0,0],[1,0]],[[0,0],[0,0],[0,0],[0,1]]],[[[1,1],[0,0],[0,0],[1,1]],[[0,0],[0.98,0.02],[0.02,0.98],[0,0]],"
                    + "[[0,0],[0.02,0.98],[0.98,0.02],[0,0]]]],\"B\":[[[[1,0,0,0],[0,0,0,0],[0,0,0,0],[1,0,0,0]],[[0,1,0,0],[1,1,1,1],[0,0,0,0],"
                    + "[0,1,0,0]],[[0,0,1,0],[0,0,0,0],[1,1,1,1],[0,0,1,0]],[[0,0,0,1],[0,0,0,0],[0,0,0,0],[0,0,0,1]]],[[1,0],[0,1]]],"
                    + "\"C\":[[[-1,-1,-1],[0,0,0],[0,0,0],[0,0,0],[0,0,0]],[[0,0,0],[6,6,6],[-6,-6,-6]]],\"D\":[[128,1,1,0],[0.5,0.5]],"
                    + "\"V\":[[[1,1],[1,1],[1,1],[2,1],[3,1]],[[1,1],[2,1],[3,1],[2,1],[3,1]]],\"T\":3,\"tau\":4}";

    private static String edit(String base, Consumer<ObjectNode> change) throws Exception {
        ObjectNode node = (ObjectNode) MAPPER.readTree(base);
        change.accept(node);
        return MAPPER.writeValueAsString(node);
    }

    private static List<ModelProblem> problems(String json) {
        return assertThrows(ModelValidationException.class, () -> new SpmModelReader().read(json, "mdp.json"))
                .problems();
    }

    private static void assertProblem(List<ModelProblem> problems, String path, String... fragments) {
        for (ModelProblem p : problems) {
            boolean all = p.path().equals(path) && p.source().equals("mdp.json");
            for (String f : fragments) all &= p.message().contains(f);
            if (all) return;
        }
        fail("no problem at " + path + " containing " + List.of(fragments) + " in:\n"
                + problems.stream().map(ModelProblem::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void theBaseStructsAreValid() throws Exception {
        assertEquals(1, new SpmModelReader().read(ODDBALL, "mdp.json").trials());
        assertEquals(
                5, new SpmModelReader().read(TMAZE, "mdp.json").models().get(0).policyCount());
    }

    @Test
    void unknownFieldListsTheAllowedOnes() throws Exception {
        assertProblem(
                problems(edit(ODDBALL, n -> n.put("Tau", 4))),
                "Tau",
                "unknown field; allowed: A, Aname, B, Bname, C, D, E, MDP, T, U, V, a, alpha, b, beta, c, chi, d, e, erp, eta, label, link, o, s, tau, u, zeta",
                "SPM would silently ignore it");
    }

    @Test
    void unsupportedFieldsAreRefusedNotIgnored() throws Exception {
        assertProblem(
                problems(edit(ODDBALL, n -> n.put("demi", 1))),
                "demi",
                "is not supported by neuroflux",
                "no demi, prepared lower-level trials mdp, or outcome likelihoods O");
        assertProblem(
                problems(edit(ODDBALL, n -> n.set("O", MAPPER.valueToTree(new double[][][] {{{1, 0}, {0, 1}}})))),
                "O",
                "is not supported by neuroflux");
    }

    @Test
    void countsOfTransitionsPreferencesAndPolicyPriorAreRead() throws Exception {
        String json = edit(TMAZE, n -> {
            n.set("b", MAPPER.valueToTree(List.of(n.get("B").get(0), new double[][] {{3, 1}, {1, 3}})));
            n.set("c", MAPPER.valueToTree(List.of(new double[] {1, 2, 3, 4, 5}, new double[][] {
                {1, 1, 1}, {2, 4, 8}, {0, 0, 0}
            })));
            n.set("e", MAPPER.valueToTree(new double[] {2, 1, 1, 3, 3}));
        });
        SpmImport imported = new SpmModelReader().read(json, "mdp.json");
        GenerativeModel m = imported.models().get(0);
        assertArrayEquals(new double[] {3, 1, 1, 3}, m.transitionCounts(1));
        assertArrayEquals(
                new double[] {1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5},
                m.preferenceCounts(0),
                "one column repeated over T");
        assertArrayEquals(new double[] {1, 2, 0, 1, 4, 0, 1, 8, 0}, m.preferenceCounts(1));
        assertArrayEquals(new double[] {2, 1, 1, 3, 3}, m.policyCounts());
        assertArrayEquals(new double[] {1, 0, 0, 1}, m.transitions(1), 0, "B, the generative process, is still B");
        assertProblem(imported.warnings(), "C", "ignored: with counts c the agent's preferences are spm_psi(c + 1/32)");
        assertEquals(
                "mdp: factor 1(4) x factor 2(2) states; modality 1(5), modality 2(3) outcomes; 5 policies; T=3; tau=4; "
                        + "learns b; learns c; learns e",
                m.summary());
    }

    @Test
    void transitionsDefaultToTheirNormalisedCounts() throws Exception {
        String json = edit(ODDBALL, n -> {
            n.set("b", MAPPER.valueToTree(new double[][][] {{{3, 1}, {1, 1}}}));
            n.remove("B");
        });
        GenerativeModel m = new SpmModelReader().read(json, "mdp.json").models().get(0);
        assertArrayEquals(new double[] {0.75, 0.25, 0.5, 0.5}, m.transitions(0), 0);
        assertArrayEquals(new double[] {3, 1, 1, 1}, m.transitionCounts(0), 0);
    }

    @Test
    void badCountsAreRefusedWithTheirPath() throws Exception {
        assertProblem(
                problems(edit(ODDBALL, n -> n.set("b", MAPPER.valueToTree(new double[][][] {{{1, 0}, {-1, 1}}})))),
                "b{1}",
                "entry (2,1,1) is -1.0; Dirichlet counts must be >= 0");
        assertProblem(
                problems(edit(
                        ODDBALL,
                        n -> n.set("b", MAPPER.valueToTree(new double[][][] {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}})))),
                "b{1}",
                "Ns x Ns x Nu (the shape of B{1})");
        assertProblem(
                problems(edit(TMAZE, n -> n.set("e", MAPPER.valueToTree(new double[] {1, 1, 1})))), "e", "Np x 1");
        assertProblem(
                problems(edit(
                        TMAZE,
                        n -> n.set(
                                "c",
                                MAPPER.valueToTree(List.of(
                                        new double[][] {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
                                        new double[] {1, 1, 1}))))),
                "c{1}",
                "has 2 columns; expected 1 (repeated over T) or T = 3");
        String first = edit(ODDBALL, n -> n.set("e", MAPPER.valueToTree(new double[] {1})));
        assertProblem(
                problems("[" + first + "," + ODDBALL + "]"),
                "MDP(2)",
                "must have the same Dirichlet fields (a, b, c, d, e) as MDP(1)");
    }

    @Test
    void bothUAndVAreRefused() throws Exception {
        assertProblem(
                problems(edit(ODDBALL, n -> n.set("U", MAPPER.createArrayNode().add(1)))),
                "U",
                "and V are both given; SPM would use U and silently ignore V: keep one");
    }

    @Test
    void policyControlOutOfRangeNamesTheEntryAndTheRange() throws Exception {
        String json = edit(
                TMAZE,
                n -> ((com.fasterxml.jackson.databind.node.ArrayNode)
                                n.get("V").get(1).get(4))
                        .set(0, 5));
        assertProblem(problems(json), "V(2,5,1)", "is 5; expected a control of factor 1 in 1..4 (B{1} has 4 controls)");
    }

    @Test
    void outcomeOutOfRangeIsRefused() throws Exception {
        assertProblem(
                problems(edit(ODDBALL, n -> n.set("o", MAPPER.valueToTree(new int[] {1, 1, 1, 3})))),
                "o(1,4)",
                "is 3; expected 0 (sample) or an outcome of modality 1 in 1..2");
    }

    @Test
    void outcomesBeyondTAreRefused() throws Exception {
        assertProblem(
                problems(edit(ODDBALL, n -> n.set("o", MAPPER.valueToTree(new int[] {1, 1, 1, 2, 1})))),
                "o",
                "has 5 columns; expected at most 4 (SPM would drop the whole array silently)");
    }

    @Test
    void negativeAndNullEntriesAreRefused() throws Exception {
        assertProblem(
                problems(edit(
                        ODDBALL, n -> n.set("A", MAPPER.valueToTree(new double[][][] {{{1.1, 0.1}, {-0.1, 0.9}}})))),
                "A{1}",
                "is -0.1; probabilities must be >= 0");
        assertProblem(
                problems(edit(ODDBALL, n -> n.set("D", MAPPER.valueToTree(new double[][] {{1.5, -0.5}})))),
                "D{1}",
                "entry 2 is -0.5; expected >= 0");
        String nan = ODDBALL.replace("\"A\":[[[0.9,0.1],[0.1,0.9]]]", "\"A\":[[[0.9,null],[0.1,0.9]]]");
        assertProblem(problems(nan), "A{1}", "contains null (MATLAB NaN or Inf); expected finite numbers");
        String nanC = TMAZE.replace("\"C\":[[[-1,-1,-1],", "\"C\":[[[-1,null,-1],");
        assertProblem(problems(nanC), "C{1}", "contains null");
    }

    @Test
    void allZeroLikelihoodColumnIsRefused() throws Exception {
        assertProblem(
                problems(edit(ODDBALL, n -> n.set("A", MAPPER.valueToTree(new double[][][] {{{0.9, 0}, {0.1, 0}}})))),
                "A{1}",
                "column 2 is all zeros; spm_MDP_check rejects missing entries");
    }

    @Test
    void likelihoodShapeMustMatchTheFactorsOfB() throws Exception {
        String json = edit(
                ODDBALL, n -> n.set("A", MAPPER.valueToTree(new double[][][] {{{0.8, 0.1, 0.1}, {0.2, 0.9, 0.9}}})));
        assertProblem(
                problems(json),
                "A{1}",
                "is nested lists of shape [2,3] but No x Ns1=2 [2, 2] is written by jsonencode as nested lists of shape [2,2]");
    }

    @Test
    void columnsNotSummingToOneAreNormalisedWithAWarning() throws Exception {
        String json = edit(ODDBALL, n -> n.set("A", MAPPER.valueToTree(new double[][][] {{{0.9, 0.2}, {0.1, 0.6}}})));
        SpmImport imported = new SpmModelReader().read(json, "mdp.json");
        assertEquals(1, imported.warnings().size());
        ModelProblem w = imported.warnings().get(0);
        assertEquals("A{1}", w.path());
        assertEquals("1 column(s) normalised to sum to 1 as SPM does (column 2 sums to 0.8000)", w.message());
        GenerativeModel m = imported.models().get(0);
        assertArrayEquals(new double[] {0.9, 0.1, 0.25, 0.75}, m.likelihood(0), 1e-15);
    }

    @Test
    void everyProblemIsReportedAtOnceWithTrialPrefixes() throws Exception {
        String bad = edit(ODDBALL, n -> {
            n.put("Tau", 4);
            n.set("o", MAPPER.valueToTree(new int[] {1, 1, 1, 3}));
        });
        List<ModelProblem> problems = problems("[" + ODDBALL + "," + bad + "]");
        assertProblem(problems, "MDP(2).Tau", "unknown field");
        assertProblem(problems, "MDP(2).o(1,4)", "is 3");
        assertEquals(2, problems.size());
    }
}
