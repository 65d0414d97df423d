package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DormandPrinceIntegratorTest extends OdeIntegratorContractTest {

    @Override
    OdeIntegrator accurate(VectorField field, int dimension) {
        return new DormandPrinceIntegrator(field, dimension, 1e-10, 1e-10);
    }

    @Override
    double largestStep() {
        return 0.25;
    }

    private static double decayErrorWithFixedStep(double h) {
        DormandPrinceIntegrator dp = new DormandPrinceIntegrator(OdeIntegratorContractTest::decay, 3, 1, 1);
        double[] y = {1, 1, 1};
        int steps = (int) Math.round(2 / h);
        for (int i = 0; i < steps; i++) dp.step(i * h, y, h);
        double e = 0;
        for (int i = 0; i < 3; i++) e = Math.max(e, Math.abs(y[i] - Math.exp(-RATES[i] * 2)));
        return e;
    }

    private static double decayErrorWithTolerance(double tol, DormandPrinceIntegrator[] out) {
        DormandPrinceIntegrator dp = new DormandPrinceIntegrator(OdeIntegratorContractTest::decay, 3, tol, tol);
        out[0] = dp;
        double[] y = {1, 1, 1};
        dp.integrate(0, y, 5);
        double e = 0;
        for (int i = 0; i < 3; i++) e = Math.max(e, Math.abs(y[i] - Math.exp(-RATES[i] * 5)));
        return e;
    }

    @Test
    void fixedStepsConvergeAtFifthOrder() {
        // on the oscillator the O(h^6) phase error dominates at these steps, so the decay is the clean test
        double previous = decayErrorWithFixedStep(0.1);
        for (double h = 0.05; h >= 0.025; h /= 2) {
            double e = decayErrorWithFixedStep(h);
            double ratio = previous / e;
            assertTrue(ratio > 32 / 1.5 && ratio < 32 * 1.5, "h = " + h + ": error ratio " + ratio);
            previous = e;
        }
    }

    @Test
    void embeddedErrorEstimateShrinksAtFifthPowerOfTheStep() {
        // the estimate is the local error of the 4th-order solution: O(h^5)
        double[] estimates = new double[3];
        for (int i = 0; i < 3; i++) {
            DormandPrinceIntegrator dp = new DormandPrinceIntegrator(oscillator(1), 2, 1, 0);
            estimates[i] = dp.step(0, new double[] {1, 0}, 0.4 / (1 << i));
        }
        for (int i = 1; i < 3; i++) {
            double ratio = estimates[i - 1] / estimates[i];
            assertTrue(ratio > 32 / 1.5 && ratio < 32 * 1.5, "estimate ratio " + ratio);
        }
    }

    @Test
    void globalErrorFollowsTheTolerance() {
        DormandPrinceIntegrator[] used = new DormandPrinceIntegrator[1];
        double loose = decayErrorWithTolerance(1e-5, used);
        long looseSteps = used[0].acceptedSteps();
        double tight = decayErrorWithTolerance(1e-9, used);
        long tightSteps = used[0].acceptedSteps();
        assertTrue(loose < 1e-4, "loose error " + loose);
        assertTrue(tight < 1e-8, "tight error " + tight);
        assertTrue(loose / tight > 100, "error ratio for 1e4 tighter tolerance " + loose / tight);
        assertTrue(tightSteps > 3 * looseSteps, looseSteps + " vs " + tightSteps + " steps");
    }

    @Test
    void stiffStartIsHandledByRejectingAndShrinking() {
        // y' = -50 (y - cos t): a fast transient then a slow drift
        VectorField field = (t, y, dydt) -> dydt[0] = -50 * (y[0] - Math.cos(t));
        DormandPrinceIntegrator dp = new DormandPrinceIntegrator(field, 1, 1e-9, 1e-9);
        double[] y = {0};
        dp.integrate(0, y, 2);
        // closed form: y = c1 e^{-50t} + (2500 cos t + 50 sin t) / 2501
        double c1 = -2500.0 / 2501;
        double exact = c1 * Math.exp(-100) + (2500 * Math.cos(2) + 50 * Math.sin(2)) / 2501;
        assertEquals(exact, y[0], 1e-8);
    }

    @Test
    void stepSizeIsCarriedAcrossCallsAndResetForgetsIt() {
        DormandPrinceIntegrator dp = new DormandPrinceIntegrator(oscillator(1), 2, 1e-8, 1e-8);
        double[] y = {1, 0};
        dp.integrate(0, y, 1);
        long evaluations = dp.evaluations();
        dp.integrate(1, y, 2);
        long carried = dp.evaluations() - evaluations;
        dp.reset();
        evaluations = dp.evaluations();
        dp.integrate(2, y, 3);
        long fresh = dp.evaluations() - evaluations;
        assertTrue(fresh > carried, "a reset integrator estimates its first step again: " + fresh + " vs " + carried);
    }

    @Test
    void rejectsInvalidTolerances() {
        assertThrows(IllegalArgumentException.class, () -> new DormandPrinceIntegrator(oscillator(1), 2, 0, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> new DormandPrinceIntegrator(oscillator(1), 2, 1e-6, -1));
    }
}
