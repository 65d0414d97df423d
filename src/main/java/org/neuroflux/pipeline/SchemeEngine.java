package org.neuroflux.pipeline;

import java.util.Arrays;
import org.neuroflux.dynamics.EpochResults;
import org.neuroflux.dynamics.InformationLength;
import org.neuroflux.dynamics.LearnedCounts;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.SubordinateLevel;
import org.neuroflux.dynamics.TrialSolver;
import org.neuroflux.metrics.SchemeMetrics;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.UniformSource;
import org.neuroflux.signal.Dopamine;
import org.neuroflux.signal.FieldPotential;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.signal.Timebase;

/**
 * Drives one scheme of a session: a {@link TrialSolver} run epoch by epoch, the learned counts
 * carried from trial to trial, and after each epoch the Ni rows of stored channel values (laid out
 * by {@link FrameLayout}) that the session then emits one per iteration. A session in a
 * {@link Cohort} has no solver of its own while it is there: the cohort's batch runs its epochs and
 * the engine reads its lane ({@link #attach}). Not thread-safe: confined to its session's worker.
 */
final class SchemeEngine {
    private final Scheme scheme;
    private final SolverOptions options;
    private TrialSolver solver; // null while a cohort's batch runs this scheme
    private EpochResults results; // what fill reads: the solver, or the engine's lane of a batch
    private final FrameLayout layout;
    private final int ni;
    private final double[] rows; // Ni x stored, row-major
    private final double[] infoLength; // cumulative per factor within the trial (stored iterates)
    private final double[] unitRates; // one unit's rates over the epoch's iterations (scratch)
    private final double[] unitLfp;
    private final double[] infoLengthWhole; // the same with each epoch's first step
    private final double[] start; // one marginal's start of the epoch
    private final double framesPerIteration; // dopamine's gradient is per 1/64 s iteration whatever the sampling
    private final double framesPerSecond; // lfp is per second
    private final SpectralChannels spectral; // null when the layout has no spectral channels
    private boolean computeSpectral;
    private boolean quiet; // re-running a restored trial's epochs: no meters (docs/cluster.md)
    private final EpochMeasures measures; // null: no meters
    private final SubordinateLevel lower; // null for a single-level model
    private final LowerLevelRows lowerRows; // the lower level's frames of the last epoch, or null
    private GenerativeModel model;
    private double lastPrecision = Double.NaN;
    private long solverNanos;

    SchemeEngine(GenerativeModel model, SolverOptions options, FrameLayout layout) {
        this(model, options, layout, null, 1);
    }

    /** @param metrics this scheme's meters, or null for none */
    SchemeEngine(GenerativeModel model, SolverOptions options, FrameLayout layout, SchemeMetrics metrics) {
        this(model, options, layout, metrics, 1);
    }

    /**
     * @param metrics            this scheme's meters, or null for none
     * @param framesPerIteration frames per 1/64 s iteration (samples per iteration of a continuous session, else 1)
     */
    SchemeEngine(
            GenerativeModel model,
            SolverOptions options,
            FrameLayout layout,
            SchemeMetrics metrics,
            double framesPerIteration) {
        this(model, options, layout, metrics, framesPerIteration, false);
    }

    /** @param batched start without a solver: a cohort's batch will run this scheme ({@link #attach}) */
    SchemeEngine(
            GenerativeModel model,
            SolverOptions options,
            FrameLayout layout,
            SchemeMetrics metrics,
            double framesPerIteration,
            boolean batched) {
        this.scheme = options.scheme();
        this.options = options;
        this.solver = batched ? null : new TrialSolver(model, options);
        this.results = solver;
        this.layout = layout;
        this.ni = options.iterations();
        this.rows = new double[ni * layout.storedSize()];
        this.infoLength = new double[layout.factorCount()];
        this.unitRates = new double[ni];
        this.unitLfp = new double[ni];
        this.infoLengthWhole = new double[layout.factorCount()];
        int maxNs = 0;
        for (int f = 0; f < layout.factorCount(); f++) maxNs = Math.max(maxNs, layout.stateCount(f));
        this.start = new double[maxNs];
        this.model = model;
        this.framesPerIteration = framesPerIteration;
        this.framesPerSecond = framesPerIteration * Timebase.SPM_SAMPLES_PER_SECOND;
        this.spectral = layout.wavelet() == null ? null : new SpectralChannels(layout);
        this.measures = metrics == null ? null : new EpochMeasures(metrics, layout, ni);
        // a deep model: the lower level's whole trial runs inside each epoch (its evidence), streamed first
        if (model.subordinate() != null) {
            lower = new SubordinateLevel(model.subordinate(), options);
            solver.setOutcomeEvidence(lower);
            lowerRows = new LowerLevelRows(new FrameLayout(model.subordinate().model(), null));
        } else {
            lower = null;
            lowerRows = null;
        }
    }

