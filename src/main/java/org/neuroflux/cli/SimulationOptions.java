package org.neuroflux.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.dynamics.IntegrationMode;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.random.RandomStreamKind;
import picocli.CommandLine.Option;

/**
 * The options every command that simulates a model file shares (simulate, export, figures): the
 * model, how many trials, the solver preset and overrides, and the random stream.
 */
final class SimulationOptions {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "FILE",
            description = "Model file: SPM JSON (detected from its content) or the native YAML/JSON format.")
    Path model;

    @Option(
            names = "--trials",
            paramLabel = "N",
            description = "Number of trials (default: the trials in the file; beyond them its last trial repeats).")
    Integer trials;

    @Option(
            names = "--scheme",
            paramLabel = "SCHEME",
            description =
                    "active-inference, natural-gradient or euclidean (the non-natural baseline: Euclidean projected gradient "
                            + "step); ai, ng, eu for short (default: the preset's).")
    String scheme;

    @Option(
            names = "--preset",
            paramLabel = "PRESET",
            defaultValue = "spm",
            description =
                    "spm: SPM r7487 (AI, Ni=16, SPM's gate, precision step /2); nat3: the authors' fork exactly "
                            + "(NG, Ni=512, freezing gate, step /tau, precision under one-step policies). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--iterations", paramLabel = "N", description = "Iterations per epoch Ni (overrides the preset's).")
    Integer iterations;

    @Option(
            names = "--integration",
            paramLabel = "MODE",
            defaultValue = "discrete",
            description =
                    "discrete (SPM's sweep), rk4 (continuous time, fixed step --step) or adaptive (continuous time, "
                            + "Dormand-Prince 5(4)). Continuous time runs active inference's flow or the Euclidean one (rk4 only); "
                            + "natural-gradient and --preset nat3 are refused there. Default: ${DEFAULT-VALUE}.")
    String integration;

    @Option(
            names = "--step",
            paramLabel = "ITER",
            defaultValue = "0.25",
            description = "RK4 step in iterations (1/tau model time each), in (0, 1]. Default: ${DEFAULT-VALUE}.")
    double step;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "0",
            description =
                    "Seed of the random stream (spikes, where drawn, use their own SplitMix64 stream with the same seed). "
                            + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--rng",
            paramLabel = "KIND",
            defaultValue = "splitmix",
            description =
                    "Random stream: splitmix (SplitMix64, our default) or matlab (MATLAB's rng(seed): MT19937). Default: ${DEFAULT-VALUE}.")
    String rng;

    @Option(names = "--spm", description = "Read the model as SPM JSON even if detection says otherwise.")
    boolean forceSpm;

    /**
     * The solver options: the preset, then --scheme, --iterations and --integration over it.
     * Combinations that would silently ignore a setting are refused.
     */
    SolverOptions solverOptions() {
        SolverOptions options = switch (preset) {
            case "spm" -> SolverOptions.spm();
            case "nat3" -> SolverOptions.nat3();
            default -> throw new UserException("--preset '" + preset + "' is not one of spm, nat3");
        };
        if (scheme != null) {
            try {
                options = options.withScheme(Scheme.parse(scheme));
            } catch (IllegalArgumentException e) {
                throw new UserException("--scheme: " + e.getMessage());
            }
        }
        if (iterations != null) {
            if (iterations < 1) throw new UserException("--iterations must be >= 1, was " + iterations);
            options = options.withIterations(iterations);
        }
        IntegrationMode mode = integrationMode();
        if (mode.continuous()) {
            if (preset.equals("nat3")) {
                throw new UserException(
                        "--preset nat3 with --integration " + integration
                                + ": continuous time has no convergence gate, "
                                + "so the fork's freezing gate would be dropped; use --preset spm (with --iterations 512 for the fork's epoch length)");
            }
            if (options.scheme() == Scheme.NATURAL_GRADIENT) {
                throw new UserException(
                        "--scheme natural-gradient with --integration " + integration + ": in continuous time the "
                                + "natural-gradient step s + s*eps/tau is the active-inference flow (the same replicator flow to O(1/tau^2)), "
                                + "so the run would be active inference labelled natural-gradient; use --scheme active-inference");
            }
        }
        try {
            return options.withIntegration(mode);
        } catch (IllegalArgumentException e) {
            throw new UserException("--scheme " + options.scheme().label() + " with --integration " + integration + ": "
                    + e.getMessage());
        }
    }

    private IntegrationMode integrationMode() {
        return switch (integration) {
            case "discrete" -> IntegrationMode.discrete();
            case "adaptive" -> IntegrationMode.adaptive();
            case "rk4" -> {
                if (!(step > 0 && step <= 1))
                    throw new UserException("--step must be in (0, 1] iterations, was " + step);
                yield IntegrationMode.fixedRk4(step);
            }
            default ->
                throw new UserException("--integration '" + integration + "' is not one of discrete, rk4, adaptive");
        };
    }

    RandomStreamKind streams() {
        return stream(rng);
    }

    /** Parses --rng values, for commands that take --rng without the rest of these options. */
    static RandomStreamKind stream(String rng) {
        try {
            return RandomStreamKind.parse(rng);
        } catch (IllegalArgumentException e) {
            throw new UserException("--rng: " + e.getMessage());
        }
    }

    @picocli.CommandLine.Mixin
    ModelLimitOptions modelLimits = new ModelLimitOptions();

    /** Loads the model within the size limits; T x Ni beyond maxIterationsPerTrial is a user error. */
    ModelRun load() throws IOException, ModelValidationException {
        ModelLimits limits = modelLimits.limits();
        ModelRun run = ModelRun.load(model, forceSpm, trials, limits);
        String iterations =
                limits.iterationsProblem(run.model().epochs(), solverOptions().iterations());
        if (iterations != null)
            throw new UserException(
                    model + ": " + iterations + "; raise it with --model-limit maxIterationsPerTrial=N");
        return run;
    }
}
