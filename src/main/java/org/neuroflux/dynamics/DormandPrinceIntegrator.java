package org.neuroflux.dynamics;

import java.util.Objects;

/**
 * Adaptive Dormand-Prince 5(4) integrator: the fifth-order solution is propagated, the embedded
 * fourth-order one estimates the local error, measured as the RMS over components of
 * err_i / (atol + rtol * max(|y_i|, |y_new_i|)). A step is accepted when that norm is <= 1; the
 * next step is h * clamp(0.9 * err^(-1/5), 0.2, 5) (no growth right after a rejection). The first
 * step is estimated from the field (Hairer, Norsett and Wanner, Solving ODEs I, II.4).
 *
 * <p>{@link #integrate} clips the last step so it ends exactly at the requested time, and keeps the
 * step size for the next call, so sampling a flow at many times costs only the clipped steps.
 * {@link #step} takes one unconditional step of a given size (for fixed-step use and tests).
 *
 * <p>All workspaces are allocated for the current dimension; stepping allocates nothing.
 * Not thread-safe.
 */
public final class DormandPrinceIntegrator implements OdeIntegrator {
    // Butcher tableau of Dormand and Prince (1980), the 5th-order weights are the last row of a
    private static final double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private static final double A21 = 1.0 / 5;
    private static final double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private static final double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private static final double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private static final double A61 = 9017.0 / 3168,
            A62 = -355.0 / 33,
            A63 = 46732.0 / 5247,
            A64 = 49.0 / 176,
            A65 = -5103.0 / 18656;
    private static final double A71 = 35.0 / 384,
            A73 = 500.0 / 1113,
            A74 = 125.0 / 192,
            A75 = -2187.0 / 6784,
            A76 = 11.0 / 84;
    // error weights: 5th-order minus 4th-order weights
    private static final double E1 = 71.0 / 57600,
            E3 = -71.0 / 16695,
            E4 = 71.0 / 1920,
            E5 = -17253.0 / 339200,
            E6 = 22.0 / 525,
            E7 = -1.0 / 40;
    private static final double SAFETY = 0.9;
    private static final double MIN_FACTOR = 0.2;
    private static final double MAX_FACTOR = 5;

    private final VectorField field;
    private final double absoluteTolerance;
    private final double relativeTolerance;
    private int n;
    private double[] k1;
    private double[] k2;
    private double[] k3;
    private double[] k4;
    private double[] k5;
    private double[] k6;
    private double[] k7;
    private double[] yTmp;
    private double[] yNew;
    private double nextStep; // suggested size of the next step, 0 when unknown
    private long accepted;
    private long rejected;
    private long evaluations;

    /**
     * @param field             the vector field
     * @param dimension         number of state components
     * @param absoluteTolerance atol, finite and > 0
     * @param relativeTolerance rtol, finite and >= 0
     */
    public DormandPrinceIntegrator(
            VectorField field, int dimension, double absoluteTolerance, double relativeTolerance) {
        this.field = Objects.requireNonNull(field, "field");
        if (!(absoluteTolerance > 0) || Double.isInfinite(absoluteTolerance)) {
            throw new IllegalArgumentException("absoluteTolerance must be finite and > 0, was " + absoluteTolerance);
        }
        if (!(relativeTolerance >= 0) || Double.isInfinite(relativeTolerance)) {
            throw new IllegalArgumentException("relativeTolerance must be finite and >= 0, was " + relativeTolerance);
        }
        this.absoluteTolerance = absoluteTolerance;
        this.relativeTolerance = relativeTolerance;
        k1 = k2 = k3 = k4 = k5 = k6 = k7 = yTmp = yNew = new double[0];
        reshape(dimension);
    }

