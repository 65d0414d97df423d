package org.neuroflux.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EventRelatedPotentialTest {
    private final EventRelatedPotential erp = new EventRelatedPotential();

    /** Gaussian of FWHM w at lag x, normalised over |x| <= fix(6 sigma). */
    private static double gaussian(double fwhm, int x) {
        double sigma = fwhm / Math.sqrt(8 * Math.log(2)) + Math.ulp(1.0);
        int e = (int) (6 * sigma);
        double sum = 0;
        for (int d = -e; d <= e; d++) sum += Math.exp(-d * d / (2 * sigma * sigma));
        return Math.abs(x) > e ? 0 : Math.exp(-x * x / (2 * sigma * sigma)) / sum;
    }

    @Test
    void spmsKernelWidthsAreFiveAndFortyBins() {
        assertEquals(5, erp.narrow().reach(1000));
        assertEquals(40, erp.wide().reach(1000));
        assertEquals(12, erp.wide().reach(12)); // capped at the series length, as spm_conv does
    }

    @Test
    void impulseResponseIsTheDifferenceOfTheTwoGaussians() {
        int n = 201;
        double[] x = new double[n];
        x[100] = 1;
        double[] out = new double[n];
        erp.bandPass(x, 0, n, out, 0, new double[n], 0);
        double sum = 0;
        for (int t = 0; t < n; t++) {
            assertEquals(gaussian(2, t - 100) - gaussian(16, t - 100), out[t], 1e-15, "lag " + (t - 100));
            sum += out[t];
        }
        assertEquals(0, sum, 1e-14); // a band-pass passes no DC
        assertTrue(out[100] > 0.4);
    }

    @Test
    void stepResponseDecaysToZeroAwayFromTheStepAndTheEdges() {
        int n = 400;
        double[] x = new double[n];
        for (int t = 200; t < n; t++) x[t] = 1;
        double[] out = new double[n];
        erp.bandPass(x, 0, n, out, 0, new double[n], 0);
        for (int t = 0; t < n; t++) {
            if (Math.abs(t - 200) > 41) assertEquals(0, out[t], 1e-15, "sample " + t);
        }
        // just after the step the narrow smoothing has risen further than the wide one
        assertTrue(out[203] > 0.3, "overshoot after the step " + out[203]);
        assertTrue(out[196] < -0.3, "undershoot before the step " + out[196]);
    }

    @Test
    void aConstantRateGivesZeroUpToTheEdgesBecauseTheEndsAreMirrored() {
        double[] rate = new double[48];
        java.util.Arrays.fill(rate, 0.25);
        double[] out = new double[48];
        erp.apply(rate, 0, 48, out, 0, new double[96]);
        for (double v : out) assertEquals(0, v, 1e-14);
    }

    @Test
    void matchesSpmConvWithMirroredPaddingAndAValidConvolution() {
        // spm_conv: v = [flipud(u(1:E)); u; flipud(u((1:E) + n - E))]; conv(v, k, 'valid')
        int n = 30; // shorter than the FWHM-16 kernel's reach of 40: E is capped at n
        Random random = new Random(9);
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = random.nextDouble();
        for (double fwhm : new double[] {2, 16}) {
            GaussianSmoothing g = new GaussianSmoothing(fwhm);
            int e = g.reach(n);
            double[] v = new double[n + 2 * e];
            for (int i = 0; i < e; i++) v[i] = u[e - 1 - i];
            System.arraycopy(u, 0, v, e, n);
            for (int i = 0; i < e; i++) v[e + n + i] = u[n - 1 - i];
            double sigma = g.sigma();
            double[] k = new double[2 * e + 1];
            double ks = 0;
            for (int i = -e; i <= e; i++) ks += k[i + e] = Math.exp(-i * i / (2 * sigma * sigma));
            double[] expected = new double[n];
            for (int t = 0; t < n; t++) {
                for (int i = 0; i <= 2 * e; i++) expected[t] += v[t + i] * k[2 * e - i] / ks;
            }
            double[] actual = new double[n];
            g.apply(u, 0, n, actual, 0);
            assertArrayEquals(expected, actual, 1e-14, "fwhm " + fwhm);
        }
    }

    @Test
    void logRatesUseSpmsOffsetOfOneThirtySecond() {
        double[] rate = new double[64];
        rate[32] = 1;
        double[] out = new double[64];
        double[] expected = new double[64];
        double[] logs = new double[64];
        for (int i = 0; i < 64; i++) logs[i] = Math.log(rate[i] + 1.0 / 32);
        erp.bandPass(logs, 0, 64, expected, 0, new double[64], 0);
        erp.apply(rate, 0, 64, out, 0, new double[128]);
        assertArrayEquals(expected, out, 0);
    }
}
