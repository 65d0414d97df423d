package org.neuroflux.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.dynamics.LaneMath;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.experiment.ParameterSweep;
import org.neuroflux.experiment.SweepParameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code neuroflux sweep}: a grid of parameter values, N agents each, one tidy CSV row per agent-trial. */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run N agents of a model at every point of a grid of parameter values and write a tidy CSV: "
                    + "one row per (point, agent, trial) with the values, information length, hit and free energy.",
            "",
            "Agent m of every point is seeded S + m (common random numbers across points). Learned a and d pass "
                    + "from trial to trial per agent. Agents run in lockstep batches on the batched solver."
        })
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SimulationOptions simulation;

    @Option(
            names = "--param",
            paramLabel = "NAME=VALUES",
            required = true,
            description = {
                "A swept quantity, repeatable (the grid is every combination). NAME: alpha, beta, tau, erp, zeta, eta, "
                        + "C:MODALITY:OUTCOME (that entry of C at every time point) or D:FACTOR:STATE (that entry of D, and of d when "
                        + "learned), by name or 1-based index. VALUES: a list 1,2,4 or a range LOW:HIGH:COUNT."
            })
    List<String> params = new ArrayList<>();

    @Option(
            names = "--agents",
            paramLabel = "N",
            defaultValue = "16",
            description = "Agents per grid point. Default: ${DEFAULT-VALUE}.")
    int agents;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            defaultValue = "sweep.csv",
            description = "Output CSV. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (agents < 1) throw new UserException("--agents must be >= 1, was " + agents);
        SolverOptions options = simulation.solverOptions();
        ModelRun run = simulation.load();
        List<SweepParameter> swept = new ArrayList<>();
        ParameterSweep sweep;
        try {
            for (String p : params) swept.add(SweepParameter.parse(p, run.model()));
            sweep = new ParameterSweep(run.models, run.fixtures, swept, options, simulation.streams(), simulation.seed);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) throw new UserException("--threads must be >= 1, was " + nThreads);
        int total = sweep.points() * agents * run.trials();
        PrintWriter console = spec.commandLine().getOut();
        console.printf(
                Locale.ROOT,
                "%d point(s) x %d agents x %d trials = %d agent-trials (%s, Ni=%d)%n",
                sweep.points(),
                agents,
                run.trials(),
                total,
                options.scheme().label(),
                options.iterations());
        console.printf(Locale.ROOT, "batched solver: %s%n", LaneMath.kernel());
        boolean tty = System.console() != null;
        long start = System.nanoTime();
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        String scheme = options.scheme().label();
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder("point");
            for (SweepParameter p : swept) header.append(',').append(p.column());
            w.write(header.append(",agent,trial,scheme,info_length,hit,free_energy\n")
                    .toString());
            StringBuilder line = new StringBuilder(128);
            sweep.run(
                    agents,
                    nThreads,
                    done -> {
                        if (tty) System.err.print(ExperimentCommand.progressBar(done, total, "agent-trials"));
                    },
                    rows -> {
                        for (ParameterSweep.Row r : rows) {
                            line.setLength(0);
                            line.append(r.point() + 1);
                            for (double v : r.values()) line.append(',').append(v);
                            line.append(',')
                                    .append(r.agent())
                                    .append(',')
                                    .append(r.trial())
                                    .append(',')
                                    .append(scheme)
                                    .append(',')
                                    .append(r.infoLength())
                                    .append(',')
                                    .append(r.hit() == null ? "" : r.hit() ? "1" : "0")
                                    .append(',')
                                    .append(r.freeEnergy())
                                    .append('\n');
                            w.write(line.toString());
                        }
                    });
        }
        if (tty) System.err.print("\r" + " ".repeat(70) + "\r");
        double seconds = (System.nanoTime() - start) / 1e9;
        console.printf(Locale.ROOT, "wrote %s (%d rows) in %.2f s on %d thread(s)%n", out, total, seconds, nThreads);
        console.flush();
        return 0;
    }
}
