package org.neuroflux.pipeline;

import java.util.List;
import java.util.Objects;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.GenerativeModel;

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
 */
public record SessionSpec(String modelName, GenerativeModel model, List<Scheme> schemes, SolverOptions options,
                          SourceType source, List<Observation> replay, boolean loopReplay, double iterationMs, long seed,
                          ValueMapping mapping, boolean pinned) {
    public SessionSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(source, "source");
        schemes = List.copyOf(schemes);
        replay = List.copyOf(replay);
        if (schemes.isEmpty()) throw new IllegalArgumentException("schemes must not be empty");
        if (schemes.stream().distinct().count() != schemes.size()) throw new IllegalArgumentException("schemes must not repeat");
        if (iterationMs < 0 || Double.isNaN(iterationMs)) throw new IllegalArgumentException("iterationMs must be >= 0, was " + iterationMs);
    }

    public boolean maxPacing() { return iterationMs == 0; }
}
