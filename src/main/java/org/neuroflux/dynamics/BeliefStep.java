package org.neuroflux.dynamics;

import org.neuroflux.math.SpmMath;

/**
 * The three discrete belief updates of docs/algorithm.md section 5,
 * applied to one marginal s with its raw prediction error eps. Each writes the new belief and
 * leaves the mean-subtracted error in {@code eps} (what SPM stores as vn). No allocation: the
 * Euclidean projection sorts into the caller's scratch.
 */
final class BeliefStep {
    private BeliefStep() {}

    /** One step on s[0, n), summing eps itself (allocates the projection's scratch: for tests). */
    static void apply(Scheme scheme, double[] s, double[] lnS, double[] eps, int n, double tau) {
        apply(scheme, s, 0, lnS, eps, SpmMath.sum(eps, 0, n), n, tau, new double[n]);
    }

    /**
     * @param scheme update rule
     * @param s      belief s[off, off + n), replaced by the updated belief
     * @param lnS    ln(s + 1e-16), read only
     * @param eps    raw prediction error; on return eps - mean(eps)
     * @param epsSum sum(eps), accumulated left to right
     * @param tau    time constant
     * @param scratch at least n doubles, used by the Euclidean projection only
     */
    static void apply(
            Scheme scheme,
            double[] s,
            int off,
            double[] lnS,
            double[] eps,
            double epsSum,
            int n,
            double tau,
            double[] scratch) {
        // Divisions by n and tau sit on the chain of dependent operations from one belief to the
        // next; where they are powers of two (the T-maze's Ns = 4, 2 and tau = 4) they become
        // multiplications by the exact reciprocal, which give the very same doubles.
        double mean = (n & (n - 1)) == 0 ? epsSum * (1.0 / n) : epsSum / n;
        boolean exactTau = SpmMath.hasExactReciprocal(tau);
        double perTau = 1 / tau;
        if (scheme == Scheme.NATURAL_GRADIENT) {
            // s + s .* eps / tau with the raw eps, then projection onto the simplex
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double se = s[off + i] * eps[i];
                s[off + i] = s[off + i] + (exactTau ? se * perTau : se / tau);
                sum += s[off + i];
            }
            if (sum > 0) for (int i = 0; i < n; i++) s[off + i] = s[off + i] / sum;
            boolean leftSimplex = false;
            for (int i = 0; i < n; i++) leftSimplex |= s[off + i] <= 0;
            if (leftSimplex) {
                softmaxStep(s, off, lnS, eps, mean, n, tau, exactTau, perTau);
            } else {
                for (int i = 0; i < n; i++) eps[i] = eps[i] - mean;
            }
        } else if (scheme == Scheme.EUCLIDEAN) {
            // s + (eps - mean eps)/tau, then the exact Euclidean projection onto the simplex
            for (int i = 0; i < n; i++) {
                double centred = eps[i] - mean;
                eps[i] = centred;
                s[off + i] = s[off + i] + (exactTau ? centred * perTau : centred / tau);
            }
            SimplexProjection.project(s, off, n, scratch);
        } else {
            softmaxStep(s, off, lnS, eps, mean, n, tau, exactTau, perTau);
        }
    }

    /**
     * eps = eps - mean; s = softmax(ln s + eps/tau), as spm_softmax: subtract the max, exponentiate,
     * divide by the sum. The centring, the logits and the max share one loop.
     */
    private static void softmaxStep(
            double[] s,
            int off,
            double[] lnS,
            double[] eps,
            double mean,
            int n,
            double tau,
            boolean exactTau,
            double perTau) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double centred = eps[i] - mean;
            eps[i] = centred;
            double v = lnS[i] + (exactTau ? centred * perTau : centred / tau);
            s[off + i] = v;
            if (v > max) max = v;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(s[off + i] - max);
            s[off + i] = e;
            sum += e;
        }
        for (int i = 0; i < n; i++) s[off + i] = s[off + i] / sum;
    }
}
