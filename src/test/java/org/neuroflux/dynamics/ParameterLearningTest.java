package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuroflux.math.SpecialFunctions;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.SolverParameters;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;

/**
 * Learning of b, c and e checked against their closed forms, recomputed here from what the trial
 * reports (final per-policy beliefs Q, policy posteriors R, outcomes, actions): c has no SPM
 * reference (SPM r7487 stops with an error there), and b and e are checked beyond the reference
 * case, with a learning rate other than 1, zero counts, the fork's scheme and one-step policies.
 */
class ParameterLearningTest {
    private static final double ETA = 0.5;

    private static GenerativeModel withEta(GenerativeModel m, double eta) {
        SolverParameters p = m.parameters();
        return m.withParameters(new SolverParameters(p.tau(), p.erp(), p.alpha(), p.beta(), p.zeta(), eta, p.chi()));
    }

    /** The T-maze of tmaze-ai-learn-2trials (b, d, e learned), trial 1, with some b counts zeroed and eta = 1/2. */
    private static GenerativeModel learnTmaze() {
        SpmImport in = ReferenceCases.load("tmaze-ai-learn-2trials");
        GenerativeModel m = in.models().get(0);
        GenerativeModel.Builder b = withEta(m, ETA).toBuilder();
        double[][] counts = {m.transitionCounts(0), m.transitionCounts(1)};
        counts[0][1] = 0; // b{1}(2,1,1): from the centre to the left arm under "go to the centre" never learned
        counts[0][2 + 4 * (0 + 4 * 2)] = 0; // b{1}(3,1,3)
        b.transitionCounts = counts;
        return b.build();
    }

