package org.neuroflux.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neuroflux.math.SpmMath;

/** Phasic dopamine: SPM's dn of a trace, and windows of it that know their neighbours. */
class DopamineTest {
    private static final double[] WN = {1.0, 1.25, 1.1, 0.9, 2.0, 2.5, 2.25, 3.0, 0.5};

    @Test
    void aTraceIsSpmsEightTimesGradientPlusAnEighth() {
        double[] gradient = new double[WN.length];
        SpmMath.gradient(WN, WN.length, gradient);
        double[] expected = new double[WN.length];
        for (int n = 0; n < WN.length; n++) expected[n] = 8 * gradient[n] + WN[n] / 8;
        double[] dn = new double[WN.length];
        Dopamine.trace(WN, WN.length, dn);
        assertArrayEquals(expected, dn, 0.0, "bit for bit");
        double[] one = new double[1];
        Dopamine.trace(new double[] {3}, 1, one);
        assertEquals(3.0 / 8, one[0], 0.0, "a single value has no gradient");
    }

    @Test
    void windowsThatKnowTheirNeighboursGiveTheTracesValuesAndAStreamsEpochEndIsOneSided() {
        double[] whole = new double[WN.length];
        Dopamine.trace(WN, WN.length, whole);
        // the trace as three epochs of three, strided as a stream's rows (precision at 0, dopamine at 1)
        int stride = 2;
        double[] rows = new double[WN.length * stride];
        for (int n = 0; n < WN.length; n++) rows[n * stride] = WN[n];
        for (int e = 0; e < 3; e++) {
            double before = e > 0 ? WN[3 * e - 1] : Double.NaN;
            double after = e < 2 ? WN[3 * e + 3] : Double.NaN;
            Dopamine.window(rows, 3 * e * stride, stride, 3, before, after, 1, rows, 3 * e * stride + 1, stride);
        }
        for (int n = 0; n < WN.length; n++) assertEquals(whole[n], rows[n * stride + 1], 0.0, "sample " + n);
        double[] out = new double[3];
        Dopamine.window(WN, 3, 1, 3, WN[2], Double.NaN, 4, out, 0, 1);
        assertEquals(8 * (WN[5] - WN[4]) * 4 + WN[5] / 8, out[2], 0.0, "the next epoch unknown: one-sided, x4 samples");
        assertEquals(8 * (WN[4] - WN[2]) / 2 * 4 + WN[3] / 8, out[0], 0.0, "the epoch before known: central");
    }
}
