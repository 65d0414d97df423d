package org.neuroflux.cli;

import org.neuroflux.library.ModelLibrary;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.LaneMath;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.experiment.AgentTrial;
import org.neuroflux.experiment.ExperimentCsv;
import org.neuroflux.experiment.ExperimentRunner;
import org.neuroflux.experiment.PairedSummary;
import org.neuroflux.experiment.Paradigm;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.RandomStreamKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuroflux experiment}: the paper's comparison of the two schemes by information length. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the paper's experiment: every agent runs its trials under the natural-gradient fork and under "
                + "SPM's active inference, on paired random streams (agent m is seeded seed + m before each scheme, "
                + "natural gradient first), and the two are compared by information length per trial.", "",
                "tmaze: DEM_demo_MDP_X2's T-maze (true context 2 in trials 1 and 3), d learned; default 64 agents x 24 trials.",
                "rule-learning: rule_learning3's abstract rule task, a learned, all states sampled; default 128 agents x 24 trials.", ""})
public final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASK", description = "tmaze or rule-learning")
    String task;

    @Option(names = "--agents", paramLabel = "N", description = "Number of agents (default: the paper's).")
    Integer agents;

    @Option(names = "--trials", paramLabel = "N", description = "Trials per agent (default: the paper's, 24).")
    Integer trials;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Agent m is seeded S + m (default ${DEFAULT-VALUE}: with --rng matlab agent m gets rng(m), as the demos).")
    long seed;

    @Option(names = "--rng", paramLabel = "KIND", defaultValue = "splitmix",
            description = "splitmix (our default) or matlab (MATLAB's rng: replays SPM's sampled runs draw for draw). Default: ${DEFAULT-VALUE}.")
    String rng;

    @Option(names = "--like-for-like",
            description = "Run natural gradient with SPM's settings (Ni=16, SPM's gate, precision step /2) so that only the belief step differs; "
                    + "default is the paper's configuration (the fork: Ni=512, freezing gate, step /tau).")
    boolean likeForLike;

    @Option(names = "--models", paramLabel = "DIR", defaultValue = "config/models",
            description = "Directory of the shipped models (falls back to the copies inside the jar). Default: ${DEFAULT-VALUE}.")
    Path modelsDir;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
            description = "Directory for experiment-TASK.csv (default: the current directory).")
    Path out;

    @Override
    public Integer call() throws Exception {
        RandomStreamKind streams = SimulationOptions.stream(rng);
        ModelLibrary library = new ModelLibrary(modelsDir);
        Paradigm paradigm = switch (task) {
            case "tmaze" -> Paradigm.tmaze(library.load("tmaze").first());
            case "rule-learning" -> Paradigm.ruleLearning(library.load("rule-learning").first());
            default -> throw new UserException("TASK '" + task + "' is not one of tmaze, rule-learning");
        };
        int nAgents = agents == null ? paradigm.defaultAgents() : agents;
        int nTrials = trials == null ? paradigm.defaultTrials() : trials;
        if (nAgents < 1 || nTrials < 1) throw new UserException("--agents and --trials must be >= 1");
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        SolverOptions ng = likeForLike ? SolverOptions.spm().withScheme(Scheme.NATURAL_GRADIENT) : SolverOptions.nat3();
        SolverOptions ai = SolverOptions.spm();
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "%s: %d agents x %d trials; natural-gradient (%s) vs active-inference (spm: Ni=16); %s streams, seed %d%n",
                paradigm.name(), nAgents, nTrials, likeForLike ? "like-for-like: Ni=16, SPM's gate" : "nat3: Ni=512", streams.name().toLowerCase(Locale.ROOT), seed);
        console.printf(Locale.ROOT, "batched solver: %s%n", LaneMath.kernel());
        long start = System.nanoTime();
        boolean tty = System.console() != null;
        List<AgentTrial> rows = new ExperimentRunner(paradigm, new SolverOptions[] {ng, ai}, streams, seed)
                .run(nAgents, nTrials, nThreads, done -> {
                    if (tty) System.err.print(progressBar(done, nAgents));
                });
        if (tty) System.err.print("\r" + " ".repeat(60) + "\r");
        double seconds = (System.nanoTime() - start) / 1e9;
        printTable(console, rows, nAgents, nTrials, paradigm.model());
        Files.createDirectories(out);
        Path csv = out.resolve("experiment-" + paradigm.name() + ".csv");
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            ExperimentCsv.write(w, rows, paradigm.model(), seed);
        }
        console.printf(Locale.ROOT, "wrote %s (%d rows) in %.2f s on %d thread(s)%n", csv, rows.size(), seconds, nThreads);
        console.flush();
        return 0;
    }

    private static String progressBar(int done, int total) {
        return progressBar(done, total, "agents");
    }

    /** The progress line that experiment and sweep redraw on a terminal: a bar, done/total and the unit. */
    static String progressBar(int done, int total, String unit) {
        int width = 30;
        int filled = (int) ((long) done * width / total);
        return "\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " " + unit;
    }

    private static void printTable(PrintWriter out, List<AgentTrial> rows, int agents, int trials, GenerativeModel model) {
        double[][] ai = new double[trials][agents];
        double[][] ng = new double[trials][agents];
        int[] hitsAi = new int[trials];
        int[] hitsNg = new int[trials];
        for (AgentTrial r : rows) {
            boolean isAi = r.scheme().equals(Scheme.ACTIVE_INFERENCE.label());
            (isAi ? ai : ng)[r.trial() - 1][r.agent() - 1] = r.infoLength();
            if (r.hit()) (isAi ? hitsAi : hitsNg)[r.trial() - 1]++;
        }
        out.println("information length per trial (mean over agents), paired difference AI - NG");
        out.printf(Locale.ROOT, "%5s %9s %9s %10s %9s %23s %8s %8s%n", "trial", "AI", "NG", "AI-NG", "SD", "95% CI", "hits AI", "hits NG");
        double[] agentAi = new double[agents];
        double[] agentNg = new double[agents];
        for (int t = 0; t < trials; t++) {
            double[] diff = new double[agents];
            for (int m = 0; m < agents; m++) {
                diff[m] = ai[t][m] - ng[t][m];
                agentAi[m] += ai[t][m] / trials;
                agentNg[m] += ng[t][m] / trials;
            }
            row(out, Integer.toString(t + 1), mean(ai[t]), mean(ng[t]), PairedSummary.of(diff), hitsAi[t], hitsNg[t], agents);
        }
        double[] diff = new double[agents];
        for (int m = 0; m < agents; m++) diff[m] = agentAi[m] - agentNg[m];
        int totalAi = 0;
        int totalNg = 0;
        for (int t = 0; t < trials; t++) {
            totalAi += hitsAi[t];
            totalNg += hitsNg[t];
        }
        row(out, "all", mean(agentAi), mean(agentNg), PairedSummary.of(diff), totalAi, totalNg, agents * trials);
    }

    private static void row(PrintWriter out, String label, double ai, double ng, PairedSummary d, int hitsAi, int hitsNg, int of) {
        out.printf(Locale.ROOT, "%5s %9.5f %9.5f %10.5f %9.5f [%10.5f, %10.5f] %8s %8s%n", label, ai, ng, d.mean(), d.sd(), d.low(), d.high(),
                hitsAi + "/" + of, hitsNg + "/" + of);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
