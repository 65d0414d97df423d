package org.neuroflux.dynamics;

import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.UniformSource;
import org.neuroflux.signal.Dopamine;

/**
 * Runs whole trials of B agents in lockstep with a {@link BatchSolver} and records each lane's
 * trial as the {@link TrialTrace} that {@link TrialRunner} records for that agent alone; learned
 * counts pass from trial to trial per lane. Traces are handed to a sink as each trial ends, so
 * memory does not grow with the number of trials.
 */
public final class BatchRunner {
    /** Receives lane b's trace of trial i (0-based) as soon as the trial has run. */
    @FunctionalInterface
    public interface TrialSink {
        void accept(int lane, int trial, TrialTrace trace);
    }

    private final BatchSolver solver;
    private final int[] controls;
    private boolean errors = true;

    public BatchRunner(GenerativeModel shape, SolverOptions options, int lanes) {
        this.solver = new BatchSolver(shape, options, lanes);
        controls = new int[shape.factorCount()];
        for (int f = 0; f < controls.length; f++)
            controls[f] = shape.factors().get(f).controlCount();
    }

    /**
     * The dispatch rule: true when the batched path runs this model under these options exactly as
     * {@link TrialSolver} does ({@link BatchSolver#unsupported} names what it does not cover).
     */
    public static boolean supports(GenerativeModel model, SolverOptions options) {
        return ENABLED && BatchSolver.unsupported(model, options) == null;
    }

    /** -Dneuroflux.batch=false sends everything to the scalar path (for comparisons and benchmarks). */
    private static final boolean ENABLED = !"false".equals(System.getProperty("neuroflux.batch"));

    /**
     * For sinks that never read the prediction errors (vn, half of what each epoch copies out of the
     * lanes): the traces' vn then stay as they were (zeros, or another trial's with reused traces).
     * Returns this runner.
     */
    public BatchRunner withoutErrors() {
        errors = false;
        return this;
    }

    public BatchSolver solver() {
        return solver;
    }

    public int lanes() {
        return solver.lanes();
    }

    /** Runs one trial in every lane; returns the lanes' traces. */
    public TrialTrace[] run(GenerativeModel[] models, TrialFixture[] fixtures, UniformSource[] streams) {
        TrialTrace[] traces = new TrialTrace[solver.lanes()];
        for (int b = 0; b < traces.length; b++) traces[b] = newTrace();
        run(models, fixtures, streams, traces);
        return traces;
    }

    /** Runs one trial in every lane into the given traces, every field of which it overwrites. */
    private void run(GenerativeModel[] models, TrialFixture[] fixtures, UniformSource[] streams, TrialTrace[] traces) {
        BatchSolver sv = solver;
        int B = sv.lanes();
        sv.startTrial(models, fixtures, streams);
        int T = sv.epochs();
        int nf = sv.factorCount();
        double[][] xn = new double[B][];
        double[][] vn = new double[B][];
        for (int t = 0; t < T; t++) {
            sv.runEpoch();
            for (int f = 0; f < nf; f++) {
                for (int b = 0; b < B; b++) {
                    xn[b] = traces[b].xn[f];
                    vn[b] = traces[b].vn[f];
                }
                sv.copyRatesAndErrors(f, xn, errors ? vn : null, sv.iterations() * sv.stateCount(f) * T * t);
            }
            for (int b = 0; b < B; b++) recordEpoch(b, t, traces[b]);
        }
        for (int b = 0; b < B; b++) {
            finish(b, traces[b]);
            traces[b].learned = sv.finishTrial(b);
        }
    }

    /**
     * Runs consecutive trials in every lane, each lane starting each trial from the counts it
     * learned in the previous one (as {@link TrialRunner#runSequence} per agent).
     *
     * @param models   models[i][b]: lane b's model of trial i; its own a and d are used only in trial 0
     * @param fixtures fixtures[i][b]
     * @param streams  one random stream per lane, used across all trials
     */
    public void runSequence(
            GenerativeModel[][] models, TrialFixture[][] fixtures, UniformSource[] streams, TrialSink sink) {
        runSequence(models, fixtures, streams, sink, false);
    }

