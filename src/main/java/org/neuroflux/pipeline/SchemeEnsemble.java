package org.neuroflux.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.metrics.ServiceMetrics;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.SplitMixSource;

/**
 * The schemes of one session run side by side on the same outcomes: one {@link SchemeEngine} per
 * scheme, trials back to back (learned counts carried). Computes a whole epoch of every scheme at
 * once and hands out its rows one iteration at a time. Any number of schemes. Not thread-safe:
 * confined to its session's emitting thread.
 */
final class SchemeEnsemble {
    private static final double[] NO_ROW = {}; // every value NaN (SignalFrame.value past the end)
    private final SchemeEngine[] engines;
    private final SplitMixSource[] randoms;
    private final long[] trialStartRandom; // each stream's state when the current trial started
    private final int[] trueStates;
    private final int modalities;
    private long trial;
    private int rowsHandedOut; // since the meters were last told: counted per epoch, not per frame (a shared counter)

    SchemeEnsemble(SessionSpec spec, FrameLayout layout, ServiceMetrics metrics, String sessionTag) {
        this.engines = new SchemeEngine[spec.schemes().size()];
        this.randoms = new SplitMixSource[engines.length];
        this.trialStartRandom = new long[engines.length];
        List<String> factors = new ArrayList<>();
        spec.model().factors().forEach(f -> factors.add(f.name()));
        for (int e = 0; e < engines.length; e++) {
            SolverOptions options = spec.options().withScheme(spec.schemes().get(e));
            engines[e] = new SchemeEngine(
                    spec.model(),
                    options,
                    layout,
                    metrics.scheme(spec.modelName(), spec.schemes().get(e).label(), factors, sessionTag),
                    spec.framesPerIteration());
            // scheme 0 also samples the generative process; the others only draw their own actions
            randoms[e] = new SplitMixSource(spec.seed() + e * 0x632BE59BD9B4E019L);
            trialStartRandom[e] = randoms[e].state();
            engines[e].startTrial(randoms[e]);
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
        return engines[0].nextEpoch() - 1;
    }

    /**
     * Runs the next epoch of every scheme on one outcome: the observation's, or (null) one sample
     * of the world taken by scheme 0's generative process and supplied to the others.
     */
    void runEpoch(Observation observation, boolean spectral) {
        countFrames();
        for (SchemeEngine engine : engines) engine.computeSpectral(spectral);
        if (!engines[0].hasNextEpoch()) {
            for (int e = 0; e < engines.length; e++) {
                engines[e].finishTrial();
                trialStartRandom[e] = randoms[e].state();
                engines[e].startTrial(randoms[e]);
            }
            trial++;
        }
        if (observation == null) {
            SchemeEngine first = engines[0];
            int t = first.nextEpoch();
            first.solve();
            for (int f = 0; f < trueStates.length; f++)
                trueStates[f] = first.solver().state(f, t);
            first.fillAfterEpoch(trueStates);
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

    /** Epochs of the current trial run so far. */
    int epochsInTrial() {
        return engines[0].nextEpoch();
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
     * rows of the last epoch are those it had; the next {@link #runEpoch} continues as before.
     *
     * @param definition the session's model (the snapshot holds only the learned counts)
     */
    void restore(SessionSnapshot snapshot, GenerativeModel definition) {
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
        try {
            for (int k = 0; k < snapshot.epochsInTrial(); k++)
                runEpoch(observations.isEmpty() ? null : observations.get(k), false);
        } finally {
            for (SchemeEngine engine : engines) engine.quiet(false);
        }
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
