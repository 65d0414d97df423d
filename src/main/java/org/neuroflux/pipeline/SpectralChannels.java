package org.neuroflux.pipeline;

import java.util.Arrays;
import org.neuroflux.signal.HanningWavelet;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.signal.WaveletStream;

/**
 * The streamed spectral channels of one scheme: per factor, the time-frequency magnitude (SPM's
 * {@code sum(abs(spm_wft(LFP)), 3)}, the modulus of each unit's LFP transform summed over units) and
 * the 4 Hz component of the population field (the sum over units of |LFP|) as theta (real part) and
 * phase (angle), exactly as {@code export} computes them over a whole recording (docs/signals.md),
 * but one sample at a time through {@link WaveletStream}s.
 *
 * <p>The transform at sample t needs the samples up to t + window/2, so the values a frame carries
 * are those of the sample {@link FrameLayout#spectralLatency()} frames earlier (NaN until then).
 * The LFP is stored per second (as {@code export}'s LFP) and fed as it is, and
 * the stream runs across epochs and trials like the offline transform runs over the concatenated
 * recording.
 *
 * <p>Every sample is pushed into the transforms (a copy), but the sums, the expensive part, are
 * computed only for epochs run while a subscriber asks for a spectral channel; otherwise the rows
 * carry NaN. Allocation-free after construction. Not thread-safe: confined to its scheme engine.
 */
final class SpectralChannels {
    private static final double MIN_FRAME_RATE_HZ = 8; // the lowest analysed frequency (4 Hz) must lie below Nyquist

    private final FrameLayout layout;
    private final HanningWavelet wavelet;
    private final WaveletStream[] units; // per factor: one channel per unit's LFP
    private final WaveletStream[] field; // per factor: the population field
    private final double[] unitLfp;
    private final double[] fieldValue = new double[1];
    private final double[] reIm = new double[2];

    SpectralChannels(FrameLayout layout) {
        this.layout = layout;
        this.wavelet = layout.wavelet();
        int nf = layout.factorCount();
        this.units = new WaveletStream[nf];
        this.field = new WaveletStream[nf];
        HanningWavelet theta =
                new HanningWavelet(new double[] {wavelet.frequency(0)}, wavelet.window(), wavelet.samplesPerSecond());
        int maxUnits = 1;
        for (int f = 0; f < nf; f++) {
            int n = layout.stateCount(f) * layout.epochs();
            units[f] = new WaveletStream(wavelet, n);
            field[f] = new WaveletStream(theta, 1);
            maxUnits = Math.max(maxUnits, n);
        }
        this.unitLfp = new double[maxUnits];
    }

    /**
     * The transform of a stream at {@code frameRateHz}: SPM's 4, 5, ..., 32 Hz over a quarter-second
     * window, limited to frequencies up to Nyquist; null below 8 Hz.
     */
    static HanningWavelet wavelet(double frameRateHz) {
        if (!(frameRateHz >= MIN_FRAME_RATE_HZ)) return null;
        if (frameRateHz >= 64) return HanningWavelet.spm(frameRateHz);
        int top = (int) Math.min(32, Math.floor(frameRateHz / 2));
        double[] hz = new double[top - 3];
        for (int k = 0; k < hz.length; k++) hz[k] = 4 + k;
        int n = (int) Math.round(frameRateHz / 4);
        return new HanningWavelet(hz, Math.max(2, n + (n % 2)), frameRateHz);
    }

    /**
     * Pushes the epoch's ni rows (their lfp block) and writes the spectral block of each row.
     *
     * @param rows    ni rows of {@code layout.storedSize()} values: lfp read, tf/theta/phase written. Modified.
     * @param compute whether to compute the sums (else the spectral values are NaN)
     */
    void fill(double[] rows, int ni, boolean compute) {
        int size = layout.storedSize();
        int lfp = layout.offset(SignalKind.LFP);
        int tf = layout.offset(SignalKind.TF);
        int theta = layout.offset(SignalKind.THETA);
        int phase = layout.offset(SignalKind.PHASE);
        int nq = wavelet.frequencyCount();
        int T = layout.epochs();
        for (int i = 0; i < ni; i++) {
            int row = i * size;
            for (int f = 0; f < units.length; f++) {
                int ns = layout.stateCount(f);
                double population = 0;
                for (int j = 0; j < T; j++) {
                    for (int s = 0; s < ns; s++) {
                        double v = rows[row + lfp + layout.perFactorIndex(f, s, j)]; // per second, as export's
                        unitLfp[s + ns * j] = v; // SPM's unit order s + Ns * tau
                        population += Math.abs(v);
                    }
                }
                fieldValue[0] = population;
                boolean ready = units[f].push(unitLfp, 0);
                field[f].push(fieldValue, 0);
                if (compute && ready) {
                    units[f].magnitudes(rows, row + tf + f * nq);
                    field[f].component(0, reIm, 0);
                    rows[row + theta + f] = reIm[0];
                    rows[row + phase + f] = Math.atan2(reIm[1], reIm[0]);
                } else {
                    Arrays.fill(rows, row + tf + f * nq, row + tf + (f + 1) * nq, Double.NaN);
                    rows[row + theta + f] = Double.NaN;
                    rows[row + phase + f] = Double.NaN;
                }
            }
        }
    }
}
