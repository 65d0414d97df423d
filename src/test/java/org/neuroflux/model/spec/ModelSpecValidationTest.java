package org.neuroflux.model.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuroflux.model.spec.SpecFixtures.MINI;
import static org.neuroflux.model.spec.SpecFixtures.assertProblem;
import static org.neuroflux.model.spec.SpecFixtures.load;
import static org.neuroflux.model.spec.SpecFixtures.mini;
import static org.neuroflux.model.spec.SpecFixtures.problems;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;

/** Every kind of bad native file is refused with its path, the value found and what was expected. */
class ModelSpecValidationTest {
    private static final String HALF_RULE = "p: {none: 0.5, win: 0.5}";

    @Test
    void theFixtureIsValid() throws Exception {
        GenerativeModel m = load(MINI).first();
        assertEquals(
                "mini: location(3) x context(2) states; where(3), reward(2) outcomes; 2 policies; T=3; tau=4",
                m.summary());
    }

    @Test
    void columnNotSummingToOneNamesModalityColumnSumAndTheRemedy() {
        List<ModelProblem> problems = problems(mini(HALF_RULE, "p: {none: 0.3, win: 0.4}"));
        assertEquals(1, problems.size(), SpecFixtures.describe(problems));
        ModelProblem p = problems.get(0);
        assertEquals("mini.yaml", p.source());
        assertEquals(
                "A[2] column (location=3, context=1) sums to 0.70, expected 1 (set normalise: true to rescale)",
                p.path() + " " + p.message());
    }

    @Test
    void normaliseTrueRescalesColumnsInsteadOfRefusingThem() throws Exception {
        GenerativeModel m = load(mini(HALF_RULE, "p: {none: 0.3, win: 0.4}").replace("T: 3", "T: 3\nnormalise: true"))
                .first();
        double[] a = m.likelihood(1);
        int column = 2 + 3 * 0; // location=3, context=1
        assertArrayEquals(new double[] {0.3 / 0.7, 0.4 / 0.7}, new double[] {a[2 * column], a[2 * column + 1]}, 1e-15);
    }

    @Test
    void sumsWithinOneBillionthAreAccepted() throws Exception {
        load(mini(HALF_RULE, "p: {none: 0.5, win: 0.5000000005}"));
        assertProblem(
                problems(mini(HALF_RULE, "p: {none: 0.5, win: 0.500000002}")),
                "A[2]",
                "column (location=3, context=1) sums to 1.00000000200, expected 1");
    }

    @Test
    void allZeroColumnIsRefusedEvenWithNormalise() {
        String text = mini(HALF_RULE, "p: {none: 0, win: 0}").replace("T: 3", "T: 3\nnormalise: true");
        assertProblem(problems(text), "A[2]", "column (location=3, context=1) sums to 0, expected 1");
    }

    @Test
    void columnsNoRuleMatchesAreRefused() {
        List<ModelProblem> problems = problems(mini("""
                    - when: {location: right}
                      outcome: right
                """, ""));
        assertProblem(problems, "A[1]", "column (location=3, context=1) is matched by no rule");
        assertProblem(problems, "A[1]", "column (location=3, context=2) is matched by no rule");
    }

    @Test
    void transitionMatrixOfTheWrongShapeIsRefused() {
        List<ModelProblem> rows =
                problems(mini("go-left: {moveTo: left}", "go-left: {matrix: [[0, 0, 0], [1, 1, 1]]}"));
        assertProblem(
                rows,
                "B[1].go-left.matrix",
                "has 2 rows; expected 3 x 3 (rows are the to-states, columns the from-states of location)");
        List<ModelProblem> columns =
                problems(mini("go-left: {moveTo: left}", "go-left: {matrix: [[0, 0], [1, 1], [0, 0]]}"));
        assertProblem(columns, "B[1].go-left.matrix[1]", "has 2 entries; expected 3 (one per from-state of location)");
        assertProblem(
                problems(mini("go-left: {moveTo: left}", "go-left: {matrix: [[0, 0, 0], [1, 1, 0.5], [0, 0, 0]]}")),
                "B[1].go-left.matrix",
                "column (from=3) sums to 0.50, expected 1 (set normalise: true to rescale)");
    }