    private static TrialFixture fixture(String caseName, int trial) {
        return ReferenceCases.load(caseName).fixtures().get(trial);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"spm", "nat3", "nat3-16"})
    void transitionsAndPolicyPriorFollowTheirClosedForm(String preset) {
        SolverOptions options = switch (preset) {
            case "spm" -> SolverOptions.spm();
            case "nat3" -> SolverOptions.nat3();
            default -> SolverOptions.nat3().withIterations(16);
        };
        GenerativeModel model = learnTmaze();
        TrialTrace tr =
                new TrialRunner(model, options).run(model, fixture("tmaze-ai-learn-2trials", 0), new SplitMixSource(1));
        int T = tr.epochs;
        int np = tr.policies;
        for (int f = 0; f < 2; f++) {
            int n = tr.states[f];
            double[] prior = model.transitionCounts(f);
            double[] expected = prior.clone();
            for (int t = 1; t < T; t++) {
                for (int k = 0; k < np; k++) {
                    int v = model.policyControl(k, t - 1, f);
                    double u = tr.R[k + np * t];
                    for (int from = 0; from < n; from++) {
                        for (int to = 0; to < n; to++) {
                            int idx = to + n * (from + n * v);
                            double xt = tr.Q[f][to + n * (t + T * k)];
                            double xs = tr.Q[f][from + n * (t - 1 + T * k)];
                            if (prior[idx] > 0) expected[idx] += ETA * u * xt * xs;
                        }
                    }
                }
            }
            double[] actual = tr.learned.transitionCounts()[f];
            for (int i = 0; i < expected.length; i++) {
                assertEquals(
                        expected[i],
                        actual[i],
                        1e-12 * Math.max(1, expected[i]),
                        preset + " b{" + (f + 1) + "} entry " + i);
                if (prior[i] == 0) assertEquals(0, actual[i], "counts at 0 are never learned");
            }
            assertEquals(-kl(actual, prior, n), tr.learned.transitionEnergy()[f], 1e-10, "Fb");
        }
        assertNotEquals(model.transitionCounts(0)[0], tr.learned.transitionCounts()[0][0], "b{1}(1,1,1) was learned");
        double[] e = model.policyCounts();
        double[] prior = e.clone();
        for (int k = 0; k < np; k++) e[k] += ETA * tr.R[k + np * (T - 1)];
        assertArrayEquals(e, tr.learned.policyCounts(), 1e-12);
        assertEquals(-kl(e, prior, np), tr.learned.policyEnergy()[0], 1e-10, "Fe");
        // d keeps SPM's rule: no learning rate
        assertEquals(model.initialCounts(1)[0] + tr.X[1][0], tr.learned.initialCounts()[1][0], 1e-12);
    }

    @Test
    void oneStepPoliciesLearnTheActionsTaken() {
        SpmImport in = ReferenceCases.load("rule-ai");
        GenerativeModel m = in.models().get(0);
        GenerativeModel.Builder b = withEta(m, ETA).toBuilder();
        b.transitionCounts = new double[m.factorCount()][];
        for (int f = 0; f < m.factorCount(); f++) {
            b.transitionCounts[f] = m.transitions(f);
            for (int i = 0; i < b.transitionCounts[f].length; i++)
                b.transitionCounts[f][i] = 8 * b.transitionCounts[f][i] + 0.25;
        }
        GenerativeModel model = b.build();
        TrialTrace tr = new TrialRunner(model, SolverOptions.spm())
                .run(model, in.fixtures().get(0), new SplitMixSource(1));
        int T = tr.epochs;
        int np = tr.policies;
        int f = 2; // where: the factor the actions move
        int n = tr.states[f];
        double[] expected = model.transitionCounts(f);
        for (int t = 1; t < T; t++) {
            int v = tr.u[f][t - 1]; // SPM rewrites V(t-1, :, f) with the action taken
            for (int k = 0; k < np; k++) {
                for (int from = 0; from < n; from++) {
                    for (int to = 0; to < n; to++) {
                        expected[to + n * (from + n * v)] += ETA
                                * tr.R[k + np * t]
                                * tr.Q[f][to + n * (t + T * k)]
                                * tr.Q[f][from + n * (t - 1 + T * k)];
                    }
                }
            }
        }
        assertArrayEquals(expected, tr.learned.transitionCounts()[f], 1e-12);
    }

    @Test
    void preferencesFollowTheirClosedFormAndDriveTheAgentAsPsiOfTheCounts() {
        SpmImport in = ReferenceCases.load("tmaze-ai-onpolicy");
        GenerativeModel m = withEta(in.models().get(0), ETA);
        TrialFixture fixture = in.fixtures().get(0);
        int T = m.epochs();
        // c{1}: one column repeated over T, one outcome at 0; c{2}: a column per epoch
        double[][] c = {new double[5 * T], new double[3 * T]};
        for (int t = 0; t < T; t++) {
            double[] c1 = {1, 2, 0, 1, 1};
            double[] c2 = {4, 1 + t, 0.5};
            System.arraycopy(c1, 0, c[0], 5 * t, 5);
            System.arraycopy(c2, 0, c[1], 3 * t, 3);
        }
        GenerativeModel.Builder b = m.toBuilder();
        b.preferenceCounts = c;
        GenerativeModel learner = b.build();
        TrialTrace tr = new TrialRunner(learner, SolverOptions.spm()).run(learner, fixture, new SplitMixSource(1));

        for (int g = 0; g < 2; g++) {
            int no = g == 0 ? 5 : 3;
            double[] expected = c[g].clone();
            for (int t = 0; t < T; t++) {
                int o = tr.o[g][t];
                if (expected[o + no * t] > 0) expected[o + no * t] += ETA;
            }
            assertArrayEquals(expected, tr.learned.preferenceCounts()[g], 0, "c{" + (g + 1) + "}");
            assertEquals(-kl(expected, c[g], no), tr.learned.preferenceEnergy()[g], 1e-10, "Fc(" + (g + 1) + ")");
        }
        assertEquals(0, tr.learned.preferenceCounts()[0][2], "c{1}(3) is 0 and never learned");

        // the agent's preferences are C = spm_psi(c + 1/32): the same trial with that C given directly
        GenerativeModel.Builder explicit = m.toBuilder();
        explicit.preferences = new double[2][];
        for (int g = 0; g < 2; g++) {
            int no = g == 0 ? 5 : 3;
            explicit.preferences[g] = new double[no * T];
            for (int t = 0; t < T; t++) {
                double sum = 0;
                for (int o = 0; o < no; o++) sum += c[g][o + no * t] + 1.0 / 32;
                for (int o = 0; o < no; o++) {
                    explicit.preferences[g][o + no * t] =
                            SpecialFunctions.digamma(c[g][o + no * t] + 1.0 / 32) - SpecialFunctions.digamma(sum);
                }
            }
        }
        GenerativeModel given = explicit.build();
        TrialTrace ref = new TrialRunner(given, SolverOptions.spm()).run(given, fixture, new SplitMixSource(1));
        assertArrayEquals(ref.G, tr.G, 1e-12, "expected free energies");
        assertArrayEquals(ref.R, tr.R, 1e-12, "policy posteriors");
        double[] plain = new TrialRunner(m, SolverOptions.spm()).run(m, fixture, new SplitMixSource(1)).G;
        assertTrue(Math.abs(plain[1] - tr.G[1]) > 1e-3, "the counts change the preferences");
    }

    @Test
    void countsCarryFromTrialToTrial() {
        GenerativeModel model = learnTmaze();
        GenerativeModel[] models = {model, model, model};
        TrialFixture[] fixtures = {
            fixture("tmaze-ai-learn-2trials", 0),
            fixture("tmaze-ai-learn-2trials", 1),
            fixture("tmaze-ai-learn-2trials", 0)
        };
        TrialTrace[] traces =
                new TrialRunner(model, SolverOptions.spm()).runSequence(models, fixtures, new SplitMixSource(1));
        for (int i = 1; i < 3; i++) {
            GenerativeModel carried = traces[i - 1].learned.applyTo(model);
            TrialTrace alone =
                    new TrialRunner(carried, SolverOptions.spm()).run(carried, fixtures[i], new SplitMixSource(1));
            assertArrayEquals(
                    alone.learned.transitionCounts()[0], traces[i].learned.transitionCounts()[0], 0);
            assertArrayEquals(alone.learned.policyCounts(), traces[i].learned.policyCounts(), 0);
            assertArrayEquals(alone.xn[0], traces[i].xn[0], 0);
        }
        assertNotEquals(traces[0].learned.policyCounts()[3], traces[2].learned.policyCounts()[3]);
    }

    /** spm_KL_dir's formula for a matrix of columns of length rows (not vectors), written out. */
    private static double kl(double[] q, double[] p, int rows) {
        double total = 0;
        for (int off = 0; off < q.length; off += rows) {
            double sq = 0;
            double sp = 0;
            double lq = 0;
            double lp = 0;
            double sq32 = 0;
            for (int i = 0; i < rows; i++) {
                if (q[off + i] != 0) {
                    sq += q[off + i];
                    lq += SpecialFunctions.logGamma(q[off + i]);
                }
                if (p[off + i] != 0) {
                    sp += p[off + i];
                    lp += SpecialFunctions.logGamma(p[off + i]);
                }
                sq32 += q[off + i] + 1.0 / 32;
            }
            double psi = 0;
            for (int i = 0; i < rows; i++) {
                psi += (p[off + i] - q[off + i])
                        * (SpecialFunctions.digamma(q[off + i] + 1.0 / 32) - SpecialFunctions.digamma(sq32));
            }
            total += (lp - SpecialFunctions.logGamma(sp)) - (lq - SpecialFunctions.logGamma(sq)) - psi;
        }
        return total;
    }
}
