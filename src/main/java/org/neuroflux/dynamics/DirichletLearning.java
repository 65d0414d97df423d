package org.neuroflux.dynamics;

import org.neuroflux.model.GenerativeModel;

/**
 * The learning section of spm_MDP_VB_X: a[g] += eta * (O_t x X_1(:,t) x ... x X_F(:,t)) summed
 * over t where a > 0; d[f] += X_f(:,1) where d > 0 (SPM applies no learning rate to d); their free
 * energies through {@link DirichletKl}. b, c and e are learned by {@link ParameterLearning}.
 */
final class DirichletLearning {
    private DirichletLearning() {}

    static LearnedCounts learn(
            GenerativeModel model, double[][] outcomes, double[][] bma, int[] ns, int[] no, int epochs) {
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
            int[] dims = new int[nf + 1];
            System.arraycopy(ns, 0, dims, 1, nf);
            for (int g = 0; g < ng; g++) {
                dims[0] = no[g];
                fa[g] = -DirichletKl.of(a[g], model.likelihoodCounts(g), dims);
            }
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
                fd[f] = -DirichletKl.of(d[f], prior, ns[f], 1);
            }
        }
        return new LearnedCounts(a, d, fa, fd);
    }
}
