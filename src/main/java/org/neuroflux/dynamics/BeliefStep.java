package org.neuroflux.dynamics;

import org.neuroflux.math.SpmMath;

/**
 * The two discrete belief updates of docs/dynamics.md section 3, applied to one marginal s with
 * its raw prediction error eps. Both write the new belief and leave the mean-subtracted error in
 * {@code eps} (what SPM stores as vn). No allocation.
 */
final class BeliefStep {
    private BeliefStep() {}

    /**
     * @param scheme update rule
     * @param s      belief, replaced by the updated belief (length n)
     * @param lnS    ln(s + 1e-16), read only
     * @param eps    raw prediction error; on return eps - mean(eps)
     * @param tau    time constant
     */
    static void apply(Scheme scheme, double[] s, double[] lnS, double[] eps, int n, double tau) {
        double mean = SpmMath.sum(eps, 0, n) / n;
        if (scheme == Scheme.NATURAL_GRADIENT) {
            // s + s .* eps / tau with the raw eps, then projection onto the simplex
            double sum = 0;
            for (int i = 0; i < n; i++) {
                s[i] = s[i] + s[i] * eps[i] / tau;
                sum += s[i];
            }
            if (sum > 0) for (int i = 0; i < n; i++) s[i] = s[i] / sum;
            boolean leftSimplex = false;
            for (int i = 0; i < n; i++) leftSimplex |= s[i] <= 0;
            for (int i = 0; i < n; i++) eps[i] = eps[i] - mean;
            if (leftSimplex) softmaxStep(s, lnS, eps, n, tau);
        } else {
            for (int i = 0; i < n; i++) eps[i] = eps[i] - mean;
            softmaxStep(s, lnS, eps, n, tau);
        }
    }

    /** s = softmax(ln s + eps'/tau), eps' already mean-subtracted. */
    private static void softmaxStep(double[] s, double[] lnS, double[] centredEps, int n, double tau) {
        for (int i = 0; i < n; i++) s[i] = lnS[i] + centredEps[i] / tau;
        SpmMath.softmax(s, 0, s, 0, n);
    }
}
