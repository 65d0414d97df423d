package org.neuroflux.dynamics;

import org.neuroflux.math.SpmMath;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.UniformSource;

/**
 * Runs whole trials offline with a {@link TrialSolver} and records them as {@link TrialTrace}s,
 * carrying learned Dirichlet counts from each trial to the next as SPM does for a struct array
 * ({@code MDP(i).a = OUT(i-1).a}, likewise d).
 */
public final class TrialRunner {
    private final TrialSolver solver;
    private final int[] controls;

    public TrialRunner(GenerativeModel shape, SolverOptions options) {
        this.solver = new TrialSolver(shape, options);
        controls = new int[shape.factorCount()];
        for (int f = 0; f < controls.length; f++) controls[f] = shape.factors().get(f).controlCount();
    }

    public TrialSolver solver() { return solver; }

    /** Runs one trial and returns its trace (learned counts included). */
    public TrialTrace run(GenerativeModel model, TrialFixture fixture, UniformSource random) {
        TrialSolver sv = solver;
        TrialTrace trace = new TrialTrace(sv, controls, model.movingPolicies());
        sv.startTrial(model, fixture, random);
        int ni = sv.iterations();
        int T = sv.epochs();
        int np = sv.policyCount();
        int nf = sv.factorCount();
        for (int t = 0; t < T; t++) {
            sv.runEpoch();
            for (int f = 0; f < nf; f++) {
                int block = ni * sv.stateCount(f) * T;
                sv.copyRates(f, trace.xn[f], block * t);
                sv.copyErrors(f, trace.vn[f], block * t);
            }
            if (np > 1) {
                for (int i = 0; i < ni; i++) {
                    int n = t * ni + i;
                    trace.wn[n] = sv.precisionAt(i);
                    for (int k = 0; k < np; k++) trace.un[k + np * n] = sv.policyPosteriorAt(k, i);
                }
            }
            for (int k = 0; k < np; k++) {
                trace.R[k + np * t] = sv.policyPosterior(k, t);
                trace.F[k + np * t] = sv.freeEnergy(k);
                trace.G[k + np * t] = sv.expectedFreeEnergy(k);
            }
            trace.H[t] = sv.totalFreeEnergy();
            trace.w[t] = sv.precision(t);
            if (t < T - 1) {
                int nc = sv.jointControlCount();
                for (int c = 0; c < nc; c++) trace.P[c + nc * t] = sv.actionProbability(c, t);
            }
        }
        for (int f = 0; f < nf; f++) {
            int ns = sv.stateCount(f);
            for (int j = 0; j < T; j++) {
                for (int s = 0; s < ns; s++) {
                    trace.X[f][s + ns * j] = sv.averageBelief(f, s, j);
                    for (int k = 0; k < np; k++) trace.Q[f][s + ns * (j + T * k)] = sv.policyBelief(f, s, j, k);
                }
            }
            for (int t = 0; t < T; t++) {
                trace.s[f][t] = sv.state(f, t);
                if (t < T - 1) trace.u[f][t] = sv.action(f, t);
            }
        }
        for (int g = 0; g < trace.o.length; g++) {
            for (int t = 0; t < T; t++) trace.o[g][t] = sv.outcome(g, t);
        }
        if (np > 1) {
            // dn = 8 * gradient(wn) + wn / 8
            SpmMath.gradient(trace.wn, trace.wn.length, trace.dn);
            for (int n = 0; n < trace.dn.length; n++) trace.dn[n] = 8 * trace.dn[n] + trace.wn[n] / 8;
        }
        trace.learned = sv.finishTrial();
        return trace;
    }

    /**
     * Runs consecutive trials, each starting from the counts the previous one learned.
     *
     * @param models   one model per trial (SPM struct array entries); their own a and d are used
     *                 only for the first trial
     * @param fixtures one fixture per trial
     */
    public TrialTrace[] runSequence(GenerativeModel[] models, TrialFixture[] fixtures, UniformSource random) {
        TrialTrace[] traces = new TrialTrace[models.length];
        runSequence(models, fixtures, random, (i, trace) -> traces[i] = trace);
        return traces;
    }

    /** Receives trial i's trace (0-based) as soon as it has run. */
    @FunctionalInterface
    public interface TraceSink {
        void accept(int trial, TrialTrace trace) throws java.io.IOException;
    }

    /**
     * As {@link #runSequence(GenerativeModel[], TrialFixture[], UniformSource)}, handing each trace
     * to the sink as soon as its trial has run and keeping none: memory does not grow with the
     * number of trials.
     */
    public void runSequence(GenerativeModel[] models, TrialFixture[] fixtures, UniformSource random, TraceSink sink) {
        LearnedCounts carried = null;
        for (int i = 0; i < models.length; i++) {
            GenerativeModel model = models[i];
            if (carried != null) {
                model = model.withCounts(
                        carried.likelihoodCounts() != null ? carried.likelihoodCounts() : countsOrNull(model, true),
                        carried.initialCounts() != null ? carried.initialCounts() : countsOrNull(model, false));
            }
            TrialTrace trace = run(model, fixtures[i], random);
            carried = trace.learned;
            try {
                sink.accept(i, trace);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The model's own counts a (likelihood) or d, or null when it does not learn them. */
    static double[][] countsOrNull(GenerativeModel model, boolean likelihood) {
        int n = likelihood ? model.modalityCount() : model.factorCount();
        if (likelihood ? !model.learnsLikelihood() : !model.learnsInitialStates()) return null;
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) c[i] = likelihood ? model.likelihoodCounts(i) : model.initialCounts(i);
        return c;
    }
}
