package org.neuroflux.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neuroflux.random.SplitMixSource;

class SpikeRasterTest {
    private final SpikeRaster raster = new SpikeRaster();

    @Test
    void aFullRateFiresWithProbabilityFifteenSixteenthsAndASilentUnitNever() {
        double[] rates = {1, 0, 0.5};
        int[] counts = new int[3];
        long[] totals = new long[3];
        SplitMixSource random = new SplitMixSource(42);
        int samples = 2000;
        for (int s = 0; s < samples; s++) {
            raster.sample(rates, 0, 3, random, null, 0, counts, 0);
            for (int u = 0; u < 3; u++) totals[u] += counts[u];
        }
        double draws = samples * 256.0;
        assertEquals(15.0 / 16, totals[0] / draws, 0.003);
        assertEquals(0, totals[1]);
        assertEquals(15.0 / 32, totals[2] / draws, 0.004);
    }

    @Test
    void theSameSeedGivesTheSameRasterAndCountsMatchTheFlags() {
        double[] rates = {0.2, 0.7};
        boolean[] a = new boolean[2 * 256];
        boolean[] b = new boolean[2 * 256];
        int[] counts = new int[2];
        int total = raster.sample(rates, 0, 2, new SplitMixSource(1), a, 0, counts, 0);
        raster.sample(rates, 0, 2, new SplitMixSource(1), b, 0, null, 0);
        assertArrayEquals(a, b);
        int flagged = 0;
        for (int u = 0; u < 2; u++) {
            int c = 0;
            for (int i = 0; i < 256; i++) if (a[u * 256 + i]) c++;
            assertEquals(counts[u], c);
            flagged += c;
        }
        assertEquals(total, flagged);
    }

    @Test
    void drawsOneUniformPerNeuronAndSubBinInUnitNeuronSubBinOrder() {
        double[] rates = {0.5};
        boolean[] spikes = new boolean[256];
        raster.sample(rates, 0, 1, new SplitMixSource(5), spikes, 0, null, 0);
        SplitMixSource replay = new SplitMixSource(5);
        for (int i = 0; i < 256; i++) assertEquals(replay.nextUniform() < 0.5 * 15 / 16, spikes[i], "draw " + i);
    }
}
