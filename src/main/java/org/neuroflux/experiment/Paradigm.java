package org.neuroflux.experiment;

import java.util.Arrays;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;

/**
 * An experiment's set-up: the model, how many trials an agent runs, what each trial fixes, and
 * what counts as a hit.
 *
 * @param name           "tmaze" or "rule-learning"
 * @param model          the generative model (with the Dirichlet counts an agent starts from)
 * @param defaultAgents  the paper's number of agents
 * @param defaultTrials  the paper's number of trials per agent
 * @param rewardModality 0-based modality whose outcome 2 is a success and 3 a failure
 */
public record Paradigm(String name, GenerativeModel model, int defaultAgents, int defaultTrials, int rewardModality) {

    /**
     * The T-maze experiment of DEM_demo_MDP_X2.m: the agent starts in the centre; the true context
     * is 2 in trials 1 and 3 and 1 otherwise; everything after the first epoch is sampled.
     */
    public static Paradigm tmaze(GenerativeModel model) {
        return new Paradigm("tmaze", model, 64, 24, 1);
    }

    /** The rule-learning experiment of rule_learning3.m: every state is sampled (rule and colour from D). */
    public static Paradigm ruleLearning(GenerativeModel model) {
        return new Paradigm("rule-learning", model, 128, 24, 2);
    }

    /** The fixture of trial i (0-based). */
    public TrialFixture fixture(int trial) {
        TrialFixture free = TrialFixture.free(model.factorCount(), model.modalityCount(), model.epochs());
        if (!name.equals("tmaze")) return free;
        int[][] states = new int[model.factorCount()][model.epochs()];
        for (int[] row : states) Arrays.fill(row, TrialFixture.FREE);
        states[0][0] = 0; // centre
        states[1][0] = (trial == 0 || trial == 2) ? 1 : 0; // context 2 in trials 1 and 3 (the demo's j = [1,3])
        return new TrialFixture(states, free.outcomes(), free.actions());
    }

    /** SPM's hit: any(o(g,:) == 2) & ~any(o(g,:) == 3) for the reward (feedback) modality. */
    public boolean hit(int[][] outcomes) {
        boolean reward = false;
        boolean loss = false;
        for (int o : outcomes[rewardModality]) {
            reward |= o == 1;
            loss |= o == 2;
        }
        return reward && !loss;
    }
}
