package org.neuroflux.signal;

import org.neuroflux.random.UniformSource;

/**
 * Spike rasters as {@code spm_MDP_VB_LFP} draws them: each unit is shown as a small population of
 * neurons (16) and each sample is split into sub-bins (16); in every sub-bin each neuron fires with
 * probability {@code rate * 15/16}, independently (a Bernoulli draw per neuron and sub-bin). At SPM's
 * 64 Hz a sub-bin is 1/1024 s.
 *
 * <p>Draw order, which makes a seeded raster reproducible and lets a stream draw exactly what the
 * offline raster draws: sample by sample; within a sample, unit by unit; within a unit, neuron by
 * neuron; within a neuron, sub-bin by sub-bin; one uniform per draw, a spike when it is below the
 * probability.
 *
 * <p>Immutable; thread-safe (the random source is not: one per stream). No allocation.
 */
public final class SpikeRaster {
    private final int neurons;
    private final int subBins;
    private final double gain;

    /** SPM's raster: 16 neurons per unit, 16 sub-bins per sample, probability rate * 15/16. */
    public SpikeRaster() {
        this(16, 16, 15.0 / 16);
    }

    public SpikeRaster(int neuronsPerUnit, int subBinsPerSample, double gain) {
        if (neuronsPerUnit < 1 || subBinsPerSample < 1) {
            throw new IllegalArgumentException(
                    "need >= 1 neuron and sub-bin, was " + neuronsPerUnit + ", " + subBinsPerSample);
        }
        if (!(gain >= 0 && gain <= 1)) throw new IllegalArgumentException("gain must be in [0, 1], was " + gain);
        this.neurons = neuronsPerUnit;
        this.subBins = subBinsPerSample;
        this.gain = gain;
    }

    public int neuronsPerUnit() {
        return neurons;
    }

    public int subBinsPerSample() {
        return subBins;
    }

    /** Spike probability per neuron and sub-bin at a given rate (clamped to [0, 1]). */
    public double probability(double rate) {
        return Math.min(1, Math.max(0, rate)) * gain;
    }

    /**
     * Draws one sample for all units.
     *
     * @param rates  the units' rates at this sample. Not modified.
     * @param spikes receives units * neurons * subBins flags at [off + (u * neurons + r) * subBins + b],
     *               or null to draw and count only. Modified.
     * @param counts receives each unit's spike count (0 .. neurons * subBins) at countsOff + u, or null.
     *               Modified.
     * @return the total number of spikes
     */
    public int sample(
            double[] rates,
            int ratesOff,
            int units,
            UniformSource random,
            boolean[] spikes,
            int off,
            int[] counts,
            int countsOff) {
        int total = 0;
        for (int u = 0; u < units; u++) {
            double p = probability(rates[ratesOff + u]);
            int count = 0;
            for (int r = 0; r < neurons; r++) {
                for (int b = 0; b < subBins; b++) {
                    boolean spike = random.nextUniform() < p;
                    if (spikes != null) spikes[off + (u * neurons + r) * subBins + b] = spike;
                    if (spike) count++;
                }
            }
            if (counts != null) counts[countsOff + u] = count;
            total += count;
        }
        return total;
    }
}
