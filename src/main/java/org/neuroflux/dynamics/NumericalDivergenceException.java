package org.neuroflux.dynamics;

/**
 * An integration produced a value that is not finite (NaN or infinite), or could not continue
 * (its step size underflowed). Carries the time at which it happened, the index of the offending
 * state component and its value, so the failure can be traced to a marginal of the belief flow.
 */
public final class NumericalDivergenceException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final double time;
    private final int index;
    private final double value;

    /** A non-finite value appeared in component {@code index} at time {@code time}. */
    public NumericalDivergenceException(double time, int index, double value) {
        this("non-finite state at t = " + time + ": y[" + index + "] = " + value, time, index, value);
    }

    /** Any other breakdown, described by {@code message}. */
    public NumericalDivergenceException(String message, double time, int index, double value) {
        super(message);
        this.time = time;
        this.index = index;
        this.value = value;
    }

    /** Time at which the divergence was detected: the end of the step that produced it. */
    public double time() {
        return time;
    }

    /** Index of the offending state component. */
    public int index() {
        return index;
    }

    /** The offending value (NaN or infinite for a non-finite state). */
    public double value() {
        return value;
    }
}
