package org.neuroflux.dynamics;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

/** The SPM reference models of src/test/resources/reference, and small helpers to run them. */
final class ReferenceCases {
    private ReferenceCases() {}

    static SpmImport load(String caseName) {
        try (InputStream in = ReferenceCases.class.getResourceAsStream("/reference/" + caseName + "/mdp.json")) {
            if (in == null) throw new IllegalStateException("missing test resource /reference/" + caseName);
            return new SpmModelReader().read(new String(in.readAllBytes(), StandardCharsets.UTF_8), caseName);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read reference case " + caseName, e);
        }
    }

    static GenerativeModel withTau(GenerativeModel model, double tau) {
        return model.withParameters(model.parameters().withTau(tau));
    }

    /**
     * Runs the first epochs of one trial and returns, per epoch, the final beliefs of every policy
     * (all factors, all time points below the epoch's horizon), flattened.
     */
    static double[][] epochEndBeliefs(GenerativeModel model, TrialFixture fixture, SolverOptions options, int epochs) {
        TrialSolver solver = new TrialSolver(model, options);
        solver.startTrial(model, fixture, new SplitMixSource(1));
        double[][] out = new double[epochs][];
        for (int t = 0; t < epochs; t++) {
            solver.runEpoch();
            double[] v = new double[0];
            int n = 0;
            for (int k = 0; k < solver.policyCount(); k++) {
                for (int f = 0; f < solver.factorCount(); f++) {
                    for (int j = 0; j < solver.horizon(); j++) {
                        for (int s = 0; s < solver.stateCount(f); s++) {
                            if (n == v.length) v = Arrays.copyOf(v, 2 * n + 8);
                            v[n++] = solver.policyBelief(f, s, j, k);
                        }
                    }
                }
            }
            out[t] = Arrays.copyOf(v, n);
        }
        return out;
    }

    static double maxDifference(double[][] a, double[][] b) {
        double e = 0;
        for (int t = 0; t < a.length; t++) {
            for (int i = 0; i < a[t].length; i++) e = Math.max(e, Math.abs(a[t][i] - b[t][i]));
        }
        return e;
    }

    /** L_t(joint state) = prod_g A_g(o_{g,t}, joint) from the agent's likelihood, as the solver computes it. */
    static double[][] likelihoods(AgentModel m, TrialFixture fixture) {
        double[][] L = new double[m.epochs][m.joint];
        for (int t = 0; t < m.epochs; t++) {
            Arrays.fill(L[t], 1);
            for (int g = 0; g < m.ng; g++) {
                int o = fixture.outcome(g, t);
                for (int s = 0; s < m.joint; s++) L[t][s] *= m.likelihood[g][s * m.no[g] + o];
            }
        }
        return L;
    }
}
