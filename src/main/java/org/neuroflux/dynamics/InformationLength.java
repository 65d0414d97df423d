package org.neuroflux.dynamics;

/**
 * Information geometry of categorical beliefs (docs/algorithm.md section 11): the
 * Fisher-Rao arc length of a discrete update, its chord approximation, and the authors' per-trial
 * score ({@code cat_inf_length.m}).
 *
 * <p>Two conventions for which steps a path has. The <em>authors' convention</em> (stored
 * iterates, the default, as SPM stores xn and cat_inf_length scores it) counts the steps between
 * consecutive stored iterates of an epoch only. The <em>whole path</em> also counts each epoch's
 * first step: from where the epoch starts (the belief after its reset, {@link TrialTrace#x0}) to
 * its first stored iterate; with few iterations that step is much of the movement.
 */
public final class InformationLength {
    private InformationLength() {}

    /**
     * Fisher-Rao distance 2 acos(sum sqrt(p q)), the exact arc of one update (the geodesic),
     * computed as 4 atan2(||sqrt p - sqrt q||, ||sqrt p + sqrt q||): the same angle, but accurate
     * for the tiny steps of late iterations, where acos near 1 loses half the digits.
     */
    public static double fisherRao(double[] p, int pOff, double[] q, int qOff, int n) {
        return fisherRao(p, pOff, q, qOff, n, 1);
    }

    /**
     * The step an information length adds between two consecutive iterates of one belief (n entries
     * each): their Fisher-Rao arc, or 0 when either was never computed (all zero, as SPM's xn holds a
     * time point an epoch did not reach).
     */
    public static double step(double[] p, int pOff, double[] q, int qOff, int n) {
        return computed(p, pOff, n) && computed(q, qOff, n) ? fisherRao(p, pOff, q, qOff, n) : 0;
    }

    /** True when the belief p[off .. off+n) was computed: not all zero. */
    public static boolean computed(double[] p, int off, int n) {
        for (int i = 0; i < n; i++) if (p[off + i] != 0) return true;
        return false;
    }