    /**
     * As {@link #runSequence(GenerativeModel[][], TrialFixture[][], UniformSource[], TrialSink)};
     * with reuseTraces, each lane's trace object is overwritten by the next trial, so a sink must
     * take what it needs during the call (the fork's traces are half a megabyte each).
     */
    public void runSequence(
            GenerativeModel[][] models,
            TrialFixture[][] fixtures,
            UniformSource[] streams,
            TrialSink sink,
            boolean reuseTraces) {
        int B = solver.lanes();
        TrialTrace[] reused = null;
        if (reuseTraces) {
            reused = new TrialTrace[B];
            for (int b = 0; b < B; b++) reused[b] = newTrace();
        }
        LearnedCounts[] carried = new LearnedCounts[B];
        GenerativeModel[] trialModels = new GenerativeModel[B];
        for (int i = 0; i < models.length; i++) {
            for (int b = 0; b < B; b++) {
                GenerativeModel model = models[i][b];
                LearnedCounts c = carried[b];
                if (c != null) model = c.applyTo(model);
                trialModels[b] = model;
            }
            TrialTrace[] traces;
            if (reused != null) {
                run(trialModels, fixtures[i], streams, reused);
                traces = reused;
            } else {
                traces = run(trialModels, fixtures[i], streams);
            }
            for (int b = 0; b < B; b++) {
                carried[b] = traces[b].learned;
                sink.accept(b, i, traces[b]);
            }
        }
    }

    private TrialTrace newTrace() {
        BatchSolver sv = solver;
        int[] ns = new int[sv.factorCount()];
        for (int f = 0; f < ns.length; f++) ns[f] = sv.stateCount(f);
        int[] no = new int[sv.modalityCount()];
        for (int g = 0; g < no.length; g++) no[g] = sv.outcomeCount(g);
        return new TrialTrace(
                sv.iterations(),
                sv.epochs(),
                sv.policyCount(),
                ns,
                no,
                controls,
                sv.jointControlCount(),
                sv.movingPolicies());
    }

    /** What TrialRunner.run records after epoch t, for lane b, besides xn and vn (copied for all lanes at once). */
    private void recordEpoch(int b, int t, TrialTrace trace) {
        BatchSolver sv = solver;
        int ni = sv.iterations();
        int T = sv.epochs();
        int np = sv.policyCount();
        for (int f = 0; f < sv.factorCount(); f++) {
            int ns = sv.stateCount(f);
            for (int j = 0; j < T; j++) {
                for (int s = 0; s < ns; s++) trace.x0[f][s + ns * (j + T * t)] = sv.startRate(b, f, s, j);
            }
        }
        if (np > 1) {
            for (int i = 0; i < ni; i++) {
                int n = t * ni + i;
                trace.wn[n] = sv.precisionAt(b, i);
                for (int k = 0; k < np; k++) trace.un[k + np * n] = sv.policyPosteriorAt(b, k, i);
            }
        }
        for (int k = 0; k < np; k++) {
            trace.R[k + np * t] = sv.policyPosterior(b, k, t);
            trace.F[k + np * t] = sv.freeEnergy(b, k);
            trace.G[k + np * t] = sv.expectedFreeEnergy(b, k);
        }
        trace.H[t] = sv.totalFreeEnergy(b);
        trace.w[t] = sv.precision(b, t);
        if (t < T - 1) {
            int nc = sv.jointControlCount();
            for (int c = 0; c < nc; c++) trace.P[c + nc * t] = sv.actionProbability(b, c, t);
        }
    }

    /** What TrialRunner.run records after the last epoch, for lane b. */
    private void finish(int b, TrialTrace trace) {
        BatchSolver sv = solver;
        int T = sv.epochs();
        int np = sv.policyCount();
        for (int f = 0; f < sv.factorCount(); f++) {
            int ns = sv.stateCount(f);
            for (int j = 0; j < T; j++) {
                for (int s = 0; s < ns; s++) {
                    trace.X[f][s + ns * j] = sv.averageBelief(b, f, s, j);
                    for (int k = 0; k < np; k++) trace.Q[f][s + ns * (j + T * k)] = sv.policyBelief(b, f, s, j, k);
                }
            }
            for (int t = 0; t < T; t++) {
                trace.s[f][t] = sv.state(b, f, t);
                if (t < T - 1) trace.u[f][t] = sv.action(b, f, t);
            }
        }
        for (int g = 0; g < trace.o.length; g++) {
            for (int t = 0; t < T; t++) trace.o[g][t] = sv.outcome(b, g, t);
        }
        if (np > 1) {
            Dopamine.trace(trace.wn, trace.wn.length, trace.dn);
        }
    }
}
