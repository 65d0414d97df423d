package org.neuroflux.dynamics;

import org.neuroflux.model.GenerativeModel;

/**
 * The rest of spm_MDP_VB_X's learning section (docs/algorithm.md, learning): transitions b, log
 * preferences c and the policy prior e, each with its free energy -spm_KL_dir(post, prior). Every
 * update keeps SPM's order of operations (products, masks, then the learning rate) so that results
 * match SPM's to the last bits; {@link DirichletLearning} does a and d.
 */
final class ParameterLearning {
    private ParameterLearning() {}

    /**
     * The whole learning step after a trial: a and d ({@link DirichletLearning}), then b, c and e
     * where the model learns them. Arrays are a solver's end-of-trial state, laid out as
     * {@link TrialSolver} holds them.
     *
     * @param outcomes  per modality, the outcome vectors, [o + No*t]
     * @param bma       per factor, the policy-averaged beliefs X, [s + Ns*t]
     * @param x         per factor, the final per-policy beliefs, [(k*T + j)*Ns + s]
     * @param policies  the policies as run, [(k*(T-1) + j)*F + f]
     * @param posterior the policy posterior at the end of each epoch, [k + Np*t]
     * @param epochs    T
     * @param last      the number of epochs run
     */
    static LearnedCounts afterTrial(
            GenerativeModel model,
            double[][] outcomes,
            double[][] bma,
            double[][] x,
            int[] policies,
            double[] posterior,
            int[] ns,
            int[] no,
            int np,
            int epochs,
            int last) {
        LearnedCounts learned = DirichletLearning.learn(model, outcomes, bma, ns, no, last);
        if (!model.learnsTransitions() && !model.learnsPreferences() && !model.learnsPolicyPrior()) return learned;
        double[] fb = model.learnsTransitions() ? new double[ns.length] : null;
        double[] fc = model.learnsPreferences() ? new double[no.length] : null;
        double[] fe = model.learnsPolicyPrior() ? new double[1] : null;
        return learned.with(
                fb == null ? null : transitions(model, x, policies, posterior, ns, np, epochs, last, fb), fb,
                fc == null ? null : preferences(model, outcomes, no, epochs, last, fc), fc,
                fe == null ? null : policyPrior(model, posterior, np, last, fe), fe);
    }

    /**
     * b[f](:, :, v) += eta * u(k, t) * x_k(:, t) * x_k(:, t-1)' for t = 2..T and every policy k, v
     * that policy's control at t-1, only where b > 0. Pruned policies have u = 0 and add nothing.
     *
     * @param x         per factor, the final per-policy beliefs, x[f][(k*T + j)*Ns + s]
     * @param policies  the policies as run (one-step policies hold the actions taken), [(k*(T-1) + j)*F + f]
     * @param posterior policy posterior at the end of each epoch, [k + Np*t]
     * @param epochs    T, the layout's number of time points
     * @param last      the number of epochs run (T, unless a trial ends early)
     * @param energy    receives Fb[f]
     * @return the updated b
     */
    static double[][] transitions(
            GenerativeModel model,
            double[][] x,
            int[] policies,
            double[] posterior,
            int[] ns,
            int np,
            int epochs,
            int last,
            double[] energy) {
        int nf = ns.length;
        double eta = model.parameters().eta();
        double[][] b = new double[nf][];
        for (int f = 0; f < nf; f++) b[f] = model.transitionCounts(f);
        for (int t = 1; t < last; t++) {
            for (int f = 0; f < nf; f++) {
                int n = ns[f];
                double[] bf = b[f];
                for (int k = 0; k < np; k++) {
                    int v = policies[(k * (epochs - 1) + t - 1) * nf + f];
                    double u = posterior[k + np * t];
                    int now = (k * epochs + t) * n;
                    int before = (k * epochs + t - 1) * n;
                    for (int from = 0; from < n; from++) {
                        for (int to = 0; to < n; to++) {
                            int idx = to + n * (from + n * v);
                            if (bf[idx] > 0) bf[idx] = bf[idx] + u * x[f][now + to] * x[f][before + from] * eta;
                        }
                    }
                }
            }
        }
        for (int f = 0; f < nf; f++) {
            int n = ns[f];
            energy[f] = -DirichletKl.of(b[f], model.transitionCounts(f), n, n, b[f].length / (n * n));
        }
        return b;
    }

    /**
     * c[g](:, t) += eta * O_g(:, t) per epoch t, only where c > 0 (c is held with T columns, a single
     * given column repeated, as SPM's set-up repeats it). SPM r7487 stops with an error here (its
     * outcome is a cell), so this is the update as written, and Fc is per modality (docs/algorithm.md, learning).
     *
     * @param outcomes per modality, the outcome vectors of the trial, [o + No*t]
     * @param epochs   T, the columns of c
     * @param last     the number of epochs run (T, unless a trial ends early)
     * @param energy   receives Fc[g]
     */
    static double[][] preferences(
            GenerativeModel model, double[][] outcomes, int[] no, int epochs, int last, double[] energy) {
        int ng = no.length;
        double eta = model.parameters().eta();
        double[][] c = new double[ng][];
        for (int g = 0; g < ng; g++) c[g] = model.preferenceCounts(g);
        for (int t = 0; t < last; t++) {
            for (int g = 0; g < ng; g++) {
                for (int o = 0; o < no[g]; o++) {
                    int idx = o + no[g] * t;
                    if (c[g][idx] > 0) c[g][idx] = c[g][idx] + outcomes[g][idx] * eta;
                }
            }
        }
        for (int g = 0; g < ng; g++) energy[g] = -DirichletKl.of(c[g], model.preferenceCounts(g), no[g], epochs);
        return c;
    }

    /**
     * e += eta * u(:, T), the policy posterior at the end of the trial (no mask, as SPM).
     *
     * @param last   the number of epochs run: u(:, last) is the trial's last posterior
     * @param energy receives Fe in energy[0]
     */
    static double[] policyPrior(GenerativeModel model, double[] posterior, int np, int last, double[] energy) {
        double eta = model.parameters().eta();
        double[] e = model.policyCounts();
        for (int k = 0; k < np; k++) e[k] = e[k] + eta * posterior[k + np * (last - 1)];
        energy[0] = -DirichletKl.of(e, model.policyCounts(), np, 1);
        return e;
    }
}
