package org.neuroflux.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HanningWaveletTest {
    private static final double FS = 64;
    private final HanningWavelet wavelet = HanningWavelet.spm(FS);

    private static double[] sinusoid(double hz, double amplitude, int n, double phase) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = amplitude * Math.cos(2 * Math.PI * hz * i / FS + phase);
        return x;
    }

    @Test
    void spmDefaultsAre4To32HzOverA16BinWindowAt64Hz() {
        assertEquals(29, wavelet.frequencyCount());
        assertEquals(4, wavelet.frequency(0));
        assertEquals(32, wavelet.frequency(28));
        assertEquals(16, wavelet.window());
        assertEquals(8, wavelet.latency());
        assertEquals(250, HanningWavelet.spm(1000).window());
    }

    @Test
    void aPure8HzSinePeaksAt8HzWithHalfItsAmplitude() {
        int n = 256;
        double[] x = sinusoid(8, 2.0, n, 0.3);
        double[] mag = new double[29 * n];
        wavelet.addMagnitudes(x, 0, n, mag, 0);
        for (int t = 16; t < n - 16; t++) {
            int best = 0;
            for (int k = 1; k < 29; k++) if (mag[k + 29 * t] > mag[best + 29 * t]) best = k;
            assertEquals(8.0, wavelet.frequency(best), "peak frequency at sample " + t);
            assertEquals(1.0, mag[4 + 29 * t], 0.01, "envelope = amplitude / 2 at sample " + t);
        }
    }

    @Test
    void theFourHertzComponentGivesThePhaseOfATheta() {
        int n = 256;
        double[] x = sinusoid(4, 1.0, n, 0);
        double[] re = new double[n];
        double[] im = new double[n];
        wavelet.transform(0, x, 0, n, re, 0, im, 0);
        for (int t = 16; t < n - 16; t++) {
            double expected = 2 * Math.PI * 4 * t / FS;
            double err = Math.IEEEremainder(Math.atan2(im[t], re[t]) - expected, 2 * Math.PI);
            assertEquals(0, err, 0.02, "theta phase at sample " + t);
        }
    }

    @Test
    void equalsSpmsHeterodyneAndConvolutionFormulation() {
        // spm_wft: C(k,t) = conv(s .* exp(-1i*2*pi*k*(0:T-1)/n), h)(t + n/2), k cycles per window
        int n = 16;
        int len = 100;
        Random random = new Random(3);
        double[] s = new double[len];
        for (int i = 0; i < len; i++) s[i] = random.nextGaussian();
        double[] h = new double[n];
        double hs = 0;
        for (int i = 1; i <= n; i++) {
            h[i - 1] = 0.5 * (1 - Math.cos(2 * Math.PI * i / (n + 1)));
            hs += h[i - 1];
        }
        double[] re = new double[len];
        double[] im = new double[len];
        for (int k = 0; k < 29; k++) {
            double cycles = wavelet.frequency(k) * n / FS;
            wavelet.transform(k, s, 0, len, re, 0, im, 0);
            for (int t = 1; t <= len; t++) {
                int p = t + n / 2; // 1-based index into the full convolution
                double cr = 0;
                double ci = 0;
                for (int m = 1; m <= len; m++) {
                    int j = p - m + 1;
                    if (j < 1 || j > n) continue;
                    double angle = -2 * Math.PI * cycles * (m - 1) / n;
                    cr += s[m - 1] * Math.cos(angle) * h[j - 1] / hs;
                    ci += s[m - 1] * Math.sin(angle) * h[j - 1] / hs;
                }
                // ours is C re-modulated by exp(+i 2 pi k (t-1) / n)
                double back = 2 * Math.PI * cycles * (t - 1) / n;
                double er = cr * Math.cos(back) - ci * Math.sin(back);
                double ei = cr * Math.sin(back) + ci * Math.cos(back);
                assertEquals(er, re[t - 1], 1e-12, "re k=" + k + " t=" + t);
                assertEquals(ei, im[t - 1], 1e-12, "im k=" + k + " t=" + t);
                assertEquals(Math.hypot(cr, ci), Math.hypot(re[t - 1], im[t - 1]), 1e-12);
            }
        }
    }

    @Test
    void theStreamReproducesTheOfflineTransformExactly() {
        int channels = 3;
        int len = 70;
        Random random = new Random(11);
        double[][] x = new double[channels][len];
        for (double[] row : x) for (int i = 0; i < len; i++) row[i] = random.nextGaussian();
        double[] offline = new double[29 * len];
        double[] thetaRe = new double[len];
        double[] thetaIm = new double[len];
        double[] re = new double[len];
        double[] im = new double[len];
        for (double[] row : x) {
            wavelet.addMagnitudes(row, 0, len, offline, 0);
            wavelet.transform(0, row, 0, len, re, 0, im, 0);
            for (int t = 0; t < len; t++) {
                thetaRe[t] += re[t];
                thetaIm[t] += im[t];
            }
        }
        WaveletStream stream = new WaveletStream(wavelet, channels);
        double[] frame = new double[channels];
        double[] mags = new double[29];
        double[] theta = new double[2];
        int produced = 0;
        for (int i = 0; i < len + stream.latency(); i++) {
            boolean ready;
            if (i < len) {
                for (int c = 0; c < channels; c++) frame[c] = x[c][i];
                ready = stream.push(frame, 0);
            } else {
                ready = stream.flush();
            }
            if (!ready) continue;
            int t = (int) stream.readySample();
            assertEquals(produced++, t);
            stream.magnitudes(mags, 0);
            stream.component(0, theta, 0);
            for (int k = 0; k < 29; k++) assertEquals(offline[k + 29 * t], mags[k], 0, "k=" + k + " t=" + t);
            assertEquals(thetaRe[t], theta[0], 0);
            assertEquals(thetaIm[t], theta[1], 0);
        }
        assertEquals(len, produced);
    }

    @Test
    void theStreamAllocatesNothingPerSample() {
        WaveletStream stream = new WaveletStream(wavelet, 12);
        double[] frame = new double[12];
        double[] mags = new double[29];
        double[] theta = new double[2];
        Random random = new Random(5);
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int warm = 0; warm < 2; warm++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 5000; i++) {
                frame[i % 12] = random.nextDouble();
                if (stream.push(frame, 0)) {
                    stream.magnitudes(mags, 0);
                    stream.component(0, theta, 0);
                }
            }
            long delta = bean.getCurrentThreadAllocatedBytes() - before;
            if (warm == 1) assertTrue(delta < 4096, "allocated " + delta + " bytes over 5000 samples");
        }
    }
}