    /** Squared chord ||sqrt p - sqrt q||^2 of two beliefs of n entries: what cat_inf_length pools over columns. */
    public static double squaredChord(double[] p, int pOff, double[] q, int qOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = Math.sqrt(p[pOff + i]) - Math.sqrt(q[qOff + i]);
            s += d * d;
        }
        return s;
    }

    /** {@link #fisherRao(double[], int, double[], int, int)} over entries {@code stride} apart. */
    static double fisherRao(double[] p, int pOff, double[] q, int qOff, int n, int stride) {
        double minus = 0;
        double plus = 0;
        for (int i = 0; i < n; i++) {
            double a = Math.sqrt(p[pOff + i * stride]);
            double b = Math.sqrt(q[qOff + i * stride]);
            minus += (a - b) * (a - b);
            plus += (a + b) * (a + b);
        }
        return 4 * Math.atan2(Math.sqrt(minus), Math.sqrt(plus));
    }

    /** Chord 2 ||sqrt(q) - sqrt(p)|| over entries {@code stride} apart: shorter than the arc by O(theta^3). */
    static double chord(double[] p, int pOff, double[] q, int qOff, int n, int stride) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = Math.sqrt(p[pOff + i * stride]) - Math.sqrt(q[qOff + i * stride]);
            s += d * d;
        }
        return 2 * Math.sqrt(s);
    }

    /**
     * cat_inf_length of one factor's xn, an (Ni, rest) column-major array: 2 * sum over
     * consecutive rows of the Euclidean norm of the difference of their square roots, with every
     * (state, time point, epoch) column pooled into one norm per iteration.
     */
    public static double pooledChordLength(double[] xn, int iterations) {
        int columns = xn.length / iterations;
        // column by column, each column contiguous and each square root taken once; every step's sum
        // still adds its columns in order 0, 1, ..., so the result is the step-by-step loop's, bit for bit
        double[] steps = new double[Math.max(0, iterations - 1)];
        for (int c = 0; c < columns; c++) {
            int at = iterations * c;
            double a = Math.sqrt(xn[at]);
            for (int i = 0; i + 1 < iterations; i++) {
                double b = Math.sqrt(xn[at + i + 1]);
                double d = a - b;
                steps[i] += d * d;
                a = b;
            }
        }
        double total = 0;
        for (double s : steps) total += Math.sqrt(s);
        return 2 * total;
    }

    /**
     * cat_inf_length of the whole path: {@link #pooledChordLength} of each epoch's start prepended
     * to its iterates, so the first step of every epoch (pooled over columns, as the others) is
     * counted too.
     *
     * @param x0 the starts, one per (state, time point, epoch) column of xn (0 where not computed)
     */
    public static double pooledChordLengthWholePath(double[] xn, double[] x0, int iterations) {
        return pooledFirstSteps(xn, x0, iterations) + pooledChordLength(xn, iterations);
    }

    /**
     * What the whole path adds to {@link #pooledChordLength}: the epochs' first steps, pooled as one
     * step. A caller that has the pooled length already adds this to it (the same sum, bit for bit).
     */
    public static double pooledFirstSteps(double[] xn, double[] x0, int iterations) {
        double s = 0;
        for (int c = 0; c < x0.length; c++) {
            double d = Math.sqrt(x0[c]) - Math.sqrt(xn[iterations * c]);
            s += d * d;
        }
        return 2 * Math.sqrt(s);
    }

    /** {@link #epochArcLength} of the whole path: plus the arc from the epoch's start to its first iterate. */
    public static double epochArcLengthWholePath(double[] xn, double[] x0, int ni, int ns, int epochs, int j, int t) {
        return firstStep(xn, x0, ni, ns, epochs, j, t) + epochArcLength(xn, ni, ns, epochs, j, t);
    }

    /** Fisher-Rao arc from the start of epoch t (time point j) to its first stored iterate. */
    public static double firstStep(double[] xn, double[] x0, int ni, int ns, int epochs, int j, int t) {
        return fisherRao(x0, ns * (j + epochs * t), xn, ni * ns * (j + epochs * t), ns, 1, ni);
    }

    /** Fisher-Rao distance from the start of epoch t (time point j) to its last stored iterate. */
    public static double epochDistanceWholePath(double[] xn, double[] x0, int ni, int ns, int epochs, int j, int t) {
        return fisherRao(x0, ns * (j + epochs * t), xn, ni * ns * (j + epochs * t) + ni - 1, ns, 1, ni);
    }

    /** Fisher-Rao distance between p (entries pStride apart) and q (entries qStride apart). */
    static double fisherRao(double[] p, int pOff, double[] q, int qOff, int n, int pStride, int qStride) {
        double minus = 0;
        double plus = 0;
        for (int i = 0; i < n; i++) {
            double a = Math.sqrt(p[pOff + i * pStride]);
            double b = Math.sqrt(q[qOff + i * qStride]);
            minus += (a - b) * (a - b);
            plus += (a + b) * (a + b);
        }
        return 4 * Math.atan2(Math.sqrt(minus), Math.sqrt(plus));
    }

    /**
     * Arc length travelled by the belief of one factor about time point j during epoch t: the sum
     * of exact Fisher-Rao arcs between consecutive stored iterates, from xn laid out (Ni, Ns, T, T)
     * (the states of one iterate lie Ni apart).
     */
    public static double epochArcLength(double[] xn, int ni, int ns, int epochs, int j, int t) {
        int base = ni * ns * (j + epochs * t);
        double total = 0;
        for (int i = 0; i + 1 < ni; i++) total += fisherRao(xn, base + i, xn, base + i + 1, ns, ni);
        return total;
    }

    /** The same path measured by chords, as the authors' scoring code measures each update. */
    public static double epochChordLength(double[] xn, int ni, int ns, int epochs, int j, int t) {
        int base = ni * ns * (j + epochs * t);
        double total = 0;
        for (int i = 0; i + 1 < ni; i++) total += chord(xn, base + i, xn, base + i + 1, ns, ni);
        return total;
    }

    /** Fisher-Rao distance between the first and the last stored iterate of epoch t, time point j. */
    public static double epochDistance(double[] xn, int ni, int ns, int epochs, int j, int t) {
        int base = ni * ns * (j + epochs * t);
        return fisherRao(xn, base, xn, base + ni - 1, ns, ni);
    }

    /** The authors' fr_distance: {@link #epochDistance} by their acos formula (ill-conditioned near 0). */
    public static double epochDistanceByAcos(double[] xn, int ni, int ns, int epochs, int j, int t) {
        int base = ni * ns * (j + epochs * t);
        double s = 0;
        for (int st = 0; st < ns; st++) s += Math.sqrt(xn[base + ni * st] * xn[base + ni * st + ni - 1]);
        return 2 * Math.acos(Math.min(1, s));
    }

    /** True when epoch t never computed time point j (its iterates are all zero). */
    public static boolean computed(double[] xn, int ni, int ns, int epochs, int j, int t) {
        for (int s = 0; s < ns; s++) if (xn[ni * (s + ns * (j + epochs * t))] != 0) return true;
        return false;
    }
}
