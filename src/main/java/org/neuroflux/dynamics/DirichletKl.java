package org.neuroflux.dynamics;

import org.neuroflux.math.SpecialFunctions;

/**
 * SPM's Dirichlet "KL" as spm_KL_dir computes it (docs/algorithm.md, learning), reproduced as
 * written rather than as the exact divergence: psi is evaluated at q + 1/32, spm_betaln drops zero
 * counts and takes a MATLAB vector whole but any other array column by column, and the psi term is
 * always summed per column, so the sum over columns can count a vector's beta terms once per column.
 */
final class DirichletKl {
    private DirichletKl() {}

    /**
     * spm_KL_dir(q, p) for arrays of MATLAB size {@code dims} (column-major, dims[0] rows).
     *
     * @param q the posterior counts
     * @param p the prior counts
     */
    static double of(double[] q, double[] p, int... dims) {
        int rows = dims[0];
        int columns = q.length / rows;
        boolean vector = isVector(dims);
        double wholeP = vector ? betaLn(p, 0, q.length) : 0;
        double wholeQ = vector ? betaLn(q, 0, q.length) : 0;
        double total = 0;
        for (int c = 0; c < columns; c++) {
            int off = c * rows;
            double bp = vector ? wholeP : betaLn(p, off, rows);
            double bq = vector ? wholeQ : betaLn(q, off, rows);
            total += bp - bq - psiTerm(q, p, off, rows);
        }
        return total;
    }

    /** MATLAB's isvector for an array of size dims: two dimensions (after trailing 1s), one of them 1. */
    static boolean isVector(int... dims) {
        int n = dims.length;
        while (n > 2 && dims[n - 1] == 1) n--;
        if (n > 2) return false;
        int first = dims[0];
        int second = n > 1 ? dims[1] : 1;
        return first == 1 || second == 1;
    }

    /** spm_betaln of one vector: sum(gammaln(z)) - gammaln(sum(z)) over the non-zero entries. */
    private static double betaLn(double[] z, int off, int n) {
        double sumLn = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = z[off + i];
            if (v != 0) {
                sumLn += SpecialFunctions.logGamma(v);
                sum += v;
            }
        }
        return sumLn - (sum > 0 ? SpecialFunctions.logGamma(sum) : Double.POSITIVE_INFINITY);
    }

    /** sum((p - q) .* spm_psi(q + 1/32)) of one column, spm_psi(A) = psi(A) - psi(sum(A)). */
    private static double psiTerm(double[] q, double[] p, int off, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += q[off + i] + 1.0 / 32;
        double psiSum = SpecialFunctions.digamma(sum);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += (p[off + i] - q[off + i]) * (SpecialFunctions.digamma(q[off + i] + 1.0 / 32) - psiSum);
        }
        return total;
    }
}
