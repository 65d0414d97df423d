package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuroflux.math.SpmMath;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;

/**
 * Precision and dopamine in continuous time (docs/algorithm.md sections 8.2 and 8.3): the precision
 * flow against SPM's discrete update, and traces sampled at 256 Hz and 1024 Hz as a continuous
 * session samples them (Ni' samples per epoch, tau' = tau Ni'/Ni), compared at common model times.
 */
class ContinuousPrecisionTest {
    private final SpmImport tmaze = ReferenceCases.load("tmaze-ai-onpolicy");
    private final GenerativeModel model = tmaze.models().get(0);
    private final TrialFixture fixture = tmaze.fixtures().get(0);

    /** The T-maze's first-epoch policy scores, from SPM's own trace: realistic F and Q. */
    private PrecisionFlow firstEpochFlow(double kappa) {
        TrialTrace discrete = new TrialRunner(model, SolverOptions.spm()).run(model, fixture, new SplitMixSource(1));
        int np = discrete.policies;
        int[] plausible = new int[np];
        for (int k = 0; k < np; k++) plausible[k] = k;
        double[] lnE = new double[np];
        double[] f = java.util.Arrays.copyOf(discrete.F, np);
        double[] q = java.util.Arrays.copyOf(discrete.G, np);
        PrecisionFlow flow = new PrecisionFlow(np);
        flow.bind(plausible, np, lnE, f, q, model.parameters().beta(), kappa);
        return flow;
    }

    /** SPM's update written out on its own: qb - (qb - beta + (qu - pu)'Q) / step. */
    private static double discreteStep(double qb, double[] f, double[] q, double beta, double step) {
        int n = f.length;
        double[] logits = new double[n];
        double[] qu = new double[n];
        double[] pu = new double[n];
        for (int k = 0; k < n; k++) logits[k] = q[k] / qb + f[k];
        SpmMath.softmax(logits, 0, qu, 0, n);
        for (int k = 0; k < n; k++) logits[k] = q[k] / qb;
        SpmMath.softmax(logits, 0, pu, 0, n);
        double eg = 0;
        for (int k = 0; k < n; k++) eg += (qu[k] - pu[k]) * q[k];
        return qb - (qb - beta + eg) / step;
    }

    @ParameterizedTest(name = "precision step /{0}")
    @ValueSource(strings = {"2", "tau"})
    void discreteUpdateIsAnEulerStepOfTheFlowWithTheSameFixedPoint(String stepName) {
        double tau = model.parameters().tau();
        double beta = model.parameters().beta();
        boolean overTau = stepName.equals("tau");
        double step = overTau ? tau : 2;
        double kappa = overTau ? 1 : tau / 2; // docs/algorithm.md section 8.2
        PrecisionFlow flow = firstEpochFlow(kappa);
        TrialTrace discrete = new TrialRunner(model, SolverOptions.spm()).run(model, fixture, new SplitMixSource(1));
        int np = discrete.policies;
        double[] f = java.util.Arrays.copyOf(discrete.F, np);
        double[] q = java.util.Arrays.copyOf(discrete.G, np);
        double[] y = {beta};
        double[] dydt = new double[1];
        // one discrete iteration is one Euler step of 1/tau model time
        for (double qb : new double[] {beta, 0.5 * beta, 2 * beta}) {
            y[0] = qb;
            flow.derivative(0, y, dydt);
            assertEquals(discreteStep(qb, f, q, beta, step), qb + dydt[0] / tau, 1e-14 * qb);
        }
        // the discrete iteration's limit is the flow's rest point, and the flow's long-time state is it too
        double iterated = beta;
        for (int i = 0; i < 20_000; i++) iterated = discreteStep(iterated, f, q, beta, step);
        assertEquals(iterated, discreteStep(iterated, f, q, beta, step), 1e-15, "the discrete update has converged");
        y[0] = iterated;
        flow.derivative(0, y, dydt);
        assertEquals(0, dydt[0], 1e-12, "dqb/dt vanishes at the discrete update's fixed point");
        y[0] = beta;
        new DormandPrinceIntegrator(flow, 1, 1e-13, 1e-13).integrate(0, y, 200);
        assertEquals(iterated, y[0], 1e-11, "the flow comes to rest at the discrete update's fixed point");
        assertTrue(Math.abs(iterated - beta) > 1e-3, "the fixed point differs from the prior rate: eg is not 0");
    }

    /** A continuous session's solver at a sampling rate: Ni' samples of the Ni = 16 epoch, tau' = tau Ni'/16. */
    private TrialTrace sampled(double rateHz, IntegrationMode mode) {
        int samples = (int) Math.round(16 / 64.0 * rateHz);
        double perIteration = samples / 16.0;
        GenerativeModel scaled = model.withParameters(
                model.parameters().withTau(model.parameters().tau() * perIteration));
        SolverOptions options = SolverOptions.spm()
                .withIterations(samples)
                .withIntegration(mode)
                .withSamplesPerIteration(perIteration);
        return new TrialRunner(scaled, options).run(scaled, fixture, new SplitMixSource(1));
    }

