package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OdeIntegrator} must do: solve closed-form problems, end exactly at the requested
 * time, report a NaN with its time and index, and step without allocating. Each integrator's test
 * extends this class and says how to build it.
 */
abstract class OdeIntegratorContractTest {
    static final double[] RATES = {0.5, 1, 2};

    /** An integrator for the field, accurate to about 1e-8 on problems of unit scale. */
    abstract OdeIntegrator accurate(VectorField field, int dimension);

    /** Largest step the accurate integrator takes on the test problems (bounds a NaN's reported time). */
    abstract double largestStep();

    static void decay(double t, double[] y, double[] dydt) {
        for (int i = 0; i < RATES.length; i++) dydt[i] = -RATES[i] * y[i];
    }

    /** Harmonic oscillator with angular frequency omega: y0' = y1, y1' = -omega^2 y0. */
    static VectorField oscillator(double omega) {
        return (t, y, dydt) -> {
            dydt[0] = y[1];
            dydt[1] = -omega * omega * y[0];
        };
    }

    /** Max error against cos(omega t), -omega sin(omega t). */
    static double oscillatorError(double[] y, double omega, double t) {
        return Math.max(Math.abs(y[0] - Math.cos(omega * t)), Math.abs(y[1] + omega * Math.sin(omega * t)));
    }

    @Test
    void solvesExponentialDecayToTheClosedForm() {
        OdeIntegrator integrator = accurate(OdeIntegratorContractTest::decay, 3);
        double[] y = {1, 1, 1};
        integrator.integrate(0, y, 3);
        for (int i = 0; i < 3; i++) assertEquals(Math.exp(-RATES[i] * 3), y[i], 1e-7, "component " + i);
    }

    @Test
    void solvesHarmonicOscillatorOverSeveralPeriods() {
        double omega = 2 * Math.PI;
        OdeIntegrator integrator = accurate(oscillator(omega), 2);
        double[] y = {1, 0};
        integrator.integrate(0, y, 3);
        assertTrue(oscillatorError(y, omega, 3) < 1e-5, () -> "error " + oscillatorError(y, omega, 3));
    }

    @Test
    void samplingAtManyTimesEndsExactlyOnEachAndStaysAccurate() {
        OdeIntegrator integrator = accurate(OdeIntegratorContractTest::decay, 3);
        double[] y = {1, 1, 1};
        double[] seen = new double[1];
        for (int i = 1; i <= 97; i++) {
            double t0 = (i - 1) / 32.0;
            double t1 = i / 32.0;
            integrator.integrate(t0, y, t1);
            for (int c = 0; c < 3; c++) seen[0] = Math.max(seen[0], Math.abs(y[c] - Math.exp(-RATES[c] * t1)));
        }
        assertTrue(seen[0] < 1e-7, () -> "worst sampled error " + seen[0]);
    }

    @Test
    void zeroLengthIntervalLeavesStateUnchanged() {
        OdeIntegrator integrator = accurate(OdeIntegratorContractTest::decay, 3);
        double[] y = {1, 2, 3};
        integrator.integrate(1, y, 1);
        assertEquals(2, y[1]);
        assertThrows(IllegalArgumentException.class, () -> integrator.integrate(1, y, 0.5));
    }

    @Test
    void divergentFieldFailsWithTimeAndIndexOfFirstNaN() {
        VectorField field = (t, y, dydt) -> {
            decay(t, y, dydt);
            if (t >= 0.3) dydt[1] = Double.NaN;
        };
        OdeIntegrator integrator = accurate(field, 3);
        double[] y = {1, 1, 1};
        NumericalDivergenceException e =
                assertThrows(NumericalDivergenceException.class, () -> integrator.integrate(0, y, 1));
        assertEquals(1, e.index());
        assertTrue(Double.isNaN(e.value()));
        assertTrue(e.time() >= 0.3 && e.time() <= 0.3 + largestStep(), () -> "reported time " + e.time());
    }

    @Test
    void reshapeIntegratesOnlyTheLeadingComponents() {
        OdeIntegrator integrator = accurate(OdeIntegratorContractTest::decay, 3);
        integrator.reshape(2);
        assertEquals(2, integrator.dimension());
        double[] y = {1, 1, 7};
        integrator.integrate(0, y, 1);
        assertEquals(Math.exp(-RATES[1]), y[1], 1e-7);
        assertEquals(7, y[2]);
    }

    @Test
    void steadyStateStepsAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counter not available");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        OdeIntegrator integrator = accurate(oscillator(1), 2);
        double[] y = {1, 0};
        double dt = 1.0 / 64;
        for (int i = 0; i < 10_000; i++) integrator.integrate(i * dt, y, (i + 1) * dt);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 10_000; i < 20_000; i++) integrator.integrate(i * dt, y, (i + 1) * dt);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 2048, () -> "allocated " + allocated + " bytes in 10k steps");
        assertTrue(Math.abs(y[0] * y[0] + y[1] * y[1] - 1) < 1e-3, "energy drifted");
    }
}
