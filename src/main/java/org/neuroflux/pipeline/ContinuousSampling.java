package org.neuroflux.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.neuroflux.dynamics.IntegrationMode;
import org.neuroflux.signal.Timebase;

/**
 * How a continuous-time session samples the belief flow (docs/protocol.md, "Continuous sessions").
 *
 * <p>An epoch keeps its duration on the display clock, Ni iterations of 1/64 s, and its duration
 * in model time, Ni/tau. Sampling it at {@code sampleRateHz} gives {@code samplesPerEpoch = round(Ni /
 * 64 * rate)} samples; the solver then runs with Ni' = samplesPerEpoch and tau' = tau * Ni' / Ni, so
 * that Ni'/tau' = Ni/tau: the same flow over the same model time, sampled by the ODE integrator
 * exactly at the end of each of the Ni' sample intervals (never held). The effective rate
 * {@code samplesPerEpoch / (Ni / 64 s)} equals the requested one when Ni / 64 * rate is a whole
 * number (for Ni = 16: any multiple of 4 Hz), and is the nearest such rate otherwise.
 *
 * @param requestedHz       the rate the client asked for
 * @param iterationsPerEpoch Ni of the session's solver options before sampling
 * @param samplesPerEpoch   Ni', samples per epoch
 * @param mode              the ODE integration (adaptive Dormand-Prince by default)
 */
public record ContinuousSampling(
        double requestedHz, int iterationsPerEpoch, int samplesPerEpoch, IntegrationMode mode) {

    public ContinuousSampling {
        Objects.requireNonNull(mode, "mode");
        if (!mode.continuous()) throw new IllegalArgumentException("mode must be continuous, was " + mode.method());
        if (!(requestedHz > 0) || Double.isInfinite(requestedHz))
            throw new IllegalArgumentException("requestedHz must be > 0, was " + requestedHz);
        if (iterationsPerEpoch < 1)
            throw new IllegalArgumentException("iterationsPerEpoch must be >= 1, was " + iterationsPerEpoch);
        if (samplesPerEpoch < 2)
            throw new IllegalArgumentException("samplesPerEpoch must be >= 2, was " + samplesPerEpoch);
    }

    /** Samples per epoch for a rate: round(Ni / 64 * rate). */
    public static int samplesPerEpoch(int iterationsPerEpoch, double sampleRateHz) {
        return (int) Math.min(
                Integer.MAX_VALUE, Math.round(iterationsPerEpoch * Timebase.SPM_ITERATION_SECONDS * sampleRateHz));
    }

    /** Epoch duration on the display clock, seconds: Ni / 64. */
    public double epochSeconds() {
        return iterationsPerEpoch * Timebase.SPM_ITERATION_SECONDS;
    }

    /** The effective sampling rate, Hz: Ni' / (Ni / 64 s). */
    public double sampleRateHz() {
        return samplesPerEpoch / epochSeconds();
    }

    /** Display seconds between samples: (Ni / 64) / Ni'. */
    public double sampleSeconds() {
        return epochSeconds() / samplesPerEpoch;
    }

    /** Samples per 1/64 s iteration, Ni' / Ni: converts a per-sample difference into a per-iteration one. */
    public double samplesPerIteration() {
        return (double) samplesPerEpoch / iterationsPerEpoch;
    }

    /** tau' = tau * Ni' / Ni, so that the sampled epoch spans the same model time Ni / tau. */
    public double scaledTau(double tau) {
        return tau * samplesPerIteration();
    }

    /** As reported by the API and the stream header. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", mode.method() == IntegrationMode.Method.ADAPTIVE ? "adaptive" : "rk4");
        m.put("sampleRateHz", sampleRateHz());
        m.put("requestedRateHz", requestedHz);
        m.put("samplesPerEpoch", samplesPerEpoch);
        m.put("iterationsPerEpoch", iterationsPerEpoch);
        if (mode.method() == IntegrationMode.Method.ADAPTIVE) {
            m.put("absoluteTolerance", mode.absoluteTolerance());
            m.put("relativeTolerance", mode.relativeTolerance());
        } else {
            m.put("stepSamples", mode.stepIterations());
        }
        return m;
    }
}
