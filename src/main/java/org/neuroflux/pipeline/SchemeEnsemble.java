package org.neuroflux.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.neuroflux.dynamics.EpochResults;
import org.neuroflux.dynamics.LearnedCounts;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialSolver;
import org.neuroflux.metrics.ServiceMetrics;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.SplitMixSource;

/**
 * The schemes of one session run side by side on the same outcomes: one {@link SchemeEngine} per
 * scheme, trials back to back (learned counts carried). Computes a whole epoch of every scheme at
 * once and hands out its rows one iteration at a time. Any number of schemes. Not thread-safe:
 * confined to its session's emitting thread.
 *
 * <p>Batched: in a {@link Cohort}, the cohort's batches run every scheme's epochs (the same
 * operations on the same random streams, so the same numbers) and the ensemble only turns its lanes
 * into rows. It can leave the batch at any epoch: it then replays the current trial on solvers of
 * its own from the trial's start, which brings them to the lane's state exactly ({@link #leaveBatch}).
 */
final class SchemeEnsemble {
    private static final double[] NO_ROW = {}; // every value NaN (SignalFrame.value past the end)
    private final SchemeEngine[] engines;
    private final SplitMixSource[] randoms;
    private final long[] trialStartRandom; // each stream's state when the current trial started
    private final int[] trueStates;
    private final int modalities;
    private boolean batched;
    private boolean batchStartedTrial; // the cohort started a trial whose first epoch is not filled yet
    private int epochsThisTrial;
    private int epoch = -1;
    private long trial;
    private int rowsHandedOut; // since the meters were last told: counted per epoch, not per frame (a shared counter)

    SchemeEnsemble(SessionSpec spec, FrameLayout layout, ServiceMetrics metrics, String sessionTag) {
        this(spec, layout, metrics, sessionTag, false);
    }

    /** @param batched a cohort will run the epochs ({@link Cohorts#batches} the spec) */
    SchemeEnsemble(SessionSpec spec, FrameLayout layout, ServiceMetrics metrics, String sessionTag, boolean batched) {
        this.engines = new SchemeEngine[spec.schemes().size()];
        this.randoms = new SplitMixSource[engines.length];
        this.trialStartRandom = new long[engines.length];
        this.batched = batched;
        List<String> factors = new ArrayList<>();
        spec.model().factors().forEach(f -> factors.add(f.name()));
        for (int e = 0; e < engines.length; e++) {
            SolverOptions options = spec.options().withScheme(spec.schemes().get(e));
            engines[e] = new SchemeEngine(
                    spec.model(),
                    options,
                    layout,
                    metrics.scheme(spec.modelName(), spec.schemes().get(e).label(), factors, sessionTag),
                    spec.framesPerIteration(),
                    batched);
            // scheme 0 also samples the generative process; the others only draw their own actions
            randoms[e] = new SplitMixSource(spec.seed() + e * 0x632BE59BD9B4E019L);
            trialStartRandom[e] = randoms[e].state();
            if (!batched) engines[e].startTrial(randoms[e]);
        }
        this.trueStates = new int[spec.model().factorCount()];
        this.modalities = layout.modalityCount();
    }

    int size() {
        return engines.length;
    }

    /** Iterations per epoch (shared by all schemes). */
    int iterations() {
        return engines[0].iterations();
    }

    /** Trials finished so far (0-based number of the current trial). */
    long trial() {
        return trial;
    }

    /** The epoch (0-based) whose rows are handed out now. */
    int currentEpoch() {
        return epoch;
    }

