package org.neuroflux.experiment;

import java.util.Arrays;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.UniformSource;

/**
 * DEM_demo_MDP_X's learning run on a T-maze whose cue is visited (config/models/tmaze-cue.yaml):
 * the agent starts at the centre, the context is the second in trials 1 and 3 and the first
 * otherwise, d is learned from trial to trial. Measures per trial the phasic precision response
 * to the cue (CS) and to the reward outcome (US): the change of expected precision over the epoch
 * that brought it.
 *
 * @param model    the model: a factor with a state named "cue", a modality named "reward" whose first outcome is "none"
 * @param cueFactor   0-based factor holding the cue state
 * @param cueState    0-based index of the cue state
 * @param rewardModality 0-based modality of the reward outcome
 */
public record CueParadigm(GenerativeModel model, int cueFactor, int cueState, int rewardModality) {

    /** The paradigm of {@code model}, or an exception naming what it lacks. */
    public static CueParadigm of(GenerativeModel model) {
        int factor = -1;
        int state = -1;
        for (int f = 0; f < model.factorCount(); f++) {
            int s = model.factors().get(f).states().indexOf("cue");
            if (s >= 0 && factor < 0) {
                factor = f;
                state = s;
            }
        }
        int reward = -1;
        for (int g = 0; g < model.modalityCount(); g++)
            if (model.modalities().get(g).name().equals("reward")) reward = g;
        if (factor < 0 || reward < 0 || model.factorCount() < 2) {
            throw new IllegalArgumentException(
                    "the cue paradigm needs a factor with a state named 'cue', a second (context) factor "
                            + "and a modality named 'reward' (as config/models/tmaze-cue.yaml); model " + model.name()
                            + " has not");
        }
        return new CueParadigm(model, factor, state, reward);
    }

    /** Trial i (0-based): start at the first location; context 2 in trials 1 and 3, else 1 (the demo's MDP(i).s). */
    public TrialFixture fixture(int trial) {
        TrialFixture free = TrialFixture.free(model.factorCount(), model.modalityCount(), model.epochs());
        int[][] states = new int[model.factorCount()][model.epochs()];
        for (int[] row : states) Arrays.fill(row, TrialFixture.FREE);
        int context = cueFactor == 0 ? 1 : 0;
        states[cueFactor][0] = 0;
        states[context][0] = (trial == 0 || trial == 2) ? 1 : 0;
        return new TrialFixture(states, free.outcomes(), free.actions());
    }

    /** Runs the learning sequence. */
    public TrialTrace[] run(int trials, SolverOptions options, UniformSource random) {
        GenerativeModel[] models = new GenerativeModel[trials];
        TrialFixture[] fixtures = new TrialFixture[trials];
        for (int i = 0; i < trials; i++) {
            models[i] = model;
            fixtures[i] = fixture(i);
        }
        return new TrialRunner(model, options).runSequence(models, fixtures, random);
    }

    /**
     * Per trial {cs, us}: the change of expected precision over the epoch at whose start the agent
     * first stands at the cue, and over the epoch whose reward outcome is first not "none"
     * (w_t - w_(t-1), the prior 1/beta before the first epoch); NaN when the trial has no such epoch.
     */
    public double[][] responses(TrialTrace[] traces) {
        double[] cs = new double[traces.length];
        double[] us = new double[traces.length];
        double prior = 1 / model.parameters().beta();
        for (int k = 0; k < traces.length; k++) {
            TrialTrace tr = traces[k];
            cs[k] = Double.NaN;
            us[k] = Double.NaN;
            for (int t = 0; t < tr.epochs; t++) {
                double change = tr.w[t] - (t == 0 ? prior : tr.w[t - 1]);
                if (Double.isNaN(cs[k]) && tr.s[cueFactor][t] == cueState) cs[k] = change;
                if (Double.isNaN(us[k]) && tr.o[rewardModality][t] != 0) us[k] = change;
            }
        }
        return new double[][] {cs, us};
    }
}
