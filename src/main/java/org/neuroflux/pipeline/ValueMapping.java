package org.neuroflux.pipeline;

import java.util.List;

/**
 * Maps raw sensor values (one per modality) to outcome likelihoods: a Gaussian per outcome,
 * p(o | v) proportional to N(v; mean_o, sd_o), normalised. Declared in the session request as
 * {@code mapping: {type: gaussian, modalities: [{means: [...], sds: [...]}, ...]}}.
 */
public record ValueMapping(List<Gaussians> modalities) {
    /** One modality's outcome means and standard deviations. */
    public record Gaussians(double[] means, double[] sds) {}

    /**
     * The outcome distribution of a value, in a new array; null if every likelihood underflows
     * (the value is too far from every mean to tell the outcomes apart).
     */
    public double[] likelihood(int g, double value) {
        Gaussians m = modalities.get(g);
        int n = m.means().length;
        double[] logp = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int o = 0; o < n; o++) {
            double z = (value - m.means()[o]) / m.sds()[o];
            logp[o] = -0.5 * z * z - Math.log(m.sds()[o]);
            max = Math.max(max, logp[o]);
        }
        if (!Double.isFinite(max)) return null;
        double sum = 0;
        for (int o = 0; o < n; o++) {
            logp[o] = Math.exp(logp[o] - max);
            sum += logp[o];
        }
        for (int o = 0; o < n; o++) logp[o] /= sum;
        return logp;
    }
}
