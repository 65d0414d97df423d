package org.neuroflux.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SpmMathTest {
    @Test
    void softmaxOfEqualLogitsIsUniformAndSurvivesHugeLogits() {
        double[] x = {3, 3, 3, 3};
        SpmMath.softmax(x, 0, x, 0, 4);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, x, 0);
        double[] big = {1000, 1000 + Math.log(3)};
        SpmMath.softmax(big, 0, big, 0, 2);
        assertArrayEquals(new double[] {0.25, 0.75}, big, 1e-12); // 1000 + ln 3 itself rounds at 1e-13
    }

    @Test
    void lnUsesSpmsFloor() {
        assertEquals(Math.log(1e-16), SpmMath.ln(0), 0);
        assertEquals(-36.841361487904734, SpmMath.ln(0), 1e-12);
    }

    @Test
    void normalisingAZeroColumnMakesItUniformAsSpmNorm() {
        double[] a = {0, 0, 0, 2, 6, 0};
        SpmMath.normaliseColumns(a, 3);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 0.25, 0.75, 0}, a, 0);
    }

    @Test
    void gradientIsOneSidedAtTheEndsAndCentralInside() {
        double[] x = {1, 4, 9, 16};
        double[] g = new double[4];
        SpmMath.gradient(x, 4, g);
        assertArrayEquals(new double[] {3, 4, 6, 7}, g, 0);
    }

    @Test
    void tensorContractionSumsOneAxisAtATimeLikeSpmDot() {
        // L(s1, s2) column-major 2 x 3; contract s2 with y -> vector over s1; contract s1 with x -> over s2
        double[] l = {1, 2, 3, 4, 5, 6};
        double[][] v = {{0.5, 0.5}, {0.2, 0.3, 0.5}};
        TensorContraction c = new TensorContraction(2, 6);
        double[] out = new double[3];
        c.contract(l, new int[] {2, 3}, 0, v, out);
        assertArrayEquals(
                new double[] {1 * 0.2 + 3 * 0.3 + 5 * 0.5, 2 * 0.2 + 4 * 0.3 + 6 * 0.5},
                new double[] {out[0], out[1]},
                1e-15);
        c.contract(l, new int[] {2, 3}, 1, v, out);
        assertArrayEquals(new double[] {1.5, 3.5, 5.5}, out, 1e-15);
        c.contract(l, new int[] {2, 3}, -1, v, out);
        assertEquals(0.5 * (1 * 0.2 + 3 * 0.3 + 5 * 0.5) + 0.5 * (2 * 0.2 + 4 * 0.3 + 6 * 0.5), out[0], 1e-15);
    }
}
