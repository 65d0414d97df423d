package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;

/** The solver in continuous mode: whole trials through {@link TrialRunner}, and the options API. */
class ContinuousSolverTest {
    private final SpmImport tmaze = ReferenceCases.load("tmaze-ai-onpolicy");
    private final GenerativeModel model = tmaze.models().get(0);
    private final TrialFixture fixture = tmaze.fixtures().get(0);

    private TrialTrace run(SolverOptions options) {
        return new TrialRunner(model, options).run(model, fixture, new SplitMixSource(1));
    }

    @Test
    void continuousTrialKeepsTheOutputShapesAndSamplesBeliefsOnTheSimplex() {
        TrialTrace trace = run(SolverOptions.spm().withIntegration(IntegrationMode.adaptive()));
        int ni = trace.iterations;
        int T = trace.epochs;
        assertEquals(16, ni);
        for (int f = 0; f < trace.states.length; f++) {
            int ns = trace.states[f];
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < T; j++) {
                    for (int i = 0; i < ni; i++) {
                        double rate = 0;
                        double current = 0;
                        for (int s = 0; s < ns; s++) {
                            int idx = i + ni * (s + ns * (j + T * t));
                            assertTrue(trace.xn[f][idx] >= 0 && trace.xn[f][idx] <= 1 + 1e-12);
                            rate += trace.xn[f][idx];
                            current += trace.vn[f][idx];
                        }
                        assertEquals(1, rate, 1e-9, "rates of factor " + f + " epoch " + t + " time point " + j);
                        assertEquals(0, current, 1e-9, "vn is mean-subtracted");
                    }
                }
            }
        }
        for (int t = 0; t < T; t++) {
            double posterior = 0;
            for (int k = 0; k < trace.policies; k++) {
                posterior += trace.R[k + trace.policies * t];
                assertTrue(Double.isFinite(trace.F[k + trace.policies * t]));
            }
            assertEquals(1, posterior, 1e-12);
            assertTrue(Double.isFinite(trace.H[t]) && trace.w[t] > 0);
        }
    }

    @Test
    void fixedStepAndAdaptiveIntegrationAgree() {
        TrialTrace adaptive = run(SolverOptions.spm().withIntegration(IntegrationMode.adaptive(1e-10, 1e-10)));
        TrialTrace rk4 = run(SolverOptions.spm().withIntegration(IntegrationMode.fixedRk4(0.125)));
        double worst = 0;
        for (int f = 0; f < adaptive.xn.length; f++) {
            for (int i = 0; i < adaptive.xn[f].length; i++)
                worst = Math.max(worst, Math.abs(adaptive.xn[f][i] - rk4.xn[f][i]));
        }
        assertTrue(worst < 1e-6, "max rate difference " + worst);
        for (int i = 0; i < adaptive.F.length; i++) assertEquals(adaptive.F[i], rk4.F[i], 1e-6);
    }

    @Test
    void continuousModeDiffersFromTheSweepButTheSchemeSwitchDoesNot() {
        SolverOptions continuous = SolverOptions.spm().withIntegration(IntegrationMode.adaptive());
        TrialTrace ai = run(continuous);
        TrialTrace ng =
                run(continuous.withScheme(Scheme.NATURAL_GRADIENT).withGate(ConvergenceGate.FREEZE_AFTER_CONVERGENCE));
        TrialTrace discrete = run(SolverOptions.spm());
        assertEquals(0, maxDifference(ai.xn, ng.xn), "scheme and gate do not act in continuous time");
        assertTrue(maxDifference(ai.xn, discrete.xn) > 1e-3, "tau = 4 is far from the continuum limit");
    }

    private static double maxDifference(double[][] a, double[][] b) {
        double worst = 0;
        for (int f = 0; f < a.length; f++) {
            for (int i = 0; i < a[f].length; i++) worst = Math.max(worst, Math.abs(a[f][i] - b[f][i]));
        }
        return worst;
    }

    @Test
    void optionsDefaultToTheDiscreteSweep() {
        assertSame(IntegrationMode.discrete(), SolverOptions.spm().integration());
        assertSame(IntegrationMode.discrete(), SolverOptions.nat3().integration());
        SolverOptions legacy = new SolverOptions(Scheme.ACTIVE_INFERENCE, 16, ConvergenceGate.SPM, false, false);
        assertEquals(SolverOptions.spm(), legacy);
        assertFalse(legacy.integration().continuous());
    }

    @Test
    void withIntegrationKeepsEveryOtherSwitch() {
        SolverOptions options = SolverOptions.nat3().withIntegration(IntegrationMode.fixedRk4(0.25));
        assertEquals(SolverOptions.nat3().withIntegration(IntegrationMode.discrete()), SolverOptions.nat3());
        assertEquals(Scheme.NATURAL_GRADIENT, options.scheme());
        assertEquals(512, options.iterations());
        assertTrue(options.precisionStepOverTau() && options.precisionForMovingPolicies());
        assertEquals(IntegrationMode.Method.FIXED_RK4, options.integration().method());
        assertEquals(4, options.integration().stepsPerIteration());
        assertEquals(3, IntegrationMode.fixedRk4(0.4).stepsPerIteration());
    }

    @Test
    void integrationModeRejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> IntegrationMode.fixedRk4(0));
        assertThrows(IllegalArgumentException.class, () -> IntegrationMode.fixedRk4(1.5));
        assertThrows(IllegalArgumentException.class, () -> IntegrationMode.fixedRk4(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> IntegrationMode.adaptive(0, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> IntegrationMode.adaptive(1e-8, Double.POSITIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> SolverOptions.spm().withIntegration(null));
    }
}
