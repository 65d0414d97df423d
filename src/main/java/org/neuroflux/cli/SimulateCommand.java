package org.neuroflux.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.export.TidyTraceWriter;
import org.neuroflux.spm.SpmOutputWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code neuroflux simulate}: runs trials of a model offline and writes SPM's outputs or tidy rows. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run trials of a model offline with SPM's solver (or the authors' natural-gradient fork) "
                    + "and write the results.",
            "",
            "An SPM struct array runs its trials in order, carrying learned counts (a, b, c, d, e) from trial to trial as SPM does. "
                    + "--trials N beyond the file's trials repeats its last struct.",
            "",
            "A deep model (SPM's MDP.MDP with link, or lower in the native format) runs its lower level inside each "
                    + "higher epoch, as SPM does: spm-json then also writes O and mdp, jsonl/csv rows of every level with level "
                    + "and higher_epoch columns."
        })
public final class SimulateCommand implements Callable<Integer> {
    @Mixin
    SimulationOptions simulation;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "spm-json",
            description =
                    "spm-json (SPM's output fields and layouts), jsonl or csv (one row per iteration and unit). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--out", paramLabel = "PATH", description = "Output file (default: standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        SolverOptions options = simulation.solverOptions();
        ModelRun run = simulation.load();
        String scheme = options.scheme().label();
        if (!format.equals("spm-json") && !format.equals("jsonl") && !format.equals("csv")) {
            throw new UserException("--format '" + format + "' is not one of spm-json, jsonl, csv");
        }
        // each trial is written as soon as it has run and then dropped: memory does not grow with --trials
        try (Writer w = out == null
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            int trials = run.trials();
            switch (format) {
                case "spm-json" -> {
                    // one object for one trial; several: the JSON array written element by element
                    ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
                    if (trials > 1) w.write('[');
                    run.run(options, simulation.streams(), simulation.seed, (i, trace) -> {
                        ObjectNode o = SpmOutputWriter.write(trace);
                        if (trials > 1) {
                            o.put("trial", i + 1);
                            if (i > 0) w.write(',');
                        }
                        w.write(mapper.writeValueAsString(o));
                    });
                    if (trials > 1) w.write(']');
                    w.write('\n');
                }
                default -> {
                    TidyTraceWriter.Format tidy =
                            format.equals("csv") ? TidyTraceWriter.Format.CSV : TidyTraceWriter.Format.JSONL;
                    TidyTraceWriter.writeHeader(w, tidy, run.model());
                    run.run(
                            options,
                            simulation.streams(),
                            simulation.seed,
                            (i, trace) -> TidyTraceWriter.writeTrial(w, tidy, run.model(), scheme, i, trace));
                }
            }
        }
        return 0;
    }
}