    @Test
    void preferenceAndPolicyLengthsMustMatchT() {
        assertProblem(
                problems(MINI + "C:\n  reward: {win: [1, 2]}\n"),
                "C[2].win",
                "has 2 values; expected T = 3 (one per epoch) or a single number");
        assertProblem(
                problems(mini("location: [go-left, stay]", "location: [go-left, stay, stay]")),
                "policies[2].location",
                "has 3 controls; expected T-1 = 2 (one per step)");
    }

    @Test
    void singleControlFactorsAreTheOnlyOnesAPolicyMayLeaveOut() {
        assertProblem(
                problems(mini("{name: left, location: [go-left, stay]}", "{name: left}")),
                "policies[2]",
                "gives no controls for location, which has 3 (stay, go-left, go-right)");
    }

    @Test
    void negativeNanAndInfiniteEntriesAreRefused() {
        assertProblem(
                problems(mini(HALF_RULE, "p: {none: -0.5, win: 1.5}")),
                "A[2][2].p.none",
                "is -0.5; expected a finite number >= 0 (a probability)");
        assertProblem(
                problems(mini(HALF_RULE, "p: {none: 1e999, win: 0.5}")),
                "A[2][2].p.none",
                "is Infinity; expected a finite number >= 0");
        assertProblem(
                problems(MINI + "C:\n  reward: {win: -1e999}\n"), "C[2].win", "is -Infinity; expected a finite number");
        assertProblem(
                problems(mini(HALF_RULE, "p: {none: .nan, win: 0.5}")),
                "",
                "not valid YAML at line 28, column 21",
                "'.nan'",
                "NaN and infinite values are not allowed");
        String json = "{\"T\": 2, \"factors\": [{\"name\": \"s\", \"states\": [\"x\", \"y\"]}],"
                + " \"modalities\": [{\"name\": \"o\", \"outcomes\": [\"x\", \"y\"]}], \"policies\": [{\"name\": \"p\"}],"
                + " \"A\": {\"o\": {\"p\": {\"x\": null, \"y\": 1}}}, \"B\": {\"s\": \"identity\"}}";
        List<ModelProblem> fromJson = org.junit.jupiter.api.Assertions.assertThrows(
                        ModelValidationException.class, () -> new ModelSpecReader().read(json, "mini.json"))
                .problems();
        assertProblem(fromJson, "A[1].p.x", "is null; expected a finite number >= 0");
        assertEquals("mini.json", fromJson.get(0).source());
        assertProblem(
                problems(json.replace("null", "NaN")),
                "A[1].p.x",
                "is the string 'NaN'; expected a finite number >= 0");
        List<ModelProblem> nanJson = org.junit.jupiter.api.Assertions.assertThrows(
                        ModelValidationException.class,
                        () -> new ModelSpecReader().read(json.replace("null", "NaN"), "mini.json"))
                .problems();
        assertProblem(nanJson, "", "not valid JSON at line 1", "'NaN'", "NaN and infinite values are not allowed");
        assertProblem(
                problems(mini("go-left: {moveTo: left}", "go-left: {matrix: [[1, 1, 1], [0, 0, 0], [-1, 0, 0]]}")),
                "B[1].go-left.matrix[3][1]",
                "is -1; expected a finite probability >= 0");
        assertProblem(
                problems(MINI + "learn:\n  d: {location: {centre: -2}, context: {scale: 2}}\n"),
                "learn.d[1].centre",
                "is -2; expected a finite count >= 0");
    }

    @Test
    void policiesNamingMissingControlsListTheValidOnes() {
        assertProblem(
                problems(mini("location: [go-left, stay]", "location: [go-up, stay]")),
                "policies[2].location[1]",
                "is 'go-up'; expected a control of location: stay, go-left, go-right");
        assertProblem(
                problems(MINI + "trial:\n  actions: {location: [jump]}\n"),
                "trial.actions[1][1]",
                "is 'jump'; expected a control of location: stay, go-left, go-right");
    }

