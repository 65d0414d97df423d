package org.neuroflux.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.export.EdfWriter;
import org.neuroflux.export.LevelTraces;
import org.neuroflux.export.Recording;
import org.neuroflux.export.RecordingBuilder;
import org.neuroflux.export.SignalTableWriter;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.RandomStreamKind;
import org.neuroflux.signal.SignalKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neuroflux export}: synthesised electrophysiology of simulated trials as EDF+, CSV or JSON Lines. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Simulate trials of a model and export their synthesised electrophysiology (docs/signals.md): "
                    + "firing rates, membrane potentials, LFPs, ERPs, time-frequency, theta, spikes, dopamine, precision.",
            "",
            "One iteration is 1/64 s, so an epoch of 16 iterations lasts 250 ms. EDF+ files carry annotations for "
                    + "epochs, outcomes and actions and open in MNE-Python (mne.io.read_raw_edf) or EDFbrowser.",
            "",
            "A deep model is exported one file per level (FILE.level1.EXT, FILE.level2.EXT, ...; --out required), "
                    + "channels labelled by level."
        })
public final class ExportCommand implements Callable<Integer> {
    @Mixin
    SimulationOptions simulation;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", required = true, description = "edf, csv or jsonl.")
    String format;

    @Option(
            names = "--layout",
            paramLabel = "LAYOUT",
            defaultValue = "long",
            description =
                    "csv/jsonl: long (one row per sample and channel) or wide (one row per sample, a column per channel). Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(
            names = "--signals",
            paramLabel = "LIST",
            split = ",",
            description =
                    "Signals to export, comma-separated, or 'all': rate, potential, lfp, erp, tf, theta, phase, spikes, "
                            + "dopamine, precision. Default: rate,lfp,theta,phase,dopamine,precision.")
    List<String> signals;

    @Option(
            names = "--factors",
            paramLabel = "LIST",
            split = ",",
            description = "Factors whose units are exported, by name or 1-based index (default: all).")
    List<String> factors;

    @Option(
            names = "--out",
            paramLabel = "PATH",
            description = "Output file (required for edf; csv/jsonl default to standard output).")
    Path out;

    @Override
    public Integer call() throws Exception {
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!List.of("edf", "csv", "jsonl").contains(fmt))
            throw new UserException("--format '" + format + "' is not one of edf, csv, jsonl");
        SignalTableWriter.Layout tableLayout = switch (layout.toLowerCase(Locale.ROOT)) {
            case "long" -> SignalTableWriter.Layout.LONG;
            case "wide" -> SignalTableWriter.Layout.WIDE;
            default -> throw new UserException("--layout '" + layout + "' is not one of long, wide");
        };
        if (fmt.equals("edf") && out == null) throw new UserException("--format edf needs --out FILE (EDF is binary)");
        SolverOptions options = simulation.solverOptions();
        RandomStreamKind streams = simulation.streams();
        long seed = simulation.seed;
        ModelRun run = simulation.load();
        Set<SignalKind> kinds = parseSignals(signals);
        List<GenerativeModel> levels = LevelTraces.models(run.model());
        if (levels.size() > 1 && out == null) {
            throw new UserException(
                    "a deep model is exported one file per level: give --out FILE (level k goes to FILE with .level<k> before its extension)");
        }
        int[] picked = factors == null ? null : parseFactors(factors, run.model());
        TrialTrace[] traces = run.run(options, streams, seed);
        List<TrialTrace[]> byLevel = LevelTraces.trials(traces);
        if (out != null && out.toAbsolutePath().getParent() != null)
            Files.createDirectories(out.toAbsolutePath().getParent());
        for (int level = 0; level < levels.size(); level++) {
            RecordingBuilder builder = new RecordingBuilder(
                            levels.get(level), options.scheme().label())
                    .signals(kinds)
                    .spikeSeed(seed);
            if (picked != null && level == 0) builder.factors(picked); // --factors names the top level's factors
            if (levels.size() > 1) builder.level(level + 1);
            Recording rec;
            try {
                rec = builder.build(byLevel.get(level));
            } catch (IllegalArgumentException e) {
                throw new UserException((levels.size() > 1 ? "level " + (level + 1) + ": " : "") + e.getMessage());
            }
            write(fmt, tableLayout, rec, levels.size() > 1 ? LevelTraces.fileOf(out, level + 1) : out);
        }
        return 0;
    }

    private void write(String fmt, SignalTableWriter.Layout tableLayout, Recording rec, Path out)
            throws java.io.IOException {
        if (fmt.equals("edf")) {
            EdfWriter.write(rec, out);
        } else {
            SignalTableWriter.Format tableFormat =
                    fmt.equals("csv") ? SignalTableWriter.Format.CSV : SignalTableWriter.Format.JSONL;
            try (Writer w = out == null
                    ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                    : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                SignalTableWriter.write(w, rec, tableFormat, tableLayout);
            }
        }
        if (out != null) {
            spec.commandLine()
                    .getOut()
                    .printf(
                            Locale.ROOT,
                            "wrote %s: %d channels x %d samples (%.3f s at %.0f Hz), %d annotations%n",
                            out,
                            rec.channels().size(),
                            rec.sampleCount(),
                            rec.sampleCount() / rec.timebase().samplesPerSecond(),
                            rec.timebase().samplesPerSecond(),
                            rec.annotations().size());
            spec.commandLine().getOut().flush();
        }
    }

    static Set<SignalKind> parseSignals(List<String> names) {
        if (names == null || names.isEmpty()) return RecordingBuilder.DEFAULT_SIGNALS;
        Set<SignalKind> kinds = EnumSet.noneOf(SignalKind.class);
        for (String n : names) {
            if (n.trim().equalsIgnoreCase("all")) return SignalKind.exportedKinds();
            try {
                kinds.add(SignalKind.parse(n, SignalKind.exportedKinds(), "signal"));
            } catch (IllegalArgumentException e) {
                throw new UserException("--signals: " + e.getMessage());
            }
        }
        return kinds;
    }

    static int[] parseFactors(List<String> names, GenerativeModel model) {
        List<Integer> picked = new ArrayList<>();
        for (String n : names) {
            String key = n.trim();
            int found = -1;
            for (int f = 0; f < model.factorCount(); f++)
                if (model.factors().get(f).name().equals(key)) found = f;
            if (found < 0 && key.matches("\\d+")) {
                int i = Integer.parseInt(key) - 1;
                if (i >= 0 && i < model.factorCount()) found = i;
            }
            if (found < 0) {
                List<String> known = new ArrayList<>();
                for (int f = 0; f < model.factorCount(); f++)
                    known.add((f + 1) + "=" + model.factors().get(f).name());
                throw new UserException("--factors: no factor '" + key + "' in " + model.name() + " (factors: "
                        + String.join(", ", known) + ")");
            }
            if (!picked.contains(found)) picked.add(found);
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }
}