    /**
     * Runs the next epoch of every scheme on one outcome: the observation's, or (null) one sample
     * of the world taken by scheme 0's generative process and supplied to the others.
     */
    void runEpoch(Observation observation, boolean spectral) {
        countFrames();
        for (SchemeEngine engine : engines) engine.computeSpectral(spectral);
        if (batched) {
            fillFromBatch();
            return;
        }
        if (!engines[0].hasNextEpoch()) {
            for (int e = 0; e < engines.length; e++) {
                engines[e].finishTrial();
                trialStartRandom[e] = randoms[e].state();
                engines[e].startTrial(randoms[e]);
            }
            trial++;
            epochsThisTrial = 0;
        }
        epoch = engines[0].nextEpoch();
        epochsThisTrial++;
        if (observation == null) {
            SchemeEngine first = engines[0];
            int t = first.nextEpoch();
            first.solve();
            for (int f = 0; f < trueStates.length; f++)
                trueStates[f] = first.solver().state(f, t);
            first.fillAfterEpoch(t, trueStates);
            for (int e = 1; e < engines.length; e++) {
                for (int g = 0; g < modalities; g++)
                    engines[e].solver().supplyOutcome(g, first.solver().outcome(g, t));
                engines[e].runEpoch(trueStates);
            }
        } else {
            for (SchemeEngine engine : engines) {
                observation.supplyTo(engine.solver());
                engine.runEpoch(null);
            }
        }
    }

    // --- snapshots (cluster mode, docs/cluster.md, "State at epoch boundaries") --------------------

    /** Epochs of the current trial run so far. */
    int epochsInTrial() {
        return epochsThisTrial;
    }

    /** Each scheme's random stream counter at the start of the current trial. */
    long[] trialStartRandoms() {
        return trialStartRandom.clone();
    }

    /** Each scheme's model at the start of the current trial (immutable: the counts learned before it). */
    GenerativeModel[] trialStartModels() {
        GenerativeModel[] m = new GenerativeModel[engines.length];
        for (int e = 0; e < engines.length; e++) m[e] = engines[e].model();
        return m;
    }

    /**
     * Puts the schemes where {@code snapshot} was taken: the trial started again from its counts and
     * random streams, and its epochs run again on the same outcomes without feeding any meter. The
     * rows of the last epoch are those it had; the next {@link #runEpoch} continues as before. Not in
     * a batch: the engines run their own solvers.
     *
     * @param definition the session's model (the snapshot holds only the learned counts)
     */
    void restore(SessionSnapshot snapshot, GenerativeModel definition) {
        if (batched) throw new IllegalStateException("a batched session is not restored from a snapshot");
        if (snapshot.schemes() != engines.length)
            throw new SessionSnapshot.FormatException(
                    "schemes: " + snapshot.schemes() + ", expected the session's " + engines.length);
        int T = definition.epochs();
        if (snapshot.epochsInTrial() > T)
            throw new SessionSnapshot.FormatException(
                    "epochsInTrial: " + snapshot.epochsInTrial() + ", expected 1.." + T + " (the model's epochs)");
        List<Observation> observations = snapshot.observations();
        if (!observations.isEmpty() && observations.size() != snapshot.epochsInTrial())
            throw new SessionSnapshot.FormatException("observations: " + observations.size()
                    + ", expected none or one per epoch run (" + snapshot.epochsInTrial() + ")");
        GenerativeModel[] models = new GenerativeModel[engines.length];
        for (int e = 0; e < engines.length; e++) models[e] = snapshot.model(e, definition);
        for (int e = 0; e < engines.length; e++) {
            randoms[e] = new SplitMixSource(snapshot.random(e));
            trialStartRandom[e] = snapshot.random(e);
            engines[e].restartTrial(models[e], randoms[e]);
            engines[e].quiet(true);
        }
        trial = snapshot.trial();
        epochsThisTrial = 0;
        try {
            for (int k = 0; k < snapshot.epochsInTrial(); k++)
                runEpoch(observations.isEmpty() ? null : observations.get(k), false);
        } finally {
            for (SchemeEngine engine : engines) engine.quiet(false);
        }
    }

    // --- batched (docs/architecture.md, "Batched sessions") ---------------------------------------

    /** Whether a cohort's batch runs the epochs. */
    boolean batched() {
        return batched;
    }

    /** Scheme e's model for the trial a batch starts (the learned counts of the trials before included). */
    GenerativeModel trialModel(int e) {
        return engines[e].model();
    }

