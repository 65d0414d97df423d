package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.neuroflux.math.SpmMath;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.spm.SpmImport;

/**
 * The flow's field is the discrete sweep's prediction error, evaluated Jacobi style; per step the
 * two discrete schemes agree with each other and with the flow to O(1/tau^2); beliefs stay on the
 * simplex; integrating an epoch allocates nothing.
 */
class BeliefFlowTest {
    private final GenerativeModel model;
    private final AgentModel m;
    private final PredictionError error;
    private final BeliefFlow flow;
    private final int[] controls;
    private final int last; // last epoch: every time point has its likelihood
    private final double[][] beliefs; // beliefs[f][j * Ns + s], a seeded random state
    private final double[] y;

    BeliefFlowTest() {
        SpmImport oddball = ReferenceCases.load("oddball-ai");
        model = oddball.models().get(0);
        TrialFixture fixture = oddball.fixtures().get(0);
        m = new AgentModel(model);
        error = new PredictionError(m, ReferenceCases.likelihoods(m, fixture));
        flow = new BeliefFlow(m, error);
        int T = m.epochs;
        controls = new int[(T - 1) * m.nf];
        for (int j = 0; j < T - 1; j++) {
            for (int f = 0; f < m.nf; f++) controls[j * m.nf + f] = model.policyControl(0, j, f);
        }
        last = T - 1;
        flow.bind(controls, 0, last, T, T);
        Random random = new Random(345);
        beliefs = new double[m.nf][];
        y = new double[flow.dimension()];
        for (int f = 0; f < m.nf; f++) {
            int n = m.ns[f];
            beliefs[f] = new double[T * n];
            for (int j = 0; j < T; j++) {
                double sum = 0;
                for (int s = 0; s < n; s++) sum += beliefs[f][j * n + s] = 0.2 + random.nextDouble();
                for (int s = 0; s < n; s++) {
                    beliefs[f][j * n + s] /= sum;
                    y[flow.offset(j, f) + s] = Math.log(beliefs[f][j * n + s]);
                }
            }
        }
    }

    @Test
    void fieldIsTheCentredPredictionErrorOfEveryMarginalAtOneState() {
        double[] dydt = new double[y.length];
        flow.derivative(0, y, dydt);
        double[] lnS = new double[8];
        double[] eps = new double[8];
        double freeEnergy = 0;
        for (int j = 0; j < m.epochs; j++) {
            for (int f = 0; f < m.nf; f++) {
                int n = m.ns[f];
                error.compute(beliefs, 0, controls, 0, last, j, f, m.epochs, lnS, eps);
                freeEnergy += SpmMath.dot(beliefs[f], j * n, eps, 0, n) / m.nf;
                double mean = SpmMath.sum(eps, 0, n) / n;
                for (int s = 0; s < n; s++)
                    assertEquals(eps[s] - mean, dydt[flow.offset(j, f) + s], 1e-12, "j " + j + " s " + s);
            }
        }
        assertEquals(freeEnergy, flow.freeEnergy(), 1e-12);
    }

    @Test
    void activeInferenceStepIsAnEulerStepOfTheFlow() {
        double[] dydt = new double[y.length];
        flow.derivative(0, y, dydt);
        double tau = 8;
        int j = 1;
        int n = m.ns[0];
        double[] s = new double[n];
        double[] lnS = new double[n];
        double[] eps = new double[n];
        System.arraycopy(beliefs[0], j * n, s, 0, n);
        error.compute(beliefs, 0, controls, 0, last, j, 0, m.epochs, lnS, eps);
        BeliefStep.apply(Scheme.ACTIVE_INFERENCE, s, lnS, eps, n, tau);
        double[] euler = new double[n];
        for (int i = 0; i < n; i++) euler[i] = y[flow.offset(j, 0) + i] + dydt[flow.offset(j, 0) + i] / tau;
        SpmMath.softmax(euler, 0, euler, 0, n);
        for (int i = 0; i < n; i++) assertEquals(s[i], euler[i], 1e-14);
    }