    /**
     * Largest difference of wn (which = 0) or dn (which = 1) between two traces at the model times
     * the coarser one samples: sample i of the coarse trace is sample (i + 1) r - 1 of the fine one.
     */
    private static double atCommonTimes(TrialTrace coarse, TrialTrace fine, int which) {
        int r = fine.iterations / coarse.iterations;
        double[] a = which == 0 ? coarse.wn : coarse.dn;
        double[] b = which == 0 ? fine.wn : fine.dn;
        double worst = 0;
        for (int n = 0; n < a.length; n++) worst = Math.max(worst, Math.abs(a[n] - b[(n + 1) * r - 1]));
        return worst;
    }

    @Test
    void precisionAndDopamineAreTheSameFunctionOfModelTimeAt256And1024Hz() {
        IntegrationMode tight = IntegrationMode.adaptive(1e-11, 1e-11);
        TrialTrace slow = sampled(256, tight);
        TrialTrace fast = sampled(1024, tight);
        assertEquals(64, slow.iterations);
        assertEquals(256, fast.iterations);
        double precision = atCommonTimes(slow, fast, 0);
        double dopamine = atCommonTimes(slow, fast, 1);
        System.out.printf("256 vs 1024 Hz at common times: wn %.3e, dn %.3e%n", precision, dopamine);
        assertTrue(precision < 1e-8, "precision differs by " + precision);
        assertTrue(dopamine < 1e-7, "dopamine differs by " + dopamine);
        // and the trace is not trivially flat: precision moves within epochs, so dopamine has a phasic part
        double swing = 0;
        for (double d : fast.dn) swing = Math.max(swing, Math.abs(d - fast.wn[0] / 8));
        assertTrue(swing > 0.05, "largest phasic dopamine " + swing);
    }

    @Test
    void rk4TracesConvergeAtFourthOrderToOneFunctionOfModelTime() {
        // references: the tightest adaptive runs; errors are taken at the 256 Hz sample times, the 256 Hz
        // traces against the 1024 Hz reference and the 1024 Hz traces against the 256 Hz one, so both
        // rates converge to one function of model time
        TrialTrace reference = sampled(1024, IntegrationMode.adaptive(1e-13, 1e-13));
        TrialTrace slowReference = sampled(256, IntegrationMode.adaptive(1e-13, 1e-13));
        double[][] precision = new double[2][3];
        double[][] dopamine = new double[2][3];
        double[] rates = {256, 1024};
        for (int r = 0; r < 2; r++) {
            for (int level = 0; level < 3; level++) {
                // steps of 1, 1/2, 1/4 samples: model-time steps h, h/2, h/4 with h = 1/tau'
                TrialTrace trace = sampled(rates[r], IntegrationMode.fixedRk4(1.0 / (1 << level)));
                // errors at the 256 Hz times: every sample of the 256 Hz trace, every 4th of the 1024 Hz one
                precision[r][level] =
                        r == 0 ? atCommonTimes(trace, reference, 0) : atCommonTimes(slowReference, trace, 0);
                dopamine[r][level] =
                        r == 0 ? atCommonTimes(trace, reference, 1) : atCommonTimes(slowReference, trace, 1);
            }
            System.out.printf(
                    "%.0f Hz RK4, steps of 1, 1/2, 1/4 samples: wn errors %.3e %.3e %.3e (ratios %.2f %.2f), "
                            + "dn errors %.3e %.3e %.3e (ratios %.2f %.2f)%n",
                    rates[r],
                    precision[r][0],
                    precision[r][1],
                    precision[r][2],
                    precision[r][0] / precision[r][1],
                    precision[r][1] / precision[r][2],
                    dopamine[r][0],
                    dopamine[r][1],
                    dopamine[r][2],
                    dopamine[r][0] / dopamine[r][1],
                    dopamine[r][1] / dopamine[r][2]);
            for (int level = 0; level < 2; level++) {
                double wRatio = precision[r][level] / precision[r][level + 1];
                double dRatio = dopamine[r][level] / dopamine[r][level + 1];
                assertTrue(wRatio > 12 && wRatio < 20, rates[r] + " Hz: precision error ratio " + wRatio);
                assertTrue(dRatio > 12 && dRatio < 20, rates[r] + " Hz: dopamine error ratio " + dRatio);
            }
        }
        // the step in model time, not the sampling rate, sets the error: a quarter-sample step at 256 Hz
        // is a one-sample step at 1024 Hz
        assertEquals(1, precision[0][2] / precision[1][0], 0.25, "same model-time step, same precision error");
        assertEquals(1, dopamine[0][2] / dopamine[1][0], 0.25, "same model-time step, same dopamine error");
    }
}
