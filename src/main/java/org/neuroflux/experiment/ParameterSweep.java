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
 * A grid of parameter values (every combination of the {@link SweepParameter}s' values), N agents
 * at each point, each running the model's trials with learned counts carried from trial to trial.
 * Agent m (1-based) of every point draws from a stream seeded {@code seed + m}: points are
 * compared on common random numbers. All (point, agent) pairs are lanes of the batched solver, in
 * batches of up to {@link ExperimentRunner#MAX_LANES} (the scalar solver where
 * {@link BatchRunner#supports} says no); rows come out in (point, agent, trial) order whatever
 * the threads.
 */
public final class ParameterSweep {
    /**
     * One agent's trial at one grid point.
     *
     * @param point      0-based grid point
     * @param values     the swept values at that point, in the parameters' order
     * @param agent      1-based agent
     * @param trial      1-based trial
     * @param infoLength the authors' per-trial score (cat_inf_length), summed over factors
     * @param hit        the hit rule's verdict, or null when the model has no preferences to hit
     * @param freeEnergy variational free energy of the trial, -sum over epochs of SPM's H
     */
    public record Row(
            int point, double[] values, int agent, int trial, double infoLength, Boolean hit, double freeEnergy) {}

    private final GenerativeModel[] models;
    private final TrialFixture[] fixtures;
    private final List<SweepParameter> parameters;
    private final SolverOptions options;
    private final RandomStreamKind streams;
    private final long seed;
    private final HitRule hits;
    private final List<double[]> points = new ArrayList<>();
    private final List<GenerativeModel[]> pointModels = new ArrayList<>();

    /**
     * @param models   the model of each trial (a file's struct array, its last repeated)
     * @param fixtures the fixture of each trial
     */
    public ParameterSweep(
            GenerativeModel[] models,
            TrialFixture[] fixtures,
            List<SweepParameter> parameters,
            SolverOptions options,
            RandomStreamKind streams,
            long seed) {
        this.models = models.clone();
        this.fixtures = fixtures.clone();
        this.parameters = List.copyOf(parameters);
        this.options = options;
        this.streams = streams;
        this.seed = seed;
        this.hits = HitRule.of(models[0]);
        grid(0, new double[parameters.size()]);
    }

    private void grid(int p, double[] values) {
        if (p == parameters.size()) {
            double[] v = values.clone();
            GenerativeModel[] ms = new GenerativeModel[models.length];
            for (int i = 0; i < ms.length; i++) {
                GenerativeModel m = models[i];
                for (int q = 0; q < v.length; q++) m = parameters.get(q).apply(m, v[q]);
                ms[i] = m;
            }
            points.add(v);
            pointModels.add(ms);
            return;
        }
        for (double value : parameters.get(p).values()) {
            values[p] = value;
            grid(p + 1, values);
        }
    }

    /** Number of grid points. */
    public int points() {
        return points.size();
    }

    /** Receives the rows of consecutive lanes, in order. */
    @FunctionalInterface
    public interface RowSink {
        void accept(List<Row> rows) throws java.io.IOException;
    }

    /**
     * Runs every point with agents each; progress gets the number of agent-trials finished, the
     * sink the rows batch after batch, in order.
     */
    public void run(int agents, int threads, IntConsumer progress, RowSink sink)
            throws InterruptedException, ExecutionException, java.io.IOException {
        int total = points.size() * agents;
        int nThreads = Math.max(1, threads);
        int lanes = Math.max(1, Math.min(ExperimentRunner.MAX_LANES, (total + nThreads - 1) / nThreads));
        ExecutorService pool = Executors.newFixedThreadPool(nThreads);
        try {
            List<Future<List<Row>>> futures = new ArrayList<>();
            for (int first = 0; first < total; first += lanes) {
                int from = first;
                int count = Math.min(lanes, total - first);
                futures.add(pool.submit(() -> runLanes(from, count, agents)));
            }
            int done = 0;
            for (Future<List<Row>> f : futures) {
                List<Row> rows = f.get();
                sink.accept(rows);
                done += rows.size();
                progress.accept(done);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Lanes first..first+count-1, lane L being agent L % agents + 1 of point L / agents. */
    private List<Row> runLanes(int first, int count, int agents) {
        int trials = models.length;
        GenerativeModel[][] ms = new GenerativeModel[trials][count];
        TrialFixture[][] fs = new TrialFixture[trials][count];
        UniformSource[] rs = new UniformSource[count];
        for (int b = 0; b < count; b++) {
            int lane = first + b;
            GenerativeModel[] point = pointModels.get(lane / agents);
            for (int i = 0; i < trials; i++) {
                ms[i][b] = point[i];
                fs[i][b] = fixtures[i];
            }
            rs[b] = streams.create(seed + lane % agents + 1);
        }
        Row[][] rows = new Row[count][trials];
        if (BatchRunner.supports(models[0], options)) {
            new BatchRunner(models[0], options, count)
                    .withoutErrors() // a row reads beliefs, free energy and outcomes, never vn
                    .runSequence(ms, fs, rs, (b, i, trace) -> rows[b][i] = row(first + b, agents, i, trace), true);
        } else {
            TrialRunner runner = new TrialRunner(models[0], options);
            for (int b = 0; b < count; b++) {
                GenerativeModel[] laneModels = new GenerativeModel[trials];
                for (int i = 0; i < trials; i++) laneModels[i] = ms[i][b];
                int lane = b;
                runner.runSequence(
                        laneModels, fixtures, rs[b], (i, trace) -> rows[lane][i] = row(first + lane, agents, i, trace));
            }
        }
        List<Row> out = new ArrayList<>(count * trials);
        for (Row[] agent : rows) out.addAll(List.of(agent));
        return out;
    }

    private Row row(int lane, int agents, int trial, TrialTrace tr) {
        double length = 0;
        for (int f = 0; f < tr.xn.length; f++) length += InformationLength.pooledChordLength(tr.xn[f], tr.iterations);
        double h = 0;
        for (double v : tr.H) h += v;
        int point = lane / agents;
        return new Row(point, points.get(point), lane % agents + 1, trial + 1, length, hits.hit(tr.o), -h);
    }

    /**
     * SPM's hit, generalised from the T-maze demos: in the modality whose preferences (C at the last
     * time point, of the unswept model) span the widest range, some outcome is a most preferred one
     * and none is a least preferred one. No such modality (flat C): no verdict.
     */
    record HitRule(int modality, boolean[] best, boolean[] worst) {
        static HitRule of(GenerativeModel model) {
            int bestG = -1;
            double widest = 0;
            for (int g = 0; g < model.modalityCount(); g++) {
                double[] c = column(model, g);
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (double v : c) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                if (hi - lo > widest) {
                    widest = hi - lo;
                    bestG = g;
                }
            }
            if (bestG < 0) return new HitRule(-1, null, null);
            double[] c = column(model, bestG);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : c) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            boolean[] best = new boolean[c.length];
            boolean[] worst = new boolean[c.length];
            for (int o = 0; o < c.length; o++) {
                best[o] = c[o] == hi;
                worst[o] = c[o] == lo;
            }
            return new HitRule(bestG, best, worst);
        }

        private static double[] column(GenerativeModel model, int g) {
            int no = model.modalities().get(g).outcomeCount();
            double[] c = new double[no];
            System.arraycopy(model.preferences(g), no * (model.epochs() - 1), c, 0, no);
            return c;
        }

        Boolean hit(int[][] outcomes) {
            if (modality < 0) return null;
            boolean good = false;
            boolean bad = false;
            for (int o : outcomes[modality]) {
                good |= best[o];
                bad |= worst[o];
            }
            return good && !bad;
        }
    }
}
