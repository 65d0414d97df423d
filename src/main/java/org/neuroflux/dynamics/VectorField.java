package org.neuroflux.dynamics;

/**
 * The right-hand side of an autonomous or time-dependent ODE dy/dt = f(t, y), written into a
 * caller-owned array so that integrators can evaluate it without allocating.
 *
 * <p>Implementations read the first {@code n} entries of {@code y} and write the first {@code n}
 * entries of {@code dydt}, where n is the dimension the integrator was shaped for; the arrays may be
 * longer. They must not modify {@code y}, must not retain either array, and must not allocate if
 * they are to be used in a zero-allocation loop.
 */
@FunctionalInterface
public interface VectorField {
    /**
     * Writes dy/dt at (t, y) into dydt.
     *
     * @param t    time
     * @param y    state, not modified
     * @param dydt derivative, overwritten
     */
    void derivative(double t, double[] y, double[] dydt);
}
