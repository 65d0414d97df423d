package org.neuroflux.spm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.model.Subordinate;

/** MDP.MDP and link: read with the same checks at every level, refused clearly where SPM would fail. */
class SpmLevelReaderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The hier-ai input: a 2-state level (T = 2) over an oddball-like level (T = 3), link = {eye(2)}. */
    static final String DEEP =
            "{\"A\":[[[0.8,0.2],[0.2,0.8]]],\"B\":[[[1,0],[0,1]]],\"D\":[[0.5,0.5]],\"V\":1,\"T\":2,\"tau\":4,"
                    + "\"MDP\":{\"A\":[[[0.9,0.1],[0.1,0.9]]],\"B\":[[[1,0],[0,1]]],\"D\":[[0.5,0.5]],\"V\":[1,1],\"T\":3,\"tau\":4,"
                    + "\"s\":[1,1,1],\"o\":[1,1,2],\"u\":[1,1]},\"link\":[[[1,0],[0,1]]],\"s\":[1,1],\"o\":[1,2],\"u\":1}";

    private static String edit(Consumer<ObjectNode> change) throws Exception {
        ObjectNode node = (ObjectNode) MAPPER.readTree(DEEP);
        change.accept(node);
        return MAPPER.writeValueAsString(node);
    }

    private static List<ModelProblem> problems(String json) {
        return assertThrows(ModelValidationException.class, () -> new SpmModelReader().read(json, "mdp.json"))
                .problems();
    }

    private static void assertProblem(List<ModelProblem> problems, String path, String... fragments) {
        for (ModelProblem p : problems) {
            boolean all = p.path().equals(path);
            for (String f : fragments) all &= p.message().contains(f);
            if (all) return;
        }
        fail("no problem at " + path + " containing " + List.of(fragments) + " in:\n"
                + problems.stream().map(ModelProblem::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void readsTheLowerLevelAndTheLink() throws Exception {
        Subordinate sub =
                new SpmModelReader().read(DEEP, "mdp.json").models().get(0).subordinate();
        assertNotNull(sub);
        assertEquals(3, sub.model().epochs());
        assertArrayEquals(new double[] {1, 0, 0, 1}, sub.link(0, 0));
        assertArrayEquals(new int[] {0}, sub.linkedFactors());
        assertTrue(sub.initialStateGiven(0), "the template's s(1,1) is kept, as SPM keeps it");
        assertEquals(1, sub.depth());
    }

    @Test
    void aNumericLinkStandsForIdentityLinks() throws Exception {
        Subordinate sub = new SpmModelReader()
                .read(edit(n -> n.put("link", 1)), "mdp.json")
                .models()
                .get(0)
                .subordinate();
        assertArrayEquals(new double[] {1, 0, 0, 1}, sub.link(0, 0));
    }

    @Test
    void levelsNestToAnyDepth() throws Exception {
        String two = edit(n -> {
            ObjectNode middle = (ObjectNode) n.get("MDP");
            middle.set("MDP", n.get("MDP").deepCopy());
            middle.set("link", n.get("link"));
        });
        Subordinate sub =
                new SpmModelReader().read(two, "mdp.json").models().get(0).subordinate();
        assertEquals(2, sub.depth());
    }

    @Test
    void theLowerLevelGetsEveryCheckWithItsPath() throws Exception {
        assertProblem(
                problems(edit(n -> ((ObjectNode) n.get("MDP")).put("tau", -1))), "MDP.tau", "must be finite and > 0");
        assertProblem(problems(edit(n -> ((ObjectNode) n.get("MDP")).put("Tau", 4))), "MDP.Tau", "unknown field");
        String nested = edit(n -> {
            ObjectNode middle = (ObjectNode) n.get("MDP");
            middle.set("MDP", n.get("MDP").deepCopy());
            middle.set("link", n.get("link"));
            ((ObjectNode) middle.get("MDP")).set("demi", MAPPER.createObjectNode());
        });
        assertProblem(problems(nested), "MDP.MDP.demi", "is not supported by neuroflux");
    }

    @Test
    void linkAndMdpComeTogether() throws Exception {
        assertProblem(problems(edit(n -> n.remove("MDP"))), "link", "without MDP");
        assertProblem(problems(edit(n -> n.remove("link"))), "MDP", "without link", "SPM ignores");
        assertProblem(
                problems(edit(n -> n.set("MDP", MAPPER.createArrayNode().add(n.get("MDP"))))), "MDP", "struct array");
    }

    @Test
    void linkSizesAreSpmChecks() throws Exception {
        assertProblem(
                problems(edit(n -> n.set(
                        "link",
                        MAPPER.createArrayNode()
                                .add(MAPPER.createArrayNode().add(1).add(0))))),
                "link{1,1}",
                "is a flat list of 2",
                "[2, 2]",
                "please check link");
        assertProblem(
                problems(edit(n -> n.set("link", MAPPER.createArrayNode().add(1).add(1)))),
                "link",
                "expected a cell array of 1 x 1");
        assertProblem(
                problems(edit(n -> n.set("link", MAPPER.createArrayNode().add(MAPPER.createArrayNode())))),
                "link",
                "names no lower factor");
    }

    @Test
    void aLinkThatCannotNameTheLowerInitialStateIsRefused() throws Exception {
        String json = edit(n -> {
            ((ObjectNode) n.get("MDP")).remove("s");
            n.set(
                    "link",
                    MAPPER.createArrayNode()
                            .add(MAPPER.createArrayNode()
                                    .add(MAPPER.createArrayNode().add(1).add(0))
                                    .add(MAPPER.createArrayNode().add(1).add(0))));
        });
        assertProblem(problems(json), "link{1,1}", "column 1 names 2 lower states", "find(link");
    }

    @Test
    void whatRemainsUnsupportedIsStillRefused() throws Exception {
        assertProblem(
                problems(edit(n -> n.set("demi", MAPPER.createObjectNode()))), "demi", "is not supported by neuroflux");
        assertProblem(
                problems(edit(n -> n.set("O", MAPPER.createArrayNode()))),
                "O",
                "is not supported by neuroflux",
                "outcome likelihoods O");
        assertProblem(
                problems(edit(n -> n.set("mdp", MAPPER.createArrayNode()))), "mdp", "is not supported by neuroflux");
        assertFalse(problems(edit(n -> n.set("O", MAPPER.createArrayNode()))).isEmpty());
    }
}