    /** Frames of the lower level's trial run in the last epoch (0 for a single-level model). */
    int lowerFrames() {
        return lowerRows == null ? 0 : lowerRows.count();
    }

    /** Lower-level row r of the last epoch, a new array the frame owns. */
    double[] lowerRow(int r) {
        return lowerRows.row(r);
    }

    /** Whether the next epochs compute tf, theta and phase (someone subscribed to them) or leave them NaN. */
    void computeSpectral(boolean value) {
        computeSpectral = value;
    }

    /** This scheme's meters, or null. */
    SchemeMetrics metrics() {
        return measures == null ? null : measures.metrics();
    }

    Scheme scheme() {
        return scheme;
    }

    /** The engine's own solver, or null while a cohort's batch runs it. */
    TrialSolver solver() {
        return solver;
    }

    /** The model of the current trial (learned counts of the trials before included). */
    GenerativeModel model() {
        return model;
    }

    /** Reads the next epochs from a batch's lane (the cohort runs them); the engine has no solver meanwhile. */
    void attach(EpochResults lane) {
        solver = null;
        results = lane;
    }

    /**
     * Leaves the batch: from now on the engine's own solver, restarted on the current trial's model
     * and {@code random}, runs the epochs (the caller replays the trial's epochs run so far).
     */
    void ownSolver(UniformSource random) {
        solver = new TrialSolver(model, options);
        solver.startTrial(model, TrialFixture.free(model.factorCount(), model.modalityCount(), model.epochs()), random);
        results = solver;
    }

    /** The trial a batch ran ends: its learned counts become the next trial's model. */
    void learned(LearnedCounts counts) {
        model = counts.applyTo(model);
    }

    /** Time the batch spent on this engine's share of the epoch (the beliefUpdate meter). */
    void solvedInBatch(long nanos) {
        solverNanos = nanos;
    }

    int iterations() {
        return ni;
    }

    void startTrial(UniformSource random) {
        solver.startTrial(model, TrialFixture.free(model.factorCount(), model.modalityCount(), model.epochs()), random);
        trialStarted();
        if (lower != null) lower.startTrial(model.subordinate(), random);
    }

    /** Forgets the last trial's running sums (information length, the last precision, the meters' trial). */
    void trialStarted() {
        Arrays.fill(infoLength, 0);
        Arrays.fill(infoLengthWhole, 0);
        lastPrecision = Double.NaN;
        if (measures != null) measures.trialStarted();
    }

    /** Starts the current trial again from {@code trialModel}'s counts and {@code random} (a restored snapshot). */
    void restartTrial(GenerativeModel trialModel, UniformSource random) {
        model = trialModel;
        startTrial(random);
    }

    /**
     * Quiet: the epochs run now repeat ones already metered (a restored trial's), so they feed no
     * meter; leaving quiet mid-trial makes this trial's score partial, so it is not recorded.
     */
    void quiet(boolean value) {
        if (quiet && !value && measures != null) measures.partialTrial();
        quiet = value;
    }

    boolean hasNextEpoch() {
        return solver.hasNextEpoch();
    }

    int nextEpoch() {
        return solver.nextEpoch();
    }

    /**
     * Runs the next epoch (outcomes already supplied, or sampled from the generative process) and
     * fills the rows; {@code trueStates} (0-based per factor) or null when they are unknown.
     */
    void runEpoch(int[] trueStates) {
        solve();
        fill(solver.nextEpoch() - 1, trueStates);
    }

    /** The engine's lane of a batch (or its solver): what the last epoch produced. */
    EpochResults results() {
        return results;
    }

    /** Runs the solver's next epoch only (timed when metered); {@link #fillAfterEpoch} follows. */
    void solve() {
        if (measures == null) {
            solver.runEpoch();
            return;
        }
        long start = measures.metrics().monotonicNanos();
        solver.runEpoch();
        solverNanos = measures.metrics().monotonicNanos() - start;
    }

    /**
     * Fills the rows of epoch t after the caller ran {@link #solve()} itself (to read the true states
     * first), or after a cohort's batch ran it.
     */
    void fillAfterEpoch(int t, int[] trueStates) {
        fill(t, trueStates);
    }

    /** Ends the trial: learning, then the next trial starts from the learned counts (SPM's MDP(i).d = OUT(i-1).d, likewise a, b, c, e). */
    void finishTrial() {
        model = solver.finishTrial().applyTo(model);
    }

    /**
     * Copies row i of the last epoch into a new array (the frame's own); without the spectral block
     * (the layout's last) when the epoch did not compute it, so frames cost nothing extra then.
     */
    double[] row(int i) {
        int size = layout.storedSize();
        int length = spectral != null && computeSpectral ? size : layout.offset(SignalKind.TF);
        return Arrays.copyOfRange(rows, i * size, i * size + length);
    }