    @Test
    void unknownFieldsAreRefusedAtEveryLevelWithTheAllowedOnes() {
        assertProblem(
                problems(MINI + "tua: 4\n"),
                "",
                "unknown field 'tua'; allowed: name, description, T, oneStep, normalise, "
                        + "factors, modalities, policies, A, B, C, D, E, learn, parameters, trial");
        assertProblem(
                problems(mini("states: [a, b]", "states: [a, b]\n    initial: a")),
                "factors[2]",
                "unknown field 'initial'; allowed: name, states, controls");
        assertProblem(
                problems(mini("outcomes: [none, win]", "outcomes: [none, win]\n    kind: reward")),
                "modalities[2]",
                "unknown field 'kind'; allowed: name, outcomes");
        assertProblem(
                problems(mini("{name: wait, location: [stay, stay]}", "{name: wait, locaton: [stay, stay]}")),
                "policies[1]",
                "unknown field 'locaton'; allowed: name, location, context");
        assertProblem(
                problems(mini("  where:\n    - when", "  wher:\n    - when")),
                "A",
                "unknown field 'wher'; allowed: where, reward");
        assertProblem(
                problems(mini("outcome: none\n", "outcome: none\n      prob: 1\n")),
                "A[2][1]",
                "unknown field 'prob'; allowed: when, outcome, oneOf, p");
        assertProblem(
                problems(mini("when: {location: centre}", "when: {place: centre}")),
                "A[1][1].when",
                "unknown field 'place'; allowed: location, context");
        assertProblem(
                problems(mini(HALF_RULE, "p: {none: 0.5, lose: 0.5}")),
                "A[2][2].p",
                "unknown field 'lose'; allowed: none, win");
        assertProblem(
                problems(mini("go-left: {moveTo: left}", "go-left: {moveto: left}")),
                "B[1].go-left",
                "unknown field 'moveto'; allowed: moveTo, absorbing, matrix");
        assertProblem(
                problems(mini("go-right: {moveTo: right}", "go-right: {moveTo: right}\n    go-up: identity")),
                "B[1]",
                "unknown field 'go-up'; allowed: stay, go-left, go-right");
        assertProblem(
                problems(MINI + "parameters: {tau: 4, gamma: 1}\n"),
                "parameters",
                "unknown field 'gamma'; allowed: tau, erp, alpha, beta, zeta, eta, chi");
        assertProblem(problems(MINI + "learn: {f: 1}\n"), "learn", "unknown field 'f'; allowed: a, b, c, d, e");
        assertProblem(
                problems(MINI + "trial: {observations: {}}\n"),
                "trial",
                "unknown field 'observations'; allowed: states, outcomes, actions");
        assertProblem(
                problems(MINI + "D: {locations: uniform}\n"),
                "D",
                "unknown field 'locations'; allowed: location, context");
    }

    @Test
    void outcomesOutsideTheirModalityAreRefused() {
        assertProblem(
                problems(mini("outcome: none\n", "outcome: lose\n")),
                "A[2][1].outcome",
                "is 'lose'; expected an outcome of reward: none, win");
        assertProblem(
                problems(MINI + "trial:\n  outcomes: {reward: [1, 3]}\n"),
                "trial.outcomes[2][2]",
                "is 3; expected 0 (sample) or a 1-based outcome of reward in 1..2 (none, win)");
        assertProblem(
                problems(MINI + "trial:\n  outcomes: {reward: [none, jackpot]}\n"),
                "trial.outcomes[2][2]",
                "is 'jackpot'; expected an outcome of reward: none, win");
        assertProblem(
                problems(MINI + "C:\n  reward: {jackpot: 3}\n"), "C[2]", "unknown field 'jackpot'; allowed: none, win");
        assertProblem(
                problems(mini("outcome: none\n", "outcome: 2\n")),
                "A[2][1].outcome",
                "is the number 2; expected an outcome of reward: none, win (put it in quotes to use it as a name)");
        assertProblem(
                problems(MINI + "trial:\n  outcomes: {reward: [1, 1, 1, 1]}\n"),
                "trial.outcomes[2]",
                "has 4 entries; expected at most T = 3");
    }

