package org.neuroflux.pipeline;

import org.neuroflux.dynamics.EpochResults;
import org.neuroflux.dynamics.InformationLength;
import org.neuroflux.metrics.SchemeMetrics;
import org.neuroflux.signal.SignalKind;

/**
 * What one scheme's epoch tells the meters, measured on the rows its {@link SchemeEngine} has just
 * filled (the policy-averaged iterates x_n, precision and dopamine of each iteration):
 * <ul>
 *   <li>information length per factor: exact Fisher-Rao arcs between consecutive iterates, summed
 *       over every time point the epoch computed (the same arcs as the infolength channel);</li>
 *   <li>the epoch's length L and efficiency d_FR(first, last) / L for the current time point,
 *       summed over factors (each factor's d is at most its L, so the ratio is in (0, 1]; not
 *       recorded when L = 0, clamped to 1 against rounding);</li>
 *   <li>-H and the most probable policy's -G, precision and dopamine per iteration, and the
 *       solver time per iteration;</li>
 *   <li>after the trial's last epoch, the authors' score: cat_inf_length of each factor's trial xn,
 *       summed over factors. Its norm pools every (state, time point, epoch) column of an iteration
 *       row, so the squared chord of each row pair is accumulated here epoch by epoch, in the
 *       order cat_inf_length sums the columns: the score is bit for bit
 *       {@link InformationLength#pooledChordLength} of the trial's xn.</li>
 *   <li>both lengths also over the whole path, each epoch's first step (from the solver's start of
 *       the epoch to its first iterate) counted too ({@link InformationLength#pooledChordLengthWholePath}).</li>
 * </ul>
 * Allocates nothing after construction. Confined to the session's emitting thread.
 */
final class EpochMeasures {
    private final SchemeMetrics metrics;
    private final FrameLayout layout;
    private final int ni;
    private final int size;
    private final int rate;
    private final int precision;
    private final int dopamine;
    private final double[][] pooled; // per factor, per row pair i -> i+1: squared chord pooled over columns so far
    private final double[] pooledFirst; // per factor: squared chord of each epoch's start -> first iterate, pooled
    private final double[] start; // one factor's start of the epoch at one time point (scratch)
    private boolean partial; // the trial's first epochs ran before a resume, elsewhere: no score

    EpochMeasures(SchemeMetrics metrics, FrameLayout layout, int iterations) {
        this.metrics = metrics;
        this.layout = layout;
        this.ni = iterations;
        this.size = layout.storedSize();
        this.rate = layout.offset(SignalKind.RATE);
        this.precision = layout.offset(SignalKind.PRECISION);
        this.dopamine = layout.offset(SignalKind.DOPAMINE);
        this.pooled = new double[layout.factorCount()][Math.max(0, iterations - 1)];
        this.pooledFirst = new double[layout.factorCount()];
        int maxStates = 0;
        for (int f = 0; f < layout.factorCount(); f++) maxStates = Math.max(maxStates, layout.stateCount(f));
        this.start = new double[maxStates];
    }

    SchemeMetrics metrics() {
        return metrics;
    }

    /** A trial starts: forget any partial trial (a session closed mid-trial records no score). */
    void trialStarted() {
        for (double[] p : pooled) java.util.Arrays.fill(p, 0);
        java.util.Arrays.fill(pooledFirst, 0);
        partial = false;
    }

    /** This trial's first epochs were not recorded here (a resumed session): its score is not recorded either. */
    void partialTrial() {
        partial = true;
    }

    /**
     * Records epoch t from the engine's rows (Ni x stored, row-major; not modified).
     *
     * @param solverNanos time the solver took for the epoch
     */
    void epoch(double[] rows, int t, EpochResults results, long solverNanos) {
        int nf = layout.factorCount();
        int epochs = layout.epochs();
        double lengthNow = 0;
        double distanceNow = 0;
        for (int f = 0; f < nf; f++) {
            int ns = layout.stateCount(f);
            double[] chords = pooled[f];
            double travelled = 0;
            double firstSteps = 0;
            for (int j = 0; j < epochs; j++) {
                int at = rate + layout.perFactorIndex(f, 0, j);
                boolean before = InformationLength.computed(rows, at, ns);
                if (before) {
                    for (int s = 0; s < ns; s++) start[s] = results.startRate(f, s, j);
                    pooledFirst[f] += InformationLength.squaredChord(start, 0, rows, at, ns);
                    firstSteps += InformationLength.fisherRao(start, 0, rows, at, ns);
                }
                for (int i = 0; i + 1 < ni; i++) {
                    int a = i * size + at;
                    int b = a + size;
                    for (int s = 0; s < ns; s++) { // column by column, in cat_inf_length's order (bit for bit)
                        double d = Math.sqrt(rows[a + s]) - Math.sqrt(rows[b + s]);
                        chords[i] += d * d;
                    }
                    boolean after = InformationLength.computed(rows, b, ns);
                    if (before && after) {
                        double arc = InformationLength.fisherRao(rows, a, rows, b, ns);
                        travelled += arc;
                        if (j == t) lengthNow += arc;
                    }
                    before = after;
                }
                if (j == t
                        && ni > 1
                        && InformationLength.computed(rows, at, ns)
                        && InformationLength.computed(rows, (ni - 1) * size + at, ns))
                    distanceNow += InformationLength.fisherRao(rows, at, rows, (ni - 1) * size + at, ns);
            }
            metrics.informationLength(f, travelled);
            metrics.informationLengthWholePath(f, travelled + firstSteps);
        }
        metrics.epoch(
                lengthNow,
                lengthNow > 0 ? Math.min(1, distanceNow / lengthNow) : Double.NaN,
                results.totalFreeEnergy(),
                results.expectedFreeEnergy(mostProbablePolicy(results, t)));
        for (int i = 0; i < ni; i++) metrics.iteration(rows[i * size + precision], rows[i * size + dopamine]);
        metrics.beliefUpdate(solverNanos, ni);
        if (t == epochs - 1) {
            if (!partial) {
                metrics.trialScore(trialScore());
                metrics.trialScoreWholePath(trialScoreWholePath());
            }
            trialStarted();
        }
    }

    /** sum over factors of 2 sum_i ||sqrt x_i - sqrt x_(i+1)||, the columns pooled: cat_inf_length. */
    double trialScore() {
        double score = 0;
        for (double[] chords : pooled) {
            double total = 0;
            for (double c : chords) total += Math.sqrt(c);
            score += 2 * total;
        }
        return score;
    }

    /** {@link #trialScore} with each epoch's first step: pooledChordLengthWholePath of the trial. */
    double trialScoreWholePath() {
        double score = trialScore();
        for (double first : pooledFirst) score += 2 * Math.sqrt(first);
        return score;
    }

    private static int mostProbablePolicy(EpochResults results, int t) {
        int best = 0;
        for (int k = 1; k < results.policyCount(); k++)
            if (results.policyPosterior(k, t) > results.policyPosterior(best, t)) best = k;
        return best;
    }
}