    /**
     * Max difference after one step of 1/tau from the state, for marginal (j, 0) in epoch t: AI vs NG,
     * AI vs flow, NG vs flow.
     */
    private double[] oneStepDifferences(double tau, int epoch, int j) {
        int n = m.ns[0];
        double[] lnS = new double[n];
        double[] eps = new double[n];
        double[] ai = new double[n];
        double[] ng = new double[n];
        error.compute(beliefs, 0, controls, 0, epoch, j, 0, m.epochs, lnS, eps);
        System.arraycopy(beliefs[0], j * n, ai, 0, n);
        BeliefStep.apply(Scheme.ACTIVE_INFERENCE, ai, lnS, eps.clone(), n, tau);
        System.arraycopy(beliefs[0], j * n, ng, 0, n);
        BeliefStep.apply(Scheme.NATURAL_GRADIENT, ng, lnS, eps.clone(), n, tau);
        // the exact flow of this one marginal, the others held where they are (as in one sweep update)
        double[][] state = {beliefs[0].clone()};
        VectorField marginal = (time, v, dvdt) -> {
            SpmMath.softmax(v, 0, state[0], j * n, n);
            double[] e = new double[n];
            error.compute(state, 0, controls, 0, epoch, j, 0, m.epochs, new double[n], e);
            double mean = SpmMath.sum(e, 0, n) / n;
            for (int s = 0; s < n; s++) dvdt[s] = e[s] - mean;
        };
        double[] v = new double[n];
        for (int s = 0; s < n; s++) v[s] = Math.log(beliefs[0][j * n + s]);
        new DormandPrinceIntegrator(marginal, n, 1e-14, 1e-14).integrate(0, v, 1 / tau);
        double[] exact = new double[n];
        SpmMath.softmax(v, 0, exact, 0, n);
        double[] d = new double[3];
        for (int s = 0; s < n; s++) {
            d[0] = Math.max(d[0], Math.abs(ai[s] - ng[s]));
            d[1] = Math.max(d[1], Math.abs(ai[s] - exact[s]));
            d[2] = Math.max(d[2], Math.abs(ng[s] - exact[s]));
        }
        return d;
    }

    @Test
    void oneStepOfEitherSchemeDiffersFromTheOtherAndFromTheFlowAtSecondOrder() {
        // every marginal, with and without likelihoods, once eps/tau is small (|eps| reaches 6 here)
        for (int t : new int[] {0, last}) {
            for (int j = 0; j < m.epochs; j++) assertSecondOrder(t, j, 32);
        }
        // a marginal with |eps| < 2 is in the asymptotic regime from tau = 8
        assertSecondOrder(last, 3, 8);
    }

    private void assertSecondOrder(int t, int j, int firstTau) {
        String[] names = {"AI vs NG", "AI vs flow", "NG vs flow"};
        double[] previous = oneStepDifferences(firstTau, t, j);
        for (int tau = 2 * firstTau; tau <= 8 * firstTau; tau *= 2) {
            double[] d = oneStepDifferences(tau, t, j);
            for (int c = 0; c < 3; c++) {
                double ratio = previous[c] / d[c];
                assertTrue(
                        ratio > 3.2 && ratio < 4.8,
                        names[c] + " (t " + t + ", j " + j + ") at tau " + tau + ": ratio " + ratio);
            }
            previous = d;
        }
    }

    @Test
    void beliefsStayOnTheSimplexUnderACoarseStep() {
        Rk4Stepper rk4 = new Rk4Stepper(flow, flow.dimension(), 0.5);
        double[] v = y.clone();
        double[] dvdt = new double[v.length];
        for (int i = 0; i < 100; i++) {
            rk4.integrate(i * 0.1, v, (i + 1) * 0.1);
            flow.derivative((i + 1) * 0.1, v, dvdt);
            for (int j = 0; j < m.epochs; j++) {
                for (int f = 0; f < m.nf; f++) {
                    double sum = 0;
                    for (int s = 0; s < m.ns[f]; s++) {
                        double p = flow.belief(j, f, s);
                        assertTrue(p >= 0 && p <= 1, "belief " + p);
                        sum += p;
                    }
                    assertEquals(1, sum, 1e-12);
                }
            }
        }
    }

    @Test
    void integratingAnEpochAllocatesNothingInSteadyState() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counter not available");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        for (IntegrationMode mode :
                new IntegrationMode[] {IntegrationMode.adaptive(), IntegrationMode.fixedRk4(0.25)}) {
            int ni = 16;
            ContinuousEpoch epoch = new ContinuousEpoch(m, error, mode, ni);
            int T = m.epochs;
            double[][] x = {beliefs[0].clone()};
            double[][] xn = {new double[ni * m.ns[0] * T]};
            double[][] vn = {new double[ni * m.ns[0] * T]};
            for (int r = 0; r < 1000; r++) epoch.run(x, xn, vn, controls, 0, last, T, T, 4);
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int r = 0; r < 1000; r++) epoch.run(x, xn, vn, controls, 0, last, T, T, 4);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 2048, () -> mode + ": allocated " + allocated + " bytes in 1000 epochs");
        }
    }
}
