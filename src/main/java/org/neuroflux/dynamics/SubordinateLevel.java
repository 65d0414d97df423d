package org.neuroflux.dynamics;

import java.util.ArrayList;
import java.util.List;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.Subordinate;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.UniformSource;

/**
 * The lower level of a deep model, run inside every epoch of the level above as spm_MDP_VB_X's
 * hierarchical section does (docs/model-format.md, "Deep models"). For each linked lower factor f and
 * higher modality g, in SPM's order (f, then g):
 * <ul>
 *   <li>O{g,t} = spm_dot(A{g}, X(:,t)), the higher level's predicted outcome, and D{f} = link{f,g} O{g,t};</li>
 *   <li>the true initial state s(f,1) is the template's, when it gives one, or else the state the
 *       link maps the higher level's true outcome to;</li>
 * </ul>
 * then the lower level runs a whole trial (with the same solver options, and with the same random
 * stream, between the higher level's outcome and its action, so draws happen in SPM's order) and
 * stops early once its linked initial states are settled. Finally O{g,t} = link{f,g}' X_f(:,1) from
 * its posterior. Deeper levels nest: the lower {@link TrialRunner} has its own subordinate.
 */
public final class SubordinateLevel implements OutcomeEvidence {
    private final SolverOptions options;
    private TrialRunner runner;
    private GenerativeModel runnerShape;
    private Subordinate sub;
    private UniformSource random;
    private final List<TrialTrace> trials = new ArrayList<>();

    /** The lower level of a solver built for {@code sub}'s higher model; attach it with {@link TrialSolver#setOutcomeEvidence}. */
    public SubordinateLevel(Subordinate sub, SolverOptions options) {
        this.options = options;
        prepare(sub);
    }

    private void prepare(Subordinate next) {
        GenerativeModel m = next.model();
        if (runner == null || !sameShape(runnerShape, m)) {
            runner = new TrialRunner(m, options);
            runnerShape = m;
        }
        runner.solver().stopWhenSettled(next.linkedFactors());
        sub = next;
    }

    private static boolean sameShape(GenerativeModel a, GenerativeModel b) {
        return a.jointStateCount() == b.jointStateCount()
                && a.policyCount() == b.policyCount()
                && a.epochs() == b.epochs()
                && a.modalityCount() == b.modalityCount()
                && a.movingPolicies() == b.movingPolicies()
                && (a.subordinate() == null) == (b.subordinate() == null);
    }

    /** Starts a trial of the level above (whose model holds {@code next}). */
    public void startTrial(Subordinate next, UniformSource stream) {
        if (next == null) throw new IllegalArgumentException("this trial's model has no lower level, unlike the first");
        prepare(next);
        random = stream;
        trials.clear();
    }

    /** The lower level's trial run in the last epoch of the level above (live sessions stream it), or null. */
    public TrialTrace lastTrial() {
        return trials.isEmpty() ? null : trials.get(trials.size() - 1);
    }

    /** The lower level's trials so far, one per epoch of the level above. */
    TrialTrace[] trials() {
        return trials.toArray(TrialTrace[]::new);
    }

    @Override
    public void supply(TrialSolver higher, int t) {
        GenerativeModel template = sub.model();
        int nf = template.factorCount();
        int ng = sub.higherModalityCount();
        double[][] prior = new double[nf][];
        for (int f = 0; f < nf; f++) prior[f] = template.initialStates(f);
        TrialFixture fx = sub.fixture();
        int[][] states = new int[nf][];
        for (int f = 0; f < nf; f++) states[f] = fx.states()[f].clone();
        boolean[] fromLink = new boolean[nf];
        for (int f = 0; f < nf; f++) {
            int ns = template.factors().get(f).stateCount();
            for (int g = 0; g < ng; g++) {
                if (!sub.linked(f, g)) continue;
                int no = higher.outcomeCount(g);
                double[] link = sub.link(f, g);
                double[] predicted = new double[no];
                higher.predictOutcome(g, predicted);
                prior[f] = new double[ns];
                for (int s = 0; s < ns; s++) {
                    double v = 0;
                    for (int o = 0; o < no; o++) v += link[s + ns * o] * predicted[o];
                    prior[f][s] = v;
                }
                // SPM keeps s(f,1) once it exists: the template's, or the first link's
                if (!sub.initialStateGiven(f) && !fromLink[f]) {
                    states[f][0] = linkedState(link, ns, higher.outcome(g, t), f, g);
                    fromLink[f] = true;
                }
            }
        }
        TrialFixture lowerFixture = new TrialFixture(states, fx.outcomes(), fx.actions());
        TrialTrace trial = runner.run(template.withInitialStates(prior), lowerFixture, random);
        trial.receivedPrior = prior;
        trials.add(trial);
        for (int f = 0; f < nf; f++) {
            int ns = template.factors().get(f).stateCount();
            for (int g = 0; g < ng; g++) {
                if (!sub.linked(f, g)) continue;
                int no = higher.outcomeCount(g);
                double[] link = sub.link(f, g);
                double[] evidence = new double[no];
                for (int o = 0; o < no; o++) {
                    double v = 0;
                    for (int s = 0; s < ns; s++) v += link[s + ns * o] * trial.X[f][s];
                    evidence[o] = v;
                }
                higher.replaceOutcomeLikelihood(g, evidence);
            }
        }
    }

    /** The one lower state link{f,g}(:, outcome) names (SPM's find(ps), which must be one state). */
    private static int linkedState(double[] link, int ns, int outcome, int f, int g) {
        int found = -1;
        for (int s = 0; s < ns; s++) {
            if (link[s + ns * outcome] != 0) {
                if (found >= 0) {
                    throw new IllegalStateException("link{" + (f + 1) + "," + (g + 1) + "} maps outcome "
                            + (outcome + 1) + " to several lower states (" + (found + 1) + " and " + (s + 1)
                            + "); give the lower level's s(" + (f + 1) + ",1)");
                }
                found = s;
            }
        }
        if (found < 0) {
            throw new IllegalStateException("link{" + (f + 1) + "," + (g + 1) + "} maps outcome " + (outcome + 1)
                    + " to no lower state; give the lower level's s(" + (f + 1) + ",1)");
        }
        return found;
    }
}