    private void fill(int t, int[] trueStates) {
        if (lower != null) lowerRows.fill(lower.lastTrial());
        int size = layout.storedSize();
        int nf = layout.factorCount();
        int T = layout.epochs();
        int rate = layout.offset(SignalKind.RATE);
        int error = layout.offset(SignalKind.ERROR);
        int lfp = layout.offset(SignalKind.LFP);
        int policy = layout.offset(SignalKind.POLICY);
        int precision = layout.offset(SignalKind.PRECISION);
        int dopamine = layout.offset(SignalKind.DOPAMINE);
        int info = layout.offset(SignalKind.INFOLENGTH);
        int infoWhole = layout.offset(SignalKind.INFOLENGTH_WHOLE_PATH);
        int outcome = layout.offset(SignalKind.OUTCOME);
        int state = layout.offset(SignalKind.STATE);
        int np = layout.policyCount();
        boolean manyPolicies = np > 1;
        for (int i = 0; i < ni; i++) {
            int row = i * size;
            for (int f = 0; f < nf; f++) {
                int ns = layout.stateCount(f);
                for (int j = 0; j < T; j++) {
                    for (int s = 0; s < ns; s++) {
                        int at = layout.perFactorIndex(f, s, j);
                        rows[row + rate + at] = results.rate(f, i, s, j);
                        rows[row + error + at] = results.error(f, i, s, j);
                    }
                }
            }
            for (int k = 0; k < np; k++) rows[row + policy + k] = manyPolicies ? results.policyPosteriorAt(k, i) : 1;
            rows[row + precision] = manyPolicies ? results.precisionAt(i) : results.precision(t);
            for (int g = 0; g < layout.modalityCount(); g++) rows[row + outcome + g] = results.outcome(g, t) + 1;
            for (int f = 0; f < nf; f++) {
                int s = trueStates == null ? TrialFixture.FREE : trueStates[f];
                rows[row + state + f] = s == TrialFixture.FREE ? Double.NaN : s + 1;
            }
        }
        // LFP: the same kernel as export's (MATLAB gradient along the epoch's iterations), per second
        for (int f = 0; f < nf; f++) {
            int ns = layout.stateCount(f);
            for (int j = 0; j < T; j++) {
                for (int s = 0; s < ns; s++) {
                    int at = layout.perFactorIndex(f, s, j);
                    for (int i = 0; i < ni; i++) unitRates[i] = rows[i * size + rate + at];
                    FieldPotential.epoch(unitRates, 0, ni, framesPerSecond, unitLfp, 0);
                    for (int i = 0; i < ni; i++) rows[i * size + lfp + at] = unitLfp[i];
                }
            }
        }
        // dopamine: the trial's gradient, but this epoch's last iteration is one-sided (the next is not run
        // yet). In continuous time the precision flow's own derivative (per 1/64 s iteration) replaces the
        // differences, so dopamine does not depend on the sampling rate (docs/algorithm.md section 8.3)
        if (manyPolicies && solver != null && solver.continuousTime()) {
            for (int i = 0; i < ni; i++) {
                rows[i * size + dopamine] = Dopamine.fromSlope(solver.precisionSlopeAt(i), rows[i * size + precision]);
            }
        } else {
            Dopamine.window(
                    rows, precision, size, ni, lastPrecision, Double.NaN, framesPerIteration, rows, dopamine, size);
        }
        lastPrecision = rows[(ni - 1) * size + precision];
        // information length: exact Fisher-Rao arcs between consecutive iterates, summed over time
        // points; the whole path adds the arc from the epoch's start to its first iterate
        for (int i = 0; i < ni; i++) {
            int row = i * size;
            for (int f = 0; f < nf; f++) {
                int ns = layout.stateCount(f);
                for (int j = 0; j < T; j++) {
                    int at = rate + layout.perFactorIndex(f, 0, j);
                    if (i == 0) {
                        infoLengthWhole[f] += firstStep(f, j, ns, at);
                    } else {
                        double arc = InformationLength.step(rows, row - size + at, rows, row + at, ns);
                        infoLength[f] += arc;
                        infoLengthWhole[f] += arc;
                    }
                }
                rows[row + info + f] = infoLength[f];
                rows[row + infoWhole + f] = infoLengthWhole[f];
            }
        }
        if (spectral != null) spectral.fill(rows, ni, computeSpectral);
        if (measures != null && !quiet) measures.epoch(rows, t, results, solverNanos);
    }

    /**
     * Fisher-Rao arc from the solver's start of the epoch (time point j) to the first iterate, stored
     * at rows[at..]; 0 when the epoch did not compute time point j.
     */
    private double firstStep(int f, int j, int ns, int at) {
        if (!InformationLength.computed(rows, at, ns)) return 0;
        for (int s = 0; s < ns; s++) start[s] = results.startRate(f, s, j);
        return InformationLength.fisherRao(start, 0, rows, at, ns);
    }
}
