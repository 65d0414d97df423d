package org.neuroflux.dynamics;

/**
 * Information geometry of categorical beliefs (docs/dynamics.md section 6): the Fisher-Rao arc
 * length of a discrete update, its chord approximation, and the authors' per-trial score
 * ({@code cat_inf_length.m}).
 */
public final class InformationLength {
    private InformationLength() {}

    /** sum_i sqrt(p_i q_i), the Bhattacharyya coefficient of two slices. */
    public static double overlap(double[] p, int pOff, double[] q, int qOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.sqrt(p[pOff + i] * q[qOff + i]);
        return s;
    }

    /**
     * Fisher-Rao distance 2 acos(sum sqrt(p q)), the exact arc of one update (the geodesic),
     * computed as 4 atan2(||sqrt p - sqrt q||, ||sqrt p + sqrt q||): the same angle, but accurate
     * for the tiny steps of late iterations, where acos near 1 loses half the digits.
     */
    public static double fisherRao(double[] p, int pOff, double[] q, int qOff, int n) {
        double minus = 0;
        double plus = 0;
        for (int i = 0; i < n; i++) {
            double a = Math.sqrt(p[pOff + i]);
            double b = Math.sqrt(q[qOff + i]);
            minus += (a - b) * (a - b);
            plus += (a + b) * (a + b);
        }
        return 4 * Math.atan2(Math.sqrt(minus), Math.sqrt(plus));
    }

    /** The authors' form 2 acos(min(1, sum sqrt(p q))), kept for their fr_distance output. */
    public static double fisherRaoByAcos(double[] p, int pOff, double[] q, int qOff, int n) {
        return 2 * Math.acos(Math.min(1, overlap(p, pOff, q, qOff, n)));
    }

    /** Chord 2 ||sqrt(q) - sqrt(p)||: what the authors' scoring code sums (shorter by O(theta^3)). */
    public static double chord(double[] p, int pOff, double[] q, int qOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = Math.sqrt(p[pOff + i]) - Math.sqrt(q[qOff + i]);
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
        double total = 0;
        for (int i = 0; i + 1 < iterations; i++) {
            double s = 0;
            for (int c = 0; c < columns; c++) {
                double d = Math.sqrt(xn[i + iterations * c]) - Math.sqrt(xn[i + 1 + iterations * c]);
                s += d * d;
            }
            total += Math.sqrt(s);
        }
        return 2 * total;
    }

    /**
     * Arc length travelled by the belief of one factor about time point j during epoch t: the sum
     * of exact Fisher-Rao arcs between consecutive stored iterates, from xn laid out (Ni, Ns, T, T).
     */
    public static double epochArcLength(double[] xn, int ni, int ns, int epochs, int j, int t) {
        double total = 0;
        for (int i = 0; i + 1 < ni; i++) total += iterateDistance(xn, ni, ns, epochs, j, t, i, i + 1);
        return total;
    }

    /** The same path measured by chords, as the authors' scoring code measures each update. */
    public static double epochChordLength(double[] xn, int ni, int ns, int epochs, int j, int t) {
        double total = 0;
        for (int i = 0; i + 1 < ni; i++) {
            double s = 0;
            for (int st = 0; st < ns; st++) {
                int base = ni * (st + ns * (j + epochs * t));
                double d = Math.sqrt(xn[base + i]) - Math.sqrt(xn[base + i + 1]);
                s += d * d;
            }
            total += 2 * Math.sqrt(s);
        }
        return total;
    }

    /** Fisher-Rao distance between the first and the last stored iterate of epoch t, time point j. */
    public static double epochDistance(double[] xn, int ni, int ns, int epochs, int j, int t) {
        return iterateDistance(xn, ni, ns, epochs, j, t, 0, ni - 1);
    }

    /** The authors' fr_distance: {@link #epochDistance} by their acos formula (ill-conditioned near 0). */
    public static double epochDistanceByAcos(double[] xn, int ni, int ns, int epochs, int j, int t) {
        double s = 0;
        for (int st = 0; st < ns; st++) {
            int base = ni * (st + ns * (j + epochs * t));
            s += Math.sqrt(xn[base] * xn[base + ni - 1]);
        }
        return 2 * Math.acos(Math.min(1, s));
    }

    /** True when epoch t never computed time point j (its iterates are all zero). */
    public static boolean computed(double[] xn, int ni, int ns, int epochs, int j, int t) {
        for (int s = 0; s < ns; s++) if (xn[ni * (s + ns * (j + epochs * t))] != 0) return true;
        return false;
    }

    private static double iterateDistance(double[] xn, int ni, int ns, int epochs, int j, int t, int a, int b) {
        double minus = 0;
        double plus = 0;
        for (int st = 0; st < ns; st++) {
            int base = ni * (st + ns * (j + epochs * t));
            double x = Math.sqrt(xn[base + a]);
            double y = Math.sqrt(xn[base + b]);
            minus += (x - y) * (x - y);
            plus += (x + y) * (x + y);
        }
        return 4 * Math.atan2(Math.sqrt(minus), Math.sqrt(plus));
    }
}
