package org.neuroflux.dynamics;

import org.neuroflux.math.SpecialFunctions;
import org.neuroflux.model.GenerativeModel;

/**
 * The learning section of spm_MDP_VB_X: a[g] += eta * (O_t x X_1(:,t) x ... x X_F(:,t)) summed
 * over t where a > 0; d[f] += X_f(:,1) where d > 0 (SPM applies no learning rate to d); and SPM's
 * own Dirichlet "KL" (spm_KL_dir, which evaluates psi at q + 1/32), reproduced as written.
 */
final class DirichletLearning {
    private DirichletLearning() {}

    static LearnedCounts learn(GenerativeModel model, double[][] outcomes, double[][] bma, int[] ns, int[] no, int epochs) {
        int nf = ns.length;
        int ng = no.length;
        double[][] a = null;
        double[] fa = null;
        if (model.learnsLikelihood()) {
            a = new double[ng][];
            fa = new double[ng];
            double eta = model.parameters().eta();
            for (int g = 0; g < ng; g++) a[g] = model.likelihoodCounts(g);
            int joint = a[0].length / no[0];
            double[] cross = new double[joint];
            for (int t = 0; t < epochs; t++) {
                for (int g = 0; g < ng; g++) {
                    for (int o = 0; o < no[g]; o++) {
                        double og = outcomes[g][o + no[g] * t];
                        for (int j = 0; j < joint; j++) {
                            double v = og;
                            int rest = j;
                            for (int f = 0; f < nf; f++) {
                                v = v * bma[f][rest % ns[f] + ns[f] * t];
                                rest /= ns[f];
                            }
                            cross[j] = v;
                        }
                        for (int j = 0; j < joint; j++) {
                            int idx = o + no[g] * j;
                            if (a[g][idx] > 0) a[g][idx] = a[g][idx] + cross[j] * eta;
                        }
                    }
                }
            }
            for (int g = 0; g < ng; g++) fa[g] = -klDirichlet(a[g], model.likelihoodCounts(g), no[g]);
        }
        double[][] d = null;
        double[] fd = null;
        if (model.learnsInitialStates()) {
            d = new double[nf][];
            fd = new double[nf];
            for (int f = 0; f < nf; f++) {
                double[] prior = model.initialCounts(f);
                d[f] = prior.clone();
                for (int s = 0; s < ns[f]; s++) if (d[f][s] > 0) d[f][s] = d[f][s] + bma[f][s];
                fd[f] = -klDirichlet(d[f], prior, ns[f]);
            }
        }
        return new LearnedCounts(a, d, fa, fd);
    }

    /** spm_KL_dir(q, p) over columns of length rows; a single column or row is one vector. */
    static double klDirichlet(double[] q, double[] p, int rows) {
        int columns = q.length / rows;
        if (rows == 1 || columns == 1) {
            return betaLn(p, 0, q.length) - betaLn(q, 0, q.length) - psiTerm(q, p, 0, q.length);
        }
        double total = 0;
        for (int c = 0; c < columns; c++) {
            int off = c * rows;
            total += betaLn(p, off, rows) - betaLn(q, off, rows) - psiTerm(q, p, off, rows);
        }
        return total;
    }

    /** spm_betaln of one column: sum(gammaln(z)) - gammaln(sum(z)) over the non-zero entries. */
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
