package org.neuroflux.dynamics;

import java.util.Objects;

/**
 * The classical fourth-order Runge-Kutta method with a fixed step. {@link #integrate} splits each
 * interval into the fewest equal steps no longer than the nominal step, so it ends exactly at the
 * requested time; {@link #step} takes one step of any size.
 *
 * <p>All workspaces are allocated for the current dimension; stepping allocates nothing.
 * Not thread-safe.
 */
public final class Rk4Stepper implements OdeIntegrator {
    private static final double ROUNDING = 1e-9;

    private final VectorField field;
    private final double maxStep;
    private int n;
    private double[] k1;
    private double[] k2;
    private double[] k3;
    private double[] k4;
    private double[] tmp;

    /**
     * @param field     the vector field
     * @param dimension number of state components
     * @param step      nominal step, finite and > 0
     */
    public Rk4Stepper(VectorField field, int dimension, double step) {
        this.field = Objects.requireNonNull(field, "field");
        if (!(step > 0) || Double.isInfinite(step))
            throw new IllegalArgumentException("step must be finite and > 0, was " + step);
        this.maxStep = step;
        k1 = k2 = k3 = k4 = tmp = new double[0];
        reshape(dimension);
    }

    @Override
    public int dimension() {
        return n;
    }

    /** The nominal step. */
    public double step() {
        return maxStep;
    }

    @Override
    public void reshape(int dimension) {
        if (dimension < 0) throw new IllegalArgumentException("dimension must be >= 0, was " + dimension);
        n = dimension;
        if (k1.length < dimension) {
            k1 = new double[dimension];
            k2 = new double[dimension];
            k3 = new double[dimension];
            k4 = new double[dimension];
            tmp = new double[dimension];
        }
    }

    @Override
    public void integrate(double t0, double[] y, double t1) {
        double span = t1 - t0;
        if (!(span >= 0)) throw new IllegalArgumentException("need t1 >= t0, was t0 = " + t0 + ", t1 = " + t1);
        if (span == 0) return;
        integrate(t0, y, t1, Math.max(1, (int) Math.ceil(span / maxStep * (1 - ROUNDING))));
    }

    /**
     * Advances y from t0 to exactly t1 in {@code steps} equal steps, whatever the nominal step.
     *
     * @throws NumericalDivergenceException if a component becomes NaN or infinite
     */
    public void integrate(double t0, double[] y, double t1, int steps) {
        double span = t1 - t0;
        if (!(span >= 0)) throw new IllegalArgumentException("need t1 >= t0, was t0 = " + t0 + ", t1 = " + t1);
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, was " + steps);
        double h = span / steps;
        for (int i = 0; i < steps; i++) {
            double t = t0 + i * h;
            double end = i == steps - 1 ? t1 : t0 + (i + 1) * h;
            advance(t, y, h, end);
        }
    }

    /**
     * One RK4 step of size h from (t, y); y is replaced by the state at t + h.
     *
     * @throws NumericalDivergenceException if a component of the new state is not finite
     */
    public void step(double t, double[] y, double h) {
        advance(t, y, h, t + h);
    }

    private void advance(double t, double[] y, double h, double end) {
        double half = h / 2;
        field.derivative(t, y, k1);
        for (int i = 0; i < n; i++) tmp[i] = y[i] + half * k1[i];
        field.derivative(t + half, tmp, k2);
        for (int i = 0; i < n; i++) tmp[i] = y[i] + half * k2[i];
        field.derivative(t + half, tmp, k3);
        for (int i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
        field.derivative(end, tmp, k4);
        double sixth = h / 6;
        for (int i = 0; i < n; i++) y[i] = y[i] + sixth * (k1[i] + 2 * (k2[i] + k3[i]) + k4[i]);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y[i])) throw new NumericalDivergenceException(end, i, y[i]);
        }
    }
}