    @Test
    void duplicateNamesAreRefused() {
        assertProblem(
                problems(mini("states: [a, b]", "states: [a, a]")),
                "factors[2].states[2]",
                "duplicate state name 'a' (first at factors[2].states[1])");
        assertProblem(
                problems(mini("- name: context", "- name: location")),
                "factors[2].name",
                "duplicate factor name 'location' (first declared at factors[1].name)");
        assertProblem(
                problems(mini("outcomes: [none, win]", "outcomes: [none, none]")),
                "modalities[2].outcomes[2]",
                "duplicate outcome name 'none'");
        assertProblem(
                problems(mini("- name: reward", "- name: where")),
                "modalities[2].name",
                "duplicate modality name 'where'");
        assertProblem(
                problems(mini("controls: [stay, go-left, go-right]", "controls: [stay, go-left, stay]")),
                "factors[1].controls[3]",
                "duplicate control name 'stay'");
        assertProblem(
                problems(mini("{name: left,", "{name: wait,")), "policies[2].name", "duplicate policy name 'wait'");
        assertProblem(problems(MINI + "T: 4\n"), "", "not valid YAML at line 35", "Duplicate field 'T'");
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        List<ModelProblem> problems = problems("name: empty\n");
        for (String field : List.of("T", "factors", "modalities", "policies", "A", "B")) {
            assertProblem(problems, "", "missing required field '" + field + "'");
        }
        assertProblem(problems(mini("    states: [a, b]\n", "")), "factors[2]", "missing required field 'states'");
        assertProblem(
                problems(mini("    outcomes: [none, win]\n", "")),
                "modalities[2]",
                "missing required field 'outcomes'");
        assertProblem(problems(mini("  context: identity\n", "")), "B", "missing required field 'context'");
        assertProblem(
                problems(mini("    go-right: {moveTo: right}\n", "")), "B[1]", "missing required field 'go-right'");
        assertProblem(
                problems(MINI + "learn:\n  d: {location: {centre: 1}}\n"),
                "learn.d",
                "missing required field 'context'");
    }

    @Test
    void everyProblemInAFileIsReportedAtOnce() {
        String text = mini(HALF_RULE, "p: {none: 0.3, win: 0.4}")
                        .replace("location: [go-left, stay]", "location: [go-up, stay]")
                        .replace("states: [a, b]", "states: [a, a]")
                + "parameters: {tau: 0}\n";
        ModelValidationException e =
                org.junit.jupiter.api.Assertions.assertThrows(ModelValidationException.class, () -> load(text));
        List<ModelProblem> problems = e.problems();
        assertProblem(problems, "parameters.tau", "is 0; expected a finite number > 0");
        assertProblem(problems, "policies[2].location[1]", "is 'go-up'");
        assertProblem(problems, "factors[2].states[2]", "duplicate state name 'a'");
        assertProblem(problems, "A[2]", "column (location=3, context=1) sums to 0.70");
        assertTrue(e.getMessage().startsWith("4 problems:\n  mini.yaml: "), e.getMessage());
    }

    @Test
    void yamlReadingsOfNullAndBooleansAreExplained() {
        assertProblem(
                problems(mini("states: [a, b]", "states: [a, null]")),
                "factors[2].states[2]",
                "is null; expected a state name",
                "write \"null\" in quotes");
        assertProblem(
                problems(mini("states: [a, b]", "states: [on, off]")),
                "factors[2].states[1]",
                "is the boolean true; expected a state name",
                "put the name in quotes");
    }

    @Test
    void actionsAreFixedForEveryControlledFactorOrNone() throws Exception {
        String twoControlled = mini("    states: [a, b]\n", "    states: [a, b]\n    controls: [keep, swap]\n")
                .replace("  context: identity\n", "  context: {keep: identity, swap: {matrix: [[0, 1], [1, 0]]}}\n");
        assertProblem(
                problems(twoControlled + "trial:\n  actions: {location: [go-left]}\n"),
                "trial.actions",
                "step 1 fixes the action of location but not of context");
        int[][] actions = load(MINI + "trial:\n  actions: {location: [go-left]}\n")
                .fixtures()
                .get(0)
                .actions();
        assertArrayEquals(new int[] {1, -1}, actions[0]);
        assertArrayEquals(new int[] {0, -1}, actions[1], "the single control of context is filled in");
    }
}