    @Override
    public int dimension() {
        return n;
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
            k5 = new double[dimension];
            k6 = new double[dimension];
            k7 = new double[dimension];
            yTmp = new double[dimension];
            yNew = new double[dimension];
        }
    }

    @Override
    public void reset() {
        nextStep = 0;
    }

    /** Steps accepted since construction. */
    public long acceptedSteps() {
        return accepted;
    }

    /** Steps rejected (and retried smaller) since construction. */
    public long rejectedSteps() {
        return rejected;
    }

    /** Vector-field evaluations since construction. */
    public long evaluations() {
        return evaluations;
    }

    @Override
    public void integrate(double t0, double[] y, double t1) {
        double span = t1 - t0;
        if (!(span >= 0)) throw new IllegalArgumentException("need t1 >= t0, was t0 = " + t0 + ", t1 = " + t1);
        if (span == 0 || n == 0) return;
        derivative(t0, y, k1);
        double h = nextStep > 0 ? nextStep : initialStep(t0, y);
        double t = t0;
        boolean rejectedLast = false;
        while (true) {
            boolean last = h >= t1 - t;
            double hStep = last ? t1 - t : h;
            double end = last ? t1 : t + hStep;
            double err = attempt(t, y, hStep, end);
            if (err <= 1) {
                accepted++;
                System.arraycopy(yNew, 0, y, 0, n);
                System.arraycopy(k7, 0, k1, 0, n); // first same as last
                double factor = err == 0
                        ? MAX_FACTOR
                        : Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -0.2)));
                if (rejectedLast) factor = Math.min(factor, 1);
                // a step clipped to reach t1 does not shrink the suggestion for the next call
                double proposal = hStep * factor;
                h = last && hStep < h ? Math.max(h, proposal) : proposal;
                rejectedLast = false;
                if (last) {
                    nextStep = h;
                    return;
                }
                t = end;
            } else {
                rejected++;
                rejectedLast = true;
                h = hStep * Math.max(MIN_FACTOR, SAFETY * Math.pow(err, -0.2));
                if (h <= Math.ulp(Math.max(Math.abs(t), 1.0)) * 16) {
                    throw new NumericalDivergenceException(
                            "step size underflow at t = " + t + " (h = " + h + ")", t, -1, h);
                }
            }
        }
    }

    /**
     * One unconditional step of size h from (t, y): y is replaced by the fifth-order solution at
     * t + h. Returns the scaled error norm of the embedded estimate (<= 1 means within tolerance).
     *
     * @throws NumericalDivergenceException if a component of the new state is not finite
     */
    public double step(double t, double[] y, double h) {
        derivative(t, y, k1);
        double err = attempt(t, y, h, t + h);
        System.arraycopy(yNew, 0, y, 0, n);
        return err;
    }

    /** Stages 2-7 from k1 (the derivative at (t, y)); writes yNew and k7, returns the error norm. */
    private double attempt(double t, double[] y, double h, double end) {
        for (int i = 0; i < n; i++) yTmp[i] = y[i] + h * A21 * k1[i];
        derivative(t + C2 * h, yTmp, k2);
        for (int i = 0; i < n; i++) yTmp[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
        derivative(t + C3 * h, yTmp, k3);
        for (int i = 0; i < n; i++) yTmp[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
        derivative(t + C4 * h, yTmp, k4);
        for (int i = 0; i < n; i++) yTmp[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
        derivative(t + C5 * h, yTmp, k5);
        for (int i = 0; i < n; i++) {
            yTmp[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
        }
        derivative(end, yTmp, k6);
        for (int i = 0; i < n; i++) {
            yNew[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(yNew[i])) throw new NumericalDivergenceException(end, i, yNew[i]);
        }
        derivative(end, yNew, k7);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
            double scale = absoluteTolerance + relativeTolerance * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
            double r = e / scale;
            sum += r * r;
        }
        double err = Math.sqrt(sum / n);
        if (Double.isNaN(err)) {
            // the new state is finite but the last stage is not: report the first bad component
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(k7[i])) throw new NumericalDivergenceException(end, i, k7[i]);
            }
            throw new NumericalDivergenceException("error estimate is NaN at t = " + end, end, -1, err);
        }
        return err;
    }

    /** Initial step from the scale of y and its first two derivatives (HNW I, II.4). */
    private double initialStep(double t0, double[] y) {
        double d0 = 0;
        double d1 = 0;
        for (int i = 0; i < n; i++) {
            double scale = absoluteTolerance + relativeTolerance * Math.abs(y[i]);
            d0 += (y[i] / scale) * (y[i] / scale);
            d1 += (k1[i] / scale) * (k1[i] / scale);
        }
        d0 = Math.sqrt(d0 / n);
        d1 = Math.sqrt(d1 / n);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        for (int i = 0; i < n; i++) yTmp[i] = y[i] + h0 * k1[i];
        derivative(t0 + h0, yTmp, k2);
        double d2 = 0;
        for (int i = 0; i < n; i++) {
            double scale = absoluteTolerance + relativeTolerance * Math.abs(y[i]);
            double r = (k2[i] - k1[i]) / scale;
            d2 += r * r;
        }
        d2 = Math.sqrt(d2 / n) / h0;
        double dMax = Math.max(d1, d2);
        double h1 = dMax <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / dMax, 0.2);
        return Math.min(100 * h0, h1);
    }

    private void derivative(double t, double[] y, double[] dydt) {
        evaluations++;
        field.derivative(t, y, dydt);
    }
}
