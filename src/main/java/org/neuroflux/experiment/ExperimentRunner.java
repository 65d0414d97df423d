package org.neuroflux.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.neuroflux.dynamics.BatchRunner;
import org.neuroflux.dynamics.InformationLength;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.RandomStreamKind;
import org.neuroflux.random.UniformSource;

/**
 * Runs agents through a paradigm under several schemes (each with its solver settings). Each agent
 * m (1-based) gets a fresh random stream seeded {@code seed + m} before each scheme's run, as the
 * authors' demos call {@code rng(m)} before each solver, so the runs are paired; learned counts
 * pass from trial to trial. Agents are independent: they run in batches (the batched solver,
 * lockstep, where it covers the scheme) on a thread pool; the results do not depend on either,
 * agent for agent.
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

    /** Agents per batch: enough lanes to amortise the sweep's per-marginal work, few enough to stay in cache. */
    static final int MAX_LANES = 64;

    /**
     * Runs agents 1..agents with trials each; progress gets the number of agents finished. Agents
     * are split into batches of consecutive agents (at most {@link #MAX_LANES}, at least one batch
     * per thread), each run in lockstep by the batched solver, or agent by agent by the scalar
     * solver where {@link BatchRunner#supports} says the batched path does not cover the scheme.
     */
    public List<AgentTrial> run(int agents, int trials, int threads, IntConsumer progress)
            throws InterruptedException, ExecutionException {
        int nThreads = Math.max(1, threads);
        ExecutorService pool = Executors.newFixedThreadPool(nThreads);
        try {
            int lanes = Math.max(1, Math.min(MAX_LANES, (agents + nThreads - 1) / nThreads));
            List<Future<List<AgentTrial>>> futures = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            for (int first = 1; first <= agents; first += lanes) {
                int from = first;
                int count = Math.min(lanes, agents - first + 1);
                futures.add(pool.submit(() -> runAgents(from, count, trials)));
                sizes.add(count);
            }
            List<AgentTrial> rows = new ArrayList<>();
            int done = 0;
            for (int i = 0; i < futures.size(); i++) {
                rows.addAll(futures.get(i).get());
                done += sizes.get(i);
                progress.accept(done);
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One agent under every scheme, in order. */
    public List<AgentTrial> runAgent(int agent, int trials) {
        return runAgents(agent, 1, trials);
    }

    /**
     * Agents first..first+count-1 under every scheme, in order; rows by agent, then scheme, then
     * trial. Each agent's stream is seeded seed + agent before each scheme, whichever path runs it.
     */
    public List<AgentTrial> runAgents(int first, int count, int trials) {
        GenerativeModel[][] models = new GenerativeModel[trials][count];
        TrialFixture[][] fixtures = new TrialFixture[trials][count];
        for (int i = 0; i < trials; i++) {
            for (int b = 0; b < count; b++) {
                models[i][b] = paradigm.model();
                fixtures[i][b] = paradigm.fixture(i);
            }
        }
        AgentTrial[][][] rows = new AgentTrial[count][schemes.length][trials];
        for (int sc = 0; sc < schemes.length; sc++) {
            SolverOptions options = schemes[sc];
            int scheme = sc;
            if (BatchRunner.supports(paradigm.model(), options)) {
                UniformSource[] streams = new UniformSource[count];
                for (int b = 0; b < count; b++) streams[b] = this.streams.create(seed + first + b);
                new BatchRunner(paradigm.model(), options, count)
                        .withoutErrors() // a row reads beliefs, precision and outcomes, never vn
                        .runSequence(
                                models,
                                fixtures,
                                streams,
                                (b, i, trace) -> rows[b][scheme][i] = row(first + b, i, options, trace),
                                true);
            } else {
                GenerativeModel[] ms = new GenerativeModel[trials];
                TrialFixture[] fs = new TrialFixture[trials];
                for (int i = 0; i < trials; i++) {
                    ms[i] = models[i][0];
                    fs[i] = fixtures[i][0];
                }
                TrialRunner runner = new TrialRunner(paradigm.model(), options);
                for (int b = 0; b < count; b++) {
                    TrialTrace[] traces = runner.runSequence(ms, fs, streams.create(seed + first + b));
                    for (int i = 0; i < trials; i++) rows[b][scheme][i] = row(first + b, i, options, traces[i]);
                }
            }
        }
        List<AgentTrial> out = new ArrayList<>(count * schemes.length * trials);
        for (AgentTrial[][] agent : rows) {
            for (AgentTrial[] scheme : agent) out.addAll(List.of(scheme));
        }
        return out;
    }

    /**
     * A short name for the settings a scheme runs with: the preset it equals once its scheme is
     * swapped (nat3, spm), else its switches.
     */
    public static String settings(SolverOptions o) {
        if (o.withScheme(SolverOptions.nat3().scheme()).equals(SolverOptions.nat3())) return "nat3";
        if (o.withScheme(SolverOptions.spm().scheme()).equals(SolverOptions.spm())) return "spm";
        return "Ni=" + o.iterations() + ";gate=" + o.gate().name().toLowerCase(java.util.Locale.ROOT) + ";step="
                + (o.precisionStepOverTau() ? "tau" : "2");
    }

    private AgentTrial row(int agent, int trial, SolverOptions options, TrialTrace tr) {
        int nf = tr.states.length;
        double[] perFactor = new double[nf];
        double[] wholePerFactor = new double[nf];
        double total = 0;
        double whole = 0;
        for (int f = 0; f < nf; f++) {
            perFactor[f] = InformationLength.pooledChordLength(tr.xn[f], tr.iterations);
            wholePerFactor[f] = InformationLength.pooledFirstSteps(tr.xn[f], tr.x0[f], tr.iterations) + perFactor[f];
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
        return new AgentTrial(
                agent,
                trial + 1,
                options.scheme().label(),
                settings(options),
                total,
                perFactor,
                whole,
                wholePerFactor,
                efficiency(tr, false),
                efficiency(tr, true),
                copy(tr.s),
                copy(tr.u),
                copy(tr.o),
                paradigm.hit(tr.o),
                tr.learned == null ? null : tr.learned.initialCounts(),
                r1,
                finalBeliefs);
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

    /** The trace's arrays are reused by the next trial of the batch: rows keep copies. */
    private static int[][] copy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
