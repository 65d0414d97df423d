package org.neuroflux.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.dynamics.IntegrationMode;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.export.TidyTraceWriter;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.RandomStreamKind;
import org.neuroflux.random.UniformSource;
import org.neuroflux.spm.SpmOutputWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code neuroflux simulate}: runs trials of a model offline and writes SPM's outputs or tidy rows. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run trials of a model offline with SPM's solver (or the authors' natural-gradient fork) "
                + "and write the results.", "",
                "An SPM struct array runs its trials in order, carrying learned a and d from trial to trial as SPM does. "
                + "--trials N beyond the file's trials repeats its last struct."})
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Model file: SPM JSON (detected from its content) or the native YAML/JSON format.")
    Path model;

    @Option(names = "--trials", paramLabel = "N", description = "Number of trials (default: the trials in the file).")
    Integer trials;

    @Option(names = "--scheme", paramLabel = "SCHEME", description = "active-inference or natural-gradient (default: the preset's).")
    String scheme;

    @Option(names = "--preset", paramLabel = "PRESET", defaultValue = "spm",
            description = "spm: SPM r7487 (AI, Ni=16, SPM's gate, precision step /2); nat3: the authors' fork exactly "
                    + "(NG, Ni=512, freezing gate, step /tau, precision under one-step policies). Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--iterations", paramLabel = "N", description = "Iterations per epoch Ni (overrides the preset's).")
    Integer iterations;

    @Option(names = "--integration", paramLabel = "MODE", defaultValue = "discrete",
            description = "discrete (SPM's sweep), rk4 (continuous time, fixed step --step) or adaptive (continuous time, "
                    + "Dormand-Prince 5(4)). Default: ${DEFAULT-VALUE}.")
    String integration;

    @Option(names = "--step", paramLabel = "ITER", defaultValue = "0.25",
            description = "RK4 step in iterations (1/tau model time each), in (0, 1]. Default: ${DEFAULT-VALUE}.")
    double step;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the random stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rng", paramLabel = "KIND", defaultValue = "splitmix",
            description = "Random stream: splitmix (SplitMix64, our default) or matlab (MATLAB's rng(seed): MT19937). Default: ${DEFAULT-VALUE}.")
    String rng;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "spm-json",
            description = "spm-json (SPM's output fields and layouts), jsonl or csv (one row per iteration and unit). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--out", paramLabel = "PATH", description = "Output file (default: standard output).")
    Path out;

    @Option(names = "--spm", description = "Read the model as SPM JSON even if detection says otherwise.")
    boolean forceSpm;

    @Override
    public Integer call() throws Exception {
        SolverOptions options = Presets.options(preset, scheme, iterations).withIntegration(Presets.integration(integration, step));
        RandomStreamKind streamKind = Presets.stream(rng);
        LoadedModel loaded = ModelFiles.load(model, forceSpm);
        System.err.print(ModelFiles.describe(loaded.warnings()));
        int n = trials == null ? loaded.models().size() : trials;
        if (n < 1) throw new UserException("--trials must be >= 1, was " + n);
        GenerativeModel[] models = new GenerativeModel[n];
        TrialFixture[] fixtures = new TrialFixture[n];
        for (int i = 0; i < n; i++) {
            int from = Math.min(i, loaded.models().size() - 1);
            models[i] = loaded.models().get(from);
            fixtures[i] = loaded.fixtures().get(from);
        }
        UniformSource random = streamKind.create(seed);
        TrialTrace[] traces = new TrialRunner(models[0], options).runSequence(models, fixtures, random);
        try (Writer w = out == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            switch (format) {
                case "spm-json" -> {
                    ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
                    w.write(mapper.writeValueAsString(SpmOutputWriter.write(traces)));
                    w.write('\n');
                }
                case "jsonl" -> TidyTraceWriter.write(w, TidyTraceWriter.Format.JSONL, models[0], options.scheme().label(), traces);
                case "csv" -> TidyTraceWriter.write(w, TidyTraceWriter.Format.CSV, models[0], options.scheme().label(), traces);
                default -> throw new UserException("--format '" + format + "' is not one of spm-json, jsonl, csv");
            }
        }
        return 0;
    }

    /** Parsing of the solver options shared by simulate and experiment. */
    static final class Presets {
        private Presets() {}

        static SolverOptions options(String preset, String scheme, Integer iterations) {
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
            return options;
        }

        static IntegrationMode integration(String mode, double step) {
            return switch (mode) {
                case "discrete" -> IntegrationMode.discrete();
                case "adaptive" -> IntegrationMode.adaptive();
                case "rk4" -> {
                    if (!(step > 0 && step <= 1)) throw new UserException("--step must be in (0, 1] iterations, was " + step);
                    yield IntegrationMode.fixedRk4(step);
                }
                default -> throw new UserException("--integration '" + mode + "' is not one of discrete, rk4, adaptive");
            };
        }

        static RandomStreamKind stream(String rng) {
            try {
                return RandomStreamKind.parse(rng);
            } catch (IllegalArgumentException e) {
                throw new UserException("--rng: " + e.getMessage());
            }
        }
    }
}
