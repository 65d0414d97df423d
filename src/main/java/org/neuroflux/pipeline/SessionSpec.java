package org.neuroflux.pipeline;

import java.util.List;
import java.util.Objects;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.signal.Timebase;

/**
 * A validated session request.
 *
 * @param modelName    the library name, or "inline"
 * @param model        the generative model (its first trial)
 * @param schemes      the schemes run side by side on the same outcomes (at least one, no repeats)
 * @param options      solver options shared by the schemes (each gets its own scheme)
 * @param source       outcome source
 * @param replay       the observations a replay source feeds, in order (empty otherwise)
 * @param loopReplay   start the replay over when it ends
 * @param iterationMs  wall-clock duration of one iteration, or 0 for "max" (as fast as lossless subscribers take frames)
 * @param seed         seed of the session's random streams
 * @param mapping      value-to-likelihood mapping for {@code values} observations, or null
 * @param pinned       never deleted for idleness (the demo session)
 * @param continuous   how a continuous-time session samples the flow, or null for the discrete sweep; when set,
 *                     {@code model} (tau), {@code options} (Ni, integration) and {@code iterationMs} are already
 *                     those of the sampled solver: one "iteration" of the stream is one sample
 */
public record SessionSpec(
        String modelName,
        GenerativeModel model,
        List<Scheme> schemes,
        SolverOptions options,
        SourceType source,
        List<Observation> replay,
        boolean loopReplay,
        double iterationMs,
        long seed,
        ValueMapping mapping,
        boolean pinned,
        ContinuousSampling continuous) {
    public SessionSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(source, "source");
        schemes = List.copyOf(schemes);
        replay = List.copyOf(replay);
        if (schemes.isEmpty()) throw new IllegalArgumentException("schemes must not be empty");
        if (schemes.stream().distinct().count() != schemes.size())
            throw new IllegalArgumentException("schemes must not repeat");
        if (iterationMs < 0 || Double.isNaN(iterationMs))
            throw new IllegalArgumentException("iterationMs must be >= 0, was " + iterationMs);
        if (continuous != null
                && (!options.integration().continuous() || options.iterations() != continuous.samplesPerEpoch()))
            throw new IllegalArgumentException(
                    "a continuous session's options must integrate the flow with Ni = samplesPerEpoch ("
                            + continuous.samplesPerEpoch() + "), were "
                            + options.integration().method() + " with Ni = " + options.iterations());
        if (continuous != null && options.samplesPerIteration() != continuous.samplesPerIteration())
            throw new IllegalArgumentException("a continuous session's options must sample "
                    + continuous.samplesPerIteration() + " times per model iteration (Ni'/Ni), were "
                    + options.samplesPerIteration());
    }

    /** A discrete-time session. */
    public SessionSpec(
            String modelName,
            GenerativeModel model,
            List<Scheme> schemes,
            SolverOptions options,
            SourceType source,
            List<Observation> replay,
            boolean loopReplay,
            double iterationMs,
            long seed,
            ValueMapping mapping,
            boolean pinned) {
        this(modelName, model, schemes, options, source, replay, loopReplay, iterationMs, seed, mapping, pinned, null);
    }

    /**
     * A generative session of a catalog model with SPM's solver settings: the demo session.
     *
     * @param schemes scheme names, in order
     */
    public static SessionSpec generative(
            ModelCatalog.Entry entry, List<String> schemes, double iterationMs, long seed, boolean pinned) {
        List<Scheme> list = schemes.stream().map(Scheme::parse).toList();
        return new SessionSpec(
                entry.name(),
                entry.model(),
                list,
                SolverOptions.spm(),
                SourceType.GENERATIVE,
                List.of(),
                false,
                iterationMs,
                seed,
                null,
                pinned);
    }

    /**
     * Every scheme a session can run, as the API lists them: name, abbreviation, and whether it has a
     * continuous-time flow of its own (natural gradient's is active inference's).
     */
    public static List<java.util.Map<String, Object>> schemeCatalog() {
        return java.util.Arrays.stream(Scheme.values())
                .map(s -> java.util.Map.<String, Object>of(
                        "name", s.label(), "short", s.shortLabel(), "continuousFlow", s.hasOwnFlow()))
                .toList();
    }

    public boolean maxPacing() {
        return iterationMs == 0;
    }

    /** The schemes' names, in order (what frames and meters call them). */
    public List<String> schemeLabels() {
        return schemes.stream().map(Scheme::label).toList();
    }

    /** Index of the named scheme in this session, -1 when it does not run it; an unknown name throws IllegalArgumentException. */
    public int schemeIndex(String name) {
        return schemes.indexOf(Scheme.parse(name));
    }

    /** The model's factor names, in order. */
    public List<String> factorNames() {
        return model.factors().stream().map(f -> f.name()).toList();
    }

    /** Time points (epochs) per trial. */
    public int epochsPerTrial() {
        return model.epochs();
    }

    /** Display seconds between consecutive frames of a scheme: 1/64 s, or one sample of a continuous session. */
    public double frameSeconds() {
        return continuous == null ? Timebase.SPM_ITERATION_SECONDS : continuous.sampleSeconds();
    }

    /** Converts a per-frame difference into a per-iteration (1/64 s) one: 1, or samples per iteration. */
    public double framesPerIteration() {
        return continuous == null ? 1 : continuous.samplesPerIteration();
    }
}
