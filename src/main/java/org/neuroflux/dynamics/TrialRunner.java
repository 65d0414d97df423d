package org.neuroflux.dynamics;

import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.UniformSource;
import org.neuroflux.signal.Dopamine;

/**
 * Runs whole trials offline with a {@link TrialSolver} and records them as {@link TrialTrace}s,
 * carrying learned Dirichlet counts from each trial to the next as SPM does for a struct array
 * ({@code MDP(i).a = OUT(i-1).a}, likewise b, c, d and e).
 */
public final class TrialRunner {
    private final TrialSolver solver;
    private final int[] controls;
    private final SubordinateLevel subordinate; // null for a single-level model

    public TrialRunner(GenerativeModel shape, SolverOptions options) {
        this.solver = new TrialSolver(shape, options);
        controls = new int[shape.factorCount()];
        for (int f = 0; f < controls.length; f++)
            controls[f] = shape.factors().get(f).controlCount();
        subordinate = shape.subordinate() == null ? null : new SubordinateLevel(shape.subordinate(), options);
        if (subordinate != null) solver.setOutcomeEvidence(subordinate);
    }

    public TrialSolver solver() {
        return solver;
    }

    /** Runs one trial and returns its trace (learned counts included). */
    public TrialTrace run(GenerativeModel model, TrialFixture fixture, UniformSource random) {
        TrialSolver sv = solver;
        TrialTrace trace = new TrialTrace(sv, controls, model.movingPolicies());
        if (subordinate == null && model.subordinate() != null) {
            throw new IllegalArgumentException(
                    "model " + model.name() + " has a lower level but this runner was built for a single-level model");
        }
        if (subordinate != null) subordinate.startTrial(model.subordinate(), random);
        sv.startTrial(model, fixture, random);
        int ni = sv.iterations();
        int T = sv.epochs();
        int np = sv.policyCount();
        int nf = sv.factorCount();
        while (sv.hasNextEpoch()) {
            int t = sv.nextEpoch();
            sv.runEpoch();
            for (int f = 0; f < nf; f++) {
                int block = ni * sv.stateCount(f) * T;
                sv.copyRates(f, trace.xn[f], block * t);
                sv.copyErrors(f, trace.vn[f], block * t);
                int ns = sv.stateCount(f);
                for (int j = 0; j < T; j++) {
                    for (int s = 0; s < ns; s++) trace.x0[f][s + ns * (j + T * t)] = sv.startRate(f, s, j);
                }
            }
            if (np > 1) {
                for (int i = 0; i < ni; i++) {
                    int n = t * ni + i;
                    trace.wn[n] = sv.precisionAt(i);
                    if (sv.continuousTime()) trace.dn[n] = sv.precisionSlopeAt(i);
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
            if (t < sv.lastEpoch() - 1) {
                int nc = sv.jointControlCount();
                for (int c = 0; c < nc; c++) trace.P[c + nc * t] = sv.actionProbability(c, t);
            }
        }
        int run = sv.lastEpoch(); // T, or fewer for a subordinate level that settled
        trace = trace.truncated(run);
        for (int f = 0; f < nf; f++) {
            int ns = sv.stateCount(f);
            for (int j = 0; j < T; j++) {
                for (int s = 0; s < ns; s++) {
                    trace.X[f][s + ns * j] = sv.averageBelief(f, s, j);
                    for (int k = 0; k < np; k++) trace.Q[f][s + ns * (j + T * k)] = sv.policyBelief(f, s, j, k);
                }
            }
            for (int t = 0; t < run; t++) {
                trace.s[f][t] = sv.state(f, t);
                if (t < run - 1) trace.u[f][t] = sv.action(f, t);
            }
        }
        for (int g = 0; g < trace.o.length; g++) {
            for (int t = 0; t < run; t++) trace.o[g][t] = sv.outcome(g, t);
        }
        if (subordinate != null) {
            trace.lower = subordinate.trials();
            int ng = sv.modalityCount();
            trace.outcomeLikelihoods = new double[ng][];
            for (int g = 0; g < ng; g++) {
                int no = sv.outcomeCount(g);
                trace.outcomeLikelihoods[g] = new double[no * run];
                for (int t = 0; t < run; t++) {
                    for (int o = 0; o < no; o++)
                        trace.outcomeLikelihoods[g][o + no * t] = sv.outcomeLikelihood(g, o, t);
                }
            }
        }
        if (np > 1) {
            // in continuous time the precision flow's own derivative, per model iteration, stands for the
            // gradient (docs/algorithm.md section 8.3): dn holds those slopes already
            if (sv.continuousTime()) {
                for (int n = 0; n < trace.dn.length; n++) trace.dn[n] = Dopamine.fromSlope(trace.dn[n], trace.wn[n]);
            } else {
                Dopamine.trace(trace.wn, trace.wn.length, trace.dn);
            }
        }
        trace.learned = sv.finishTrial();
        return trace;
    }

    /**
     * Runs consecutive trials, each starting from the counts the previous one learned.
     *
     * @param models   one model per trial (SPM struct array entries); their own counts are used
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
            GenerativeModel model = carried == null ? models[i] : carried.applyTo(models[i]);
            TrialTrace trace = run(model, fixtures[i], random);
            carried = trace.learned;
            try {
                sink.accept(i, trace);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