    /** Scheme e's random stream: the batch draws from it as the engine's own solver would. */
    SplitMixSource random(int e) {
        return randoms[e];
    }

    /** The trial a batch ran ends for scheme e: its learned counts carry into the next. */
    void finishBatchedTrial(int e, LearnedCounts counts) {
        engines[e].learned(counts);
    }

    /** A batch starts a trial; {@code lanes[e]} is this session's lane of scheme e's batch. */
    void batchedTrialStarted(EpochResults[] lanes) {
        for (int e = 0; e < engines.length; e++) {
            engines[e].attach(lanes[e]);
            trialStartRandom[e] = randoms[e].state();
        }
        batchStartedTrial = true;
    }

    /** Time the batch spent per lane on each scheme's epoch (the engines' solver meters). */
    void solvedInBatch(long[] nanosPerLane) {
        for (int e = 0; e < engines.length; e++) engines[e].solvedInBatch(nanosPerLane[e]);
    }

    /** Rows of the epoch the batch just ran, read from this session's lanes. */
    private void fillFromBatch() {
        if (batchStartedTrial) {
            if (epoch >= 0) trial++; // the first trial is trial 0
            for (SchemeEngine engine : engines) engine.trialStarted();
            epochsThisTrial = 0;
            batchStartedTrial = false;
        }
        int t = epochsThisTrial++;
        epoch = t;
        EpochResults first = engines[0].results();
        for (int f = 0; f < trueStates.length; f++) trueStates[f] = first.state(f, t);
        for (SchemeEngine engine : engines) engine.fillAfterEpoch(t, trueStates);
    }

    /**
     * Leaves the batch: every scheme gets a solver of its own, restarted on the trial's model and a
     * fresh copy of its random stream as it was when the trial started, and re-runs the epochs the
     * batch ran in this trial. The solvers are deterministic and the batch computes what they
     * compute, so they end in the lanes' state, bit for bit, and the next epoch is the one the batch
     * would have run. The batch keeps the old stream objects; nothing draws from them for the session again.
     */
    void leaveBatch() {
        if (!batched) return;
        for (int e = 0; e < engines.length; e++) {
            randoms[e] = new SplitMixSource(trialStartRandom[e]);
            engines[e].ownSolver(randoms[e]);
        }
        TrialSolver first = engines[0].solver();
        for (int k = 0; k < epochsThisTrial; k++) {
            first.runEpoch();
            for (int e = 1; e < engines.length; e++) {
                for (int g = 0; g < modalities; g++) engines[e].solver().supplyOutcome(g, first.outcome(g, k));
                engines[e].solver().runEpoch();
            }
        }
        batched = false;
    }

    /**
     * Lower-level frames of the last epoch (0 for a single-level model): the most any scheme's lower
     * trial ran, since a trial that settles stops early (docs/protocol.md, "Deep models").
     */
    int lowerFrames() {
        int n = 0;
        for (SchemeEngine engine : engines) n = Math.max(n, engine.lowerFrames());
        return n;
    }

    /** Lower-level row r of the last epoch of every scheme (NaN past a scheme's own lower trial). */
    double[][] lowerRows(int r) {
        double[][] rows = new double[engines.length][];
        for (int e = 0; e < engines.length; e++)
            rows[e] = r < engines[e].lowerFrames() ? engines[e].lowerRow(r) : NO_ROW;
        return rows;
    }

    /** Row i of the last epoch of every scheme, each a new array the frame owns. */
    double[][] rows(int i) {
        double[][] rows = new double[engines.length][];
        for (int e = 0; e < engines.length; e++) rows[e] = engines[e].row(i);
        rowsHandedOut++;
        return rows;
    }

    private void countFrames() {
        if (rowsHandedOut == 0) return;
        for (SchemeEngine engine : engines) engine.metrics().framesEmitted(rowsHandedOut);
        rowsHandedOut = 0;
    }

    /** Frees the meters the session owned alone. */
    void release(ServiceMetrics metrics) {
        countFrames();
        for (SchemeEngine engine : engines) metrics.release(engine.metrics());
    }
}
