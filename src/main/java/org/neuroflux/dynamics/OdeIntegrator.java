package org.neuroflux.dynamics;

/**
 * Integrates a {@link VectorField} in place over a time interval, ending exactly at the requested
 * time, so that a flow can be sampled at any rate by calling {@link #integrate} once per sample
 * interval. Implementations own preallocated workspaces for their current dimension and allocate
 * nothing per step; they are not thread-safe.
 */
public interface OdeIntegrator {
    /** Number of state components integrated: the first {@code dimension()} entries of y. */
    int dimension();

    /**
     * Sets the number of state components. Workspaces are reallocated only when they must grow,
     * so shrinking and growing back to an earlier size allocates nothing.
     */
    void reshape(int dimension);

    /**
     * Advances y from t0 to exactly t1 (t1 > t0; t1 == t0 leaves y unchanged).
     *
     * @throws NumericalDivergenceException if a component becomes NaN or infinite, with the time of
     *                                      the step end and the component's index
     */
    void integrate(double t0, double[] y, double t1);

    /** Forgets any state carried between calls (such as an adaptive step size). */
    default void reset() {}
}
