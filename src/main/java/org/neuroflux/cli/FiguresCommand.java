package org.neuroflux.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.dynamics.InformationLength;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.experiment.CueParadigm;
import org.neuroflux.export.LevelTraces;
import org.neuroflux.export.Recording;
import org.neuroflux.export.RecordingBuilder;
import org.neuroflux.figure.FigureData;
import org.neuroflux.figure.Figures;
import org.neuroflux.figure.InformationLengthFigure;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.RandomStreamKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neuroflux figures}: SPM-style electrophysiology figures and the information-length comparison, as PNG. */
@Command(
        name = "figures",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Simulate trials of a model and render PNG figures (docs/signals.md): firing-rates (unit-by-time image), "
                    + "lfp, time-frequency (with theta phase), dopamine, raster, mismatch (deviant minus standard), and "
                    + "information-length (both schemes per trial, the paper's figure).",
            "",
            "The information-length panel runs every agent under the natural-gradient fork and under SPM's active "
                    + "inference on paired streams (agent m seeded seed + m), as `experiment` does.",
            "",
            "A deep model gets one directory of figures per level (DIR/level1, DIR/level2, ...)."
        })
public final class FiguresCommand implements Callable<Integer> {
    @Mixin
    SimulationOptions simulation;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = "--factor",
            paramLabel = "NAME",
            defaultValue = "1",
            description = "Factor shown, by name or 1-based index. Default: ${DEFAULT-VALUE}.")
    String factor;

    @Option(
            names = "--agents",
            paramLabel = "N",
            defaultValue = "8",
            description = "Agents averaged in the information-length panel (0 skips it). Default: ${DEFAULT-VALUE}.")
    int agents;

    @Option(
            names = "--like-for-like",
            description =
                    "Information length: run natural gradient with SPM's settings (Ni=16, SPM's gate) instead of the fork's.")
    boolean likeForLike;

    @Option(
            names = "--paradigm",
            paramLabel = "NAME",
            description =
                    "cue: DEM_demo_MDP_X's learning run on a T-maze whose cue is visited (config/models/tmaze-cue.yaml): "
                            + "context right-better in trials 1 and 3, left-better otherwise, d learned; writes cue-dopamine.png, the "
                            + "responses to the cue (CS) and to the reward outcome (US) over the trials (--trials, default 32), and prints them.")
    String paradigm;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Directory for the PNG files (created if needed).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (agents < 0) throw new UserException("--agents must be >= 0, was " + agents);
        SolverOptions options = simulation.solverOptions();
        RandomStreamKind streams = simulation.streams();
        long seed = simulation.seed;
        if (paradigm != null) return cue(options, streams, seed);
        ModelRun run = simulation.load();
        int f = ExportCommand.parseFactors(List.of(factor), run.model())[0];
        TrialTrace[] traces = run.run(options, streams, seed);
        PrintWriter console = spec.commandLine().getOut();
        List<GenerativeModel> levels = LevelTraces.models(run.model());
        List<TrialTrace[]> byLevel = LevelTraces.trials(traces);
        for (int level = 0; level < levels.size(); level++) {
            // a deep model: one directory per level; below the top, the factor the level above links to
            GenerativeModel model = levels.get(level);
            int shown = level == 0 ? f : levels.get(level - 1).subordinate().linkedFactors()[0];
            RecordingBuilder builder = new RecordingBuilder(
                            model, options.scheme().label())
                    .signals(Figures.SIGNALS)
                    .factors(shown);
            if (levels.size() > 1) builder.level(level + 1);
            Recording rec = builder.build(byLevel.get(level));
            Path dir = levels.size() > 1 ? out.resolve("level" + (level + 1)) : out;
            for (Figures.Output o : Figures.write(new FigureData(model, byLevel.get(level), rec, shown, seed), dir))
                report(console, o);
        }
        if (agents > 0) {
            SolverOptions ng =
                    likeForLike ? SolverOptions.spm().withScheme(Scheme.NATURAL_GRADIENT) : SolverOptions.nat3();
            SolverOptions ai = SolverOptions.spm();
            double[][] lengthsNg = new double[agents][];
            double[][] lengthsAi = new double[agents][];
            for (int m = 0; m < agents; m++) {
                lengthsNg[m] = lengths(run.run(ng, streams, seed + m));
                lengthsAi[m] = lengths(run.run(ai, streams, seed + m));
            }
            report(
                    console,
                    Figures.writeInformationLength(
                            run.model().name(),
                            out,
                            new InformationLengthFigure.Series(
                                    "natural gradient (" + (likeForLike ? "Ni=16, SPM's gate" : "nat3: Ni=512") + ")",
                                    lengthsNg),
                            new InformationLengthFigure.Series("active inference (spm: Ni=16)", lengthsAi)));
        }
        console.flush();
        return 0;
    }

    private Integer cue(SolverOptions options, RandomStreamKind streams, long seed) throws Exception {
        if (!paradigm.equals("cue")) throw new UserException("--paradigm '" + paradigm + "' is not one of cue");
        ModelRun run = simulation.load();
        CueParadigm cue;
        try {
            cue = CueParadigm.of(run.model());
        } catch (IllegalArgumentException e) {
            throw new UserException("--paradigm cue: " + e.getMessage());
        }
        int n = simulation.trials == null ? 32 : simulation.trials;
        double[][] r = cue.responses(cue.run(n, options, streams.create(seed)));
        PrintWriter console = spec.commandLine().getOut();
        console.println(
                "trial  cue (CS)  outcome (US)   change of expected precision over the epoch that brought each");
        for (int k = 0; k < n; k++) console.printf(Locale.ROOT, "%5d %9.4f %13.4f%n", k + 1, r[0][k], r[1][k]);
        report(console, Figures.writeCueResponses(run.model().name(), out, r[0], r[1]));
        console.flush();
        return 0;
    }

    /** The authors' per-trial score: cat_inf_length summed over factors. */
    static double[] lengths(TrialTrace[] traces) {
        double[] out = new double[traces.length];
        for (int k = 0; k < traces.length; k++) {
            for (double[] xn : traces[k].xn) out[k] += InformationLength.pooledChordLength(xn, traces[k].iterations);
        }
        return out;
    }

    private static void report(PrintWriter console, Figures.Output o) {
        if (o.file() != null) console.printf(Locale.ROOT, "wrote %s%n", o.file());
        else console.printf(Locale.ROOT, "skipped %s: %s%n", o.name(), o.skipped());
    }
}
