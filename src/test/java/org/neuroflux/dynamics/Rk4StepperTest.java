package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Rk4StepperTest extends OdeIntegratorContractTest {
    private static final double STEP = 1.0 / 512;

    @Override
    OdeIntegrator accurate(VectorField field, int dimension) {
        return new Rk4Stepper(field, dimension, STEP);
    }

    @Override
    double largestStep() {
        return STEP;
    }

    private static double decayError(double h) {
        Rk4Stepper rk4 = new Rk4Stepper(OdeIntegratorContractTest::decay, 3, h);
        double[] y = {1, 1, 1};
        rk4.integrate(0, y, 2);
        double e = 0;
        for (int i = 0; i < 3; i++) e = Math.max(e, Math.abs(y[i] - Math.exp(-RATES[i] * 2)));
        return e;
    }

    private static double oscillatorErrorWithStep(double h) {
        double omega = 2 * Math.PI;
        Rk4Stepper rk4 = new Rk4Stepper(oscillator(omega), 2, h);
        double[] y = {1, 0};
        rk4.integrate(0, y, 2);
        return oscillatorError(y, omega, 2);
    }

    @Test
    void halvingTheStepDividesTheErrorBySixteenOnDecay() {
        double previous = decayError(0.2);
        for (double h = 0.1; h >= 0.025; h /= 2) {
            double e = decayError(h);
            double ratio = previous / e;
            assertTrue(ratio > 16 / 1.3 && ratio < 16 * 1.3, "h = " + h + ": error ratio " + ratio);
            previous = e;
        }
    }

    @Test
    void halvingTheStepDividesTheErrorBySixteenOnTheOscillator() {
        double previous = oscillatorErrorWithStep(0.05);
        for (double h = 0.025; h >= 0.00625; h /= 2) {
            double e = oscillatorErrorWithStep(h);
            double ratio = previous / e;
            assertTrue(ratio > 16 / 1.3 && ratio < 16 * 1.3, "h = " + h + ": error ratio " + ratio);
            previous = e;
        }
    }

    @Test
    void oneStepMatchesTheTaylorSeriesOfTheExponential() {
        // for y' = -k y one RK4 step multiplies y by 1 - z + z^2/2 - z^3/6 + z^4/24, z = k h
        Rk4Stepper rk4 = new Rk4Stepper(OdeIntegratorContractTest::decay, 3, 1);
        double[] y = {1, 1, 1};
        double h = 0.3;
        rk4.step(0, y, h);
        for (int i = 0; i < 3; i++) {
            double z = RATES[i] * h;
            assertEquals(1 - z + z * z / 2 - z * z * z / 6 + z * z * z * z / 24, y[i], 1e-15);
        }
    }

    @Test
    void intervalIsSplitIntoEqualStepsThatLandOnTheEnd() {
        int[] calls = new int[1];
        Rk4Stepper rk4 = new Rk4Stepper(
                (t, y, dydt) -> {
                    calls[0]++;
                    dydt[0] = 1;
                },
                1,
                0.25);
        double[] y = {0};
        rk4.integrate(0, y, 1);
        assertEquals(16, calls[0], "4 steps of 4 stages");
        assertEquals(1, y[0], 1e-15);
        rk4.integrate(1, y, 1.3); // 0.3 needs 2 steps of 0.15
        assertEquals(24, calls[0]);
    }

    @Test
    void nanInAStepIsReportedAtThatStepsEnd() {
        VectorField field = (t, y, dydt) -> {
            decay(t, y, dydt);
            if (t >= 0.3) dydt[2] = Double.POSITIVE_INFINITY;
        };
        Rk4Stepper rk4 = new Rk4Stepper(field, 3, 0.1);
        double[] y = {1, 1, 1};
        NumericalDivergenceException e = assertThrows(NumericalDivergenceException.class, () -> rk4.integrate(0, y, 1));
        assertEquals(0.3, e.time(), 1e-12);
        assertEquals(2, e.index());
    }

    @Test
    void rejectsNonPositiveStep() {
        assertThrows(IllegalArgumentException.class, () -> new Rk4Stepper(OdeIntegratorContractTest::decay, 3, 0));
        assertThrows(
                IllegalArgumentException.class, () -> new Rk4Stepper(OdeIntegratorContractTest::decay, 3, Double.NaN));
    }
}
