package org.neuroflux.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.library.ModelFiles;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.RandomStreamKind;

/**
 * A model file's trials, run the way {@code simulate} runs them: the file's trials in order (an SPM
 * struct array carries learned counts a, b, c, d and e from trial to trial), and trials beyond the file's repeat its
 * last one. Shared by {@code export} and {@code figures}.
 */
final class ModelRun {
    final LoadedModel loaded;
    final GenerativeModel[] models;
    final TrialFixture[] fixtures;

    private ModelRun(LoadedModel loaded, int trials) {
        this.loaded = loaded;
        models = new GenerativeModel[trials];
        fixtures = new TrialFixture[trials];
        for (int i = 0; i < trials; i++) {
            int from = Math.min(i, loaded.models().size() - 1);
            models[i] = loaded.models().get(from);
            fixtures[i] = loaded.fixtures().get(from);
        }
    }

    /** Loads the file within the limits (warnings go to stderr) and lays out N trials (default: the file's). */
    static ModelRun load(Path file, boolean forceSpm, Integer trials, ModelLimits limits)
            throws IOException, ModelValidationException {
        LoadedModel loaded = ModelFiles.load(file, forceSpm, limits);
        System.err.print(ModelFiles.describe(loaded.warnings()));
        int n = trials == null ? loaded.models().size() : trials;
        if (n < 1) throw new UserException("--trials must be >= 1, was " + n);
        return new ModelRun(loaded, n);
    }

    GenerativeModel model() {
        return models[0];
    }

    int trials() {
        return models.length;
    }

    /** Runs every trial with a fresh stream seeded with seed. */
    TrialTrace[] run(SolverOptions options, RandomStreamKind streams, long seed) {
        return new TrialRunner(models[0], options).runSequence(models, fixtures, streams.create(seed));
    }

    /** Runs every trial as {@link #run} does, handing each trace to the sink as it ends (none is kept). */
    void run(SolverOptions options, RandomStreamKind streams, long seed, TrialRunner.TraceSink sink) {
        new TrialRunner(models[0], options).runSequence(models, fixtures, streams.create(seed), sink);
    }
}
