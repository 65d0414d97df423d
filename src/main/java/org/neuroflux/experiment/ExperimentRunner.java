package org.neuroflux.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.neuroflux.dynamics.InformationLength;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.RandomStreamKind;

/**
 * Runs agents through a paradigm under several schemes (each with its solver settings). Each agent
 * m (1-based) gets a fresh random stream seeded {@code seed + m} before each scheme's run, as the
 * authors' demos call {@code rng(m)} before each solver, so the runs are paired; learned counts
 * pass from trial to trial. Agents are independent, so they run on a thread pool; the results do
 * not depend on it.
 */
public final class ExperimentRunner {
    private final Paradigm paradigm;
    private final SolverOptions[] schemes;
    private final RandomStreamKind streams;
    private final long seed;

    /** @param schemes the solver options in run order (the paper: natural gradient, then active inference) */
    public ExperimentRunner(Paradigm paradigm, SolverOptions[] schemes, RandomStreamKind streams, long seed) {
        this.paradigm = paradigm;
        this.schemes = schemes.clone();
        this.streams = streams;
        this.seed = seed;
    }

    /** Runs agents 1..agents with trials each; progress gets the number of agents finished. */
    public List<AgentTrial> run(int agents, int trials, int threads, IntConsumer progress)
            throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<List<AgentTrial>>> futures = new ArrayList<>();
            for (int m = 1; m <= agents; m++) {
                int agent = m;
                futures.add(pool.submit(() -> runAgent(agent, trials)));
            }
            List<AgentTrial> rows = new ArrayList<>();
            int done = 0;
            for (Future<List<AgentTrial>> f : futures) {
                rows.addAll(f.get());
                progress.accept(++done);
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One agent under every scheme, in order. */
    public List<AgentTrial> runAgent(int agent, int trials) {
        GenerativeModel[] models = new GenerativeModel[trials];
        TrialFixture[] fixtures = new TrialFixture[trials];
        for (int i = 0; i < trials; i++) {
            models[i] = paradigm.model();
            fixtures[i] = paradigm.fixture(i);
        }
        List<AgentTrial> rows = new ArrayList<>();
        for (SolverOptions options : schemes) {
            TrialRunner runner = new TrialRunner(paradigm.model(), options);
            TrialTrace[] traces = runner.runSequence(models, fixtures, streams.create(seed + agent));
            for (int i = 0; i < trials; i++) rows.add(row(agent, i, options, traces[i]));
        }
        return rows;
    }

    /**
     * A short name for the settings a scheme runs with: the preset it equals once its scheme is
     * swapped (nat3, spm), else its switches.
     */
    public static String settings(SolverOptions o) {
        if (o.withScheme(SolverOptions.nat3().scheme()).equals(SolverOptions.nat3())) return "nat3";
        if (o.withScheme(SolverOptions.spm().scheme()).equals(SolverOptions.spm())) return "spm";
        return "Ni=" + o.iterations() + ";gate=" + o.gate().name().toLowerCase(java.util.Locale.ROOT)
                + ";step=" + (o.precisionStepOverTau() ? "tau" : "2");
    }

    private AgentTrial row(int agent, int trial, SolverOptions options, TrialTrace tr) {
        int nf = tr.states.length;
        double[] perFactor = new double[nf];
        double[] wholePerFactor = new double[nf];
        double total = 0;
        double whole = 0;
        for (int f = 0; f < nf; f++) {
            perFactor[f] = InformationLength.pooledChordLength(tr.xn[f], tr.iterations);
            wholePerFactor[f] = InformationLength.pooledChordLengthWholePath(tr.xn[f], tr.x0[f], tr.iterations);
            total += perFactor[f];
            whole += wholePerFactor[f];
        }
        double[] r1 = new double[tr.policies];
        System.arraycopy(tr.R, 0, r1, 0, tr.policies);
        double[][] finalBeliefs = new double[nf][];
        for (int f = 0; f < nf; f++) {
            int ns = tr.states[f];
            finalBeliefs[f] = new double[ns];
            System.arraycopy(tr.X[f], ns * (tr.epochs - 1), finalBeliefs[f], 0, ns);
        }
        return new AgentTrial(agent, trial + 1, options.scheme().label(), settings(options), total, perFactor, whole, wholePerFactor,
                efficiency(tr, false), efficiency(tr, true), tr.s, tr.u, tr.o,
                paradigm.hit(tr.o), tr.learned == null ? null : tr.learned.initialCounts(), r1, finalBeliefs);
    }

    /**
     * sum d_FR / sum L over the trial's epochs and factors, for the belief about each epoch's own
     * time point: stored iterates (first to last) or the whole path (the epoch's start to its last
     * iterate). NaN when nothing moved.
     */
    static double efficiency(TrialTrace tr, boolean wholePath) {
        double distance = 0;
        double length = 0;
        int ni = tr.iterations;
        int T = tr.epochs;
        for (int f = 0; f < tr.states.length; f++) {
            int ns = tr.states[f];
            for (int t = 0; t < T; t++) {
                if (!InformationLength.computed(tr.xn[f], ni, ns, T, t, t)) continue;
                if (wholePath) {
                    distance += InformationLength.epochDistanceWholePath(tr.xn[f], tr.x0[f], ni, ns, T, t, t);
                    length += InformationLength.epochArcLengthWholePath(tr.xn[f], tr.x0[f], ni, ns, T, t, t);
                } else {
                    distance += InformationLength.epochDistance(tr.xn[f], ni, ns, T, t, t);
                    length += InformationLength.epochArcLength(tr.xn[f], ni, ns, T, t, t);
                }
            }
        }
        return length > 0 ? distance / length : Double.NaN;
    }
}
