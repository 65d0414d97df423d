package org.neuroflux.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CategoricalSamplerTest {

    private static int sample(double r, double... p) {
        return CategoricalSampler.sample(r, p, 0, p.length);
    }

    @Test
    void picksFirstIndexWhoseCumsumExceedsR() {
        double[] p = {0.2, 0.3, 0.5};
        assertEquals(0, sample(0.0, p));
        assertEquals(0, sample(0.19, p));
        assertEquals(1, sample(0.21, p));
        assertEquals(2, sample(0.51, p));
        assertEquals(2, sample(0.999, p));
    }

    @Test
    void rEqualToCumulativeValueGoesToNextIndex() {
        // 0.25 and 0.5 are exact in binary, so cumsum hits them exactly.
        double[] p = {0.25, 0.25, 0.5};
        assertEquals(1, sample(0.25, p));
        assertEquals(2, sample(0.5, p));
    }

    @Test
    void tiesResolveToTheFirstQualifyingIndex() {
        double[] p = {0.25, 0.25, 0.25, 0.25};
        assertEquals(0, sample(0.1, p));
        assertEquals(1, sample(0.3, p));
        assertEquals(3, sample(0.75, p));
    }

    @Test
    void zeroProbabilityEntriesAreSkipped() {
        double[] p = {0.0, 0.5, 0.0, 0.5, 0.0};
        assertEquals(1, sample(0.0, p)); // r = 0 is not < cumsum 0
        assertEquals(1, sample(0.49, p));
        assertEquals(3, sample(0.5, p)); // index 2 adds nothing, so 0.5 < 0.5 fails there
        assertEquals(3, sample(0.99, p));
    }

    @Test
    void deterministicDistributionAlwaysPicksItsSupport() {
        double[] p = {0.0, 0.0, 1.0, 0.0};
        for (double r : new double[] {0.0, 0.3, 0.999999, Math.nextDown(1.0)}) {
            assertEquals(2, sample(r, p), "r = " + r);
        }
    }

    @Test
    void followsLeftToRightDoubleCumsum() {
        // 0.1 + 0.2 == 0.30000000000000004 in double, so r = 0.3 already falls in index 1.
        double[] p = {0.1, 0.2, 0.7};
        assertEquals(1, sample(0.3, p));
        assertEquals(2, sample(0.1 + 0.2, p));
    }

    @Test
    void honoursOffsetAndLength() {
        double[] data = {9.0, 0.5, 0.5, 9.0};
        assertEquals(0, CategoricalSampler.sample(0.2, data, 1, 2));
        assertEquals(1, CategoricalSampler.sample(0.7, data, 1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> CategoricalSampler.sample(0.5, data, 3, 2));
    }

    @Test
    void failsWhenRIsNotBelowTotal() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sample(0.9, 0.3, 0.3));
        assertTrue(e.getMessage().contains("0.9"), e.getMessage());
        assertTrue(e.getMessage().contains("0.6"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> sample(1.0, 0.5, 0.5));
        assertThrows(IllegalStateException.class, () -> sample(0.0, new double[0]));
    }
}
