package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;

/**
 * The Euclidean scheme: the simplex projection and tangent-cone projection in closed-form cases
 * and by their defining optimality, the discrete step's closed form and fixed points, and the
 * projected flow (stays on the simplex, shares the interior fixed point with the natural flow).
 */
class EuclideanSchemeTest {

    private static double[] projected(double... v) {
        double[] out = v.clone();
        SimplexProjection.project(out, 0, out.length, new double[out.length]);
        return out;
    }

    @Test
    void projectionOfClosedFormCases() {
        assertArrayEquals(new double[] {0.35, 0.65}, projected(0.5, 0.8), 1e-15);
        assertArrayEquals(new double[] {1, 0, 0}, projected(2, 0, 0), 0);
        assertArrayEquals(new double[] {0, 0, 1}, projected(-1, 0.5, 2), 0);
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, projected(0.1, 0.1, 0.1), 1e-15);
        assertArrayEquals(new double[] {0.25, 0.75}, projected(0.25, 0.75), 0); // on the simplex: unchanged
        assertArrayEquals(new double[] {0.5, 0.5, 0}, projected(3, 3, 1), 0);
    }

    @Test
    void projectionIsTheNearestPointOfTheSimplex() {
        Random random = new Random(11);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + random.nextInt(trial % 10 == 0 ? 60 : 6); // beyond 32 the sort is a heapsort
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = 3 * random.nextGaussian();
            double[] p = projected(v);
            double sum = 0;
            for (double x : p) {
                assertTrue(x >= 0);
                sum += x;
            }
            assertEquals(1, sum, 1e-12);
            assertArrayEquals(p, projected(p), 1e-14, "idempotent");
            double best = distance(v, p);
            for (int k = 0; k < 20; k++) {
                double[] q = new double[n];
                double total = 0;
                for (int i = 0; i < n; i++) total += q[i] = random.nextDouble() < 0.3 ? 0 : random.nextDouble();
                if (total == 0) continue;
                for (int i = 0; i < n; i++) q[i] /= total;
                assertTrue(best <= distance(v, q) + 1e-12, "a point of the simplex nearer than the projection");
            }
        }
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(s);
    }

    @Test
    void sortIsAscendingForShortAndLongArrays() {
        Random random = new Random(3);
        for (int n : new int[] {0, 1, 2, 31, 32, 33, 100}) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) a[i] = random.nextGaussian();
            double[] expected = a.clone();
            java.util.Arrays.sort(expected);
            SimplexProjection.sortAscending(a, n);
            assertArrayEquals(expected, a, 0);
        }
    }

    private static double[] cone(double[] s, double[] g) {
        double[] out = new double[s.length];
        SimplexProjection.tangentCone(s, 0, g, 0, out, s.length, new double[s.length]);
        return out;
    }

    @Test
    void tangentConeOfClosedFormCases() {
        // interior: the centred gradient
        assertArrayEquals(new double[] {1, -1, 0}, cone(new double[] {0.2, 0.3, 0.5}, new double[] {2, 0, 1}), 1e-15);
        // a face: pushing outward is stopped, the rest is centred over the free components
        assertArrayEquals(
                new double[] {0, 0.5, -0.5}, cone(new double[] {0, 0.5, 0.5}, new double[] {-1, 1, 0}), 1e-15);
        // a face: pushing inward strongly enough, the boundary component joins
        assertArrayEquals(new double[] {2, -1, -1}, cone(new double[] {0, 0.5, 0.5}, new double[] {3, 0, 0}), 1e-15);
        // a vertex: only components whose gradient beats the mean of the moving set move
        assertArrayEquals(new double[] {-1.5, 1.5, 0}, cone(new double[] {1, 0, 0}, new double[] {0, 3, -5}), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> cone(new double[] {0, 0}, new double[] {1, 2}));
    }

    @Test
    void tangentConeVelocityIsFeasibleAndNearest() {
        Random random = new Random(5);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 2 + random.nextInt(6);
            double[] s = new double[n];
            for (int i = 0; i < n; i++) s[i] = random.nextDouble() < 0.4 ? 0 : random.nextDouble();
            s[random.nextInt(n)] = 0.5;
            double[] g = new double[n];
            for (int i = 0; i < n; i++) g[i] = 2 * random.nextGaussian();
            double[] v = cone(s, g);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += v[i];
                if (s[i] == 0) assertTrue(v[i] >= 0, "boundary component moves outward");
            }
            assertEquals(0, sum, 1e-12);
            // optimality: no feasible direction w (sum 0, w_i >= 0 on the boundary) is nearer to g
            double best = distance(g, v);
            for (int k = 0; k < 20; k++) {
                double[] w = new double[n];
                double mean = 0;
                for (int i = 0; i < n; i++) mean += w[i] = v[i] + 0.3 * random.nextGaussian();
                mean /= n;
                boolean feasible = true;
                for (int i = 0; i < n; i++) {
                    w[i] -= mean;
                    feasible &= s[i] > 0 || w[i] >= 0;
                }
                if (feasible) assertTrue(best <= distance(g, w) + 1e-12);
            }
        }
    }

    @Test
    void discreteStepInClosedForm() {
        double[] s = {0.5, 0.5};
        double[] eps = {1, -1};
        BeliefStep.apply(Scheme.EUCLIDEAN, s, new double[2], eps, 2, 4);
        assertArrayEquals(new double[] {0.75, 0.25}, s, 0);
        assertArrayEquals(new double[] {1, -1}, eps, 0, "the centred error is left in eps");
        // a long step leaves the simplex and lands on its vertex (renormalisation could not)
        s = new double[] {0.5, 0.5};
        eps = new double[] {5, -3};
        BeliefStep.apply(Scheme.EUCLIDEAN, s, new double[2], eps, 2, 1);
        assertArrayEquals(new double[] {1, 0}, s, 0);
        assertArrayEquals(new double[] {4, -4}, eps, 0);
        // three states, one hits the face: (0.2, 0.3, 0.5) + (-0.5, 0.1, 0.4) -> (-0.3, 0.4, 0.9) -> (0, 0.25, 0.75)
        s = new double[] {0.2, 0.3, 0.5};
        eps = new double[] {-0.5 + 7, 0.1 + 7, 0.4 + 7};
        BeliefStep.apply(Scheme.EUCLIDEAN, s, new double[3], eps, 3, 1);
        assertArrayEquals(new double[] {0, 0.25, 0.75}, s, 1e-15);
    }

    @Test
    void aConstantErrorIsAFixedPointOfTheStep() {
        double[] s = {0.1, 0.2, 0.3, 0.4};
        double[] eps = {-2.5, -2.5, -2.5, -2.5};
        BeliefStep.apply(Scheme.EUCLIDEAN, s, new double[4], eps, 4, 4);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4}, s, 1e-16); // the projection rounds once
        assertArrayEquals(new double[4], eps, 0);
    }

    @Test
    void euclideanTrialsKeepEveryIterateOnTheSimplexAndReplayExactly() {
        SpmImport tmaze = ReferenceCases.load("tmaze-ai-2trials");
        GenerativeModel model = tmaze.models().get(0);
        TrialFixture fixture = tmaze.fixtures().get(0);
        for (IntegrationMode mode : new IntegrationMode[] {
            IntegrationMode.discrete(), IntegrationMode.fixedRk4(0.25), IntegrationMode.fixedRk4(1)
        }) {
            SolverOptions options =
                    SolverOptions.spm().withScheme(Scheme.EUCLIDEAN).withIntegration(mode);
            TrialTrace a = new TrialRunner(model, options).run(model, fixture, new SplitMixSource(4));
            TrialTrace b = new TrialRunner(model, options).run(model, fixture, new SplitMixSource(4));
            for (int f = 0; f < a.xn.length; f++) {
                assertArrayEquals(a.xn[f], b.xn[f], 0, "same seed, same trace");
                int ns = a.states[f];
                int ni = a.iterations;
                for (int t = 0; t < a.epochs; t++) {
                    for (int j = 0; j < a.epochs; j++) {
                        if (!InformationLength.computed(a.xn[f], ni, ns, a.epochs, j, t)) continue;
                        for (int i = 0; i < ni; i++) {
                            double sum = 0;
                            for (int st = 0; st < ns; st++) {
                                double p = a.xn[f][i + ni * (st + ns * (j + a.epochs * t))];
                                assertTrue(p >= 0 && p <= 1 + 1e-12, mode.method() + ": belief " + p);
                                sum += p;
                            }
                            assertEquals(1, sum, 1e-9, mode.method() + ": iterate off the simplex");
                        }
                    }
                }
            }
        }
    }

    @Test
    void adaptiveIntegrationOfTheEuclideanFlowIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SolverOptions.spm().withScheme(Scheme.EUCLIDEAN).withIntegration(IntegrationMode.adaptive()));
        assertTrue(e.getMessage().contains("projected RK4"), e.getMessage());
    }

    /**
     * Both flows stop where eps - mean(eps) = 0: where the replicator flow of one policy has come
     * to rest in the interior, the projected Euclidean flow's velocity vanishes too. (A fixed step
     * does not keep the Euclidean flow there: this rest point has a belief near 2e-5, where the
     * flow's stiffness 1/s is far beyond RK4's stability limit; docs/algorithm.md section 5.5.)
     */
    @Test
    void theNaturalFlowsInteriorFixedPointIsAFixedPointOfTheProjectedFlow() {
        SpmImport oddball = ReferenceCases.load("oddball-ai");
        GenerativeModel model = oddball.models().get(0);
        AgentModel m = new AgentModel(model);
        PredictionError error = new PredictionError(
                m, ReferenceCases.likelihoods(m, oddball.fixtures().get(0)));
        int T = m.epochs;
        int n = m.ns[0];
        int[] controls = new int[(T - 1) * m.nf];
        for (int j = 0; j < T - 1; j++) {
            for (int f = 0; f < m.nf; f++) controls[j * m.nf + f] = model.policyControl(0, j, f);
        }
        int ni = 512;
        ContinuousEpoch natural =
                new ContinuousEpoch(m, error, IntegrationMode.fixedRk4(0.25), ni, Scheme.ACTIVE_INFERENCE);
        double[][] x = {new double[T * n]};
        java.util.Arrays.fill(x[0], 1.0 / n);
        double[][] xn = {new double[ni * n * T]};
        double[][] vn = {new double[ni * n * T]};
        natural.run(x, xn, vn, controls, 0, T - 1, T, T, 4);
        double rest = 0;
        for (int j = 0; j < T; j++)
            for (int s = 0; s < n; s++) rest = Math.max(rest, Math.abs(vn[0][ni - 1 + ni * (s + n * j)]));
        assertTrue(rest < 1e-6, "the natural flow has not come to rest: |eps - mean| = " + rest);
        for (double p : x[0]) assertTrue(p > 0, "fixed point is interior");
        BeliefFlow euclidean = new BeliefFlow(m, error, Scheme.EUCLIDEAN);
        euclidean.bind(controls, 0, T - 1, T, T);
        double[] y = new double[euclidean.dimension()];
        for (int j = 0; j < T; j++) System.arraycopy(x[0], j * n, y, euclidean.offset(j, 0), n);
        double[] dydt = new double[y.length];
        euclidean.derivative(0, y, dydt);
        double tolerance = 4 * rest; // the velocity is the centred error here: as small as the natural flow's
        for (double v : dydt) assertEquals(0, v, tolerance);
    }
}
