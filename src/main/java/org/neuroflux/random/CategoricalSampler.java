package org.neuroflux.random;

import java.util.Objects;

/**
 * Draws a category from a probability vector exactly as MATLAB's
 * {@code find(rand < cumsum(p), 1)}, so simulations replay SPM choices bit for bit.
 */
public final class CategoricalSampler {

    private CategoricalSampler() {}

    /**
     * Returns the 0-based index of the first {@code i} with
     * {@code r < p[offset] + ... + p[offset + i]}, the running sum accumulated
     * left to right in double precision (as {@code cumsum} does).
     *
     * @param r      a uniform draw, normally in {@code [0, 1)}
     * @param p      array holding the probabilities
     * @param offset index of the first probability in {@code p}
     * @param length number of probabilities
     * @return index in {@code [0, length)}
     * @throws IllegalStateException if {@code r} is not below the total
     *         (rounding, or unnormalised {@code p})
     * @throws IndexOutOfBoundsException if the range lies outside {@code p}
     */
    public static int sample(double r, double[] p, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, p.length);
        double cumulative = 0.0;
        for (int i = 0; i < length; i++) {
            cumulative += p[offset + i];
            // Strict '<': r equal to a cumulative value belongs to a later index.
            if (r < cumulative) {
                return i;
            }
        }
        throw new IllegalStateException(
                "no category for r = " + r + ": r is not below the cumulative total " + cumulative);
    }
}
