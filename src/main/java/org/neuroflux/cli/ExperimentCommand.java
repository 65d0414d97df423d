package org.neuroflux.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.neuroflux.cli.UserErrors.UserException;
import org.neuroflux.dynamics.LaneMath;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.experiment.AgentTrial;
import org.neuroflux.experiment.ExperimentCsv;
import org.neuroflux.experiment.ExperimentRunner;
import org.neuroflux.experiment.PairedSummary;
import org.neuroflux.experiment.Paradigm;
import org.neuroflux.figure.Figures;
import org.neuroflux.figure.InformationLengthFigure;
import org.neuroflux.library.ModelLibrary;
import org.neuroflux.random.RandomStreamKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuroflux experiment}: the paper's question, is the natural scheme shorter, answered by information length. */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the paper's experiment: every agent runs its trials under each scheme (natural-gradient, "
                    + "active-inference and the non-natural euclidean baseline) on paired random streams (agent m is seeded "
                    + "seed + m before each scheme), and the schemes are compared by information length per trial.",
            "",
            "Two configurations: paper (natural gradient with the fork's settings nat3: Ni=512, freezing gate, precision "
                    + "step /tau; the others with SPM's, spm: Ni=16, SPM's gate, step /2) and like-for-like (every scheme with "
                    + "SPM's settings, so only the belief step differs). Information length in two conventions: the authors' "
                    + "(cat_inf_length of the stored iterates) and the whole path (each epoch's first step, from its reset belief "
                    + "to its first iterate, counted too).",
            "",
            "Prints per scheme the mean length (both conventions) with 95% CIs over agents, hits and efficiency d_FR/L, "
                    + "then the paired differences NG - AI and EU - AI (scheme minus active inference, as the paper; earlier "
                    + "versions printed AI - NG) with 95% CIs and paired t. Writes experiment-TASK.csv and the figures "
                    + "experiment-TASK.png (authors' convention) and experiment-TASK-whole-path.png.",
            "",
            "tmaze: DEM_demo_MDP_X2's T-maze (true context 2 in trials 1 and 3), d learned; default 64 agents x 24 trials.",
            "rule-learning: rule_learning3's abstract rule task, a learned, all states sampled; default 128 agents x 24 trials.",
            ""
        })
public final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASK", description = "tmaze or rule-learning")
    String task;

    @Option(names = "--agents", paramLabel = "N", description = "Number of agents (default: the paper's).")
    Integer agents;

    @Option(names = "--trials", paramLabel = "N", description = "Trials per agent (default: the paper's, 24).")
    Integer trials;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "0",
            description =
                    "Agent m is seeded S + m (default ${DEFAULT-VALUE}: with --rng matlab agent m gets rng(m), as the demos).")
    long seed;

    @Option(
            names = "--rng",
            paramLabel = "KIND",
            defaultValue = "splitmix",
            description =
                    "splitmix (our default) or matlab (MATLAB's rng: replays SPM's sampled runs draw for draw). Default: ${DEFAULT-VALUE}.")
    String rng;

    @Option(
            names = "--schemes",
            paramLabel = "LIST",
            split = ",",
            description =
                    "Schemes to run, comma separated (default: all, natural-gradient,active-inference,euclidean). "
                            + "Differences are taken against active-inference, which is always run.")
    List<String> schemeNames;

    @Option(
            names = "--configuration",
            paramLabel = "WHICH",
            defaultValue = "both",
            description = "paper, like-for-like or both (default: ${DEFAULT-VALUE}).")
    String configuration;

    @Option(names = "--like-for-like", description = "Same as --configuration like-for-like.")
    boolean likeForLike;

    @Option(
            names = "--models",
            paramLabel = "DIR",
            defaultValue = "config/models",
            description =
                    "Directory of the shipped models (falls back to the copies inside the jar). Default: ${DEFAULT-VALUE}.")
    Path modelsDir;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors).")
    Integer threads;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Directory for experiment-TASK.csv and the figures (default: the current directory).")
    Path out;

    /** A scheme with the settings it runs with in one configuration. */
    private record Arm(Scheme scheme, SolverOptions options) {
        String key() {
            return scheme.label() + "/" + ExperimentRunner.settings(options);
        }
    }

    @Override
    public Integer call() throws Exception {
        RandomStreamKind streams = SimulationOptions.stream(rng);
        ModelLibrary library = new ModelLibrary(modelsDir);
        Paradigm paradigm = switch (task) {
            case "tmaze" -> Paradigm.tmaze(library.load("tmaze").first());
            case "rule-learning" ->
                Paradigm.ruleLearning(library.load("rule-learning").first());
            default -> throw new UserException("TASK '" + task + "' is not one of tmaze, rule-learning");
        };
        int nAgents = agents == null ? paradigm.defaultAgents() : agents;
        int nTrials = trials == null ? paradigm.defaultTrials() : trials;
        if (nAgents < 1 || nTrials < 1) throw new UserException("--agents and --trials must be >= 1");
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) throw new UserException("--threads must be >= 1, was " + nThreads);
        if (likeForLike && !configuration.equals("both") && !configuration.equals("like-for-like"))
            throw new UserException("--like-for-like contradicts --configuration " + configuration);
        String which = likeForLike ? "like-for-like" : configuration;
        if (!List.of("both", "paper", "like-for-like").contains(which))
            throw new UserException("--configuration '" + configuration + "' is not one of paper, like-for-like, both");
        List<Scheme> schemes = schemes();
        Map<String, List<Arm>> configurations = new LinkedHashMap<>();
        if (!which.equals("like-for-like")) configurations.put("paper", arms(schemes, true));
        if (!which.equals("paper")) configurations.put("like-for-like", arms(schemes, false));
        LinkedHashSet<SolverOptions> distinct = new LinkedHashSet<>();
        for (List<Arm> arms : configurations.values()) for (Arm a : arms) distinct.add(a.options());

        PrintWriter console = spec.commandLine().getOut();
        console.printf(
                Locale.ROOT,
                "%s: %d agents x %d trials; %s; %s streams, seed %d%n",
                paradigm.name(),
                nAgents,
                nTrials,
                String.join(", ", schemes.stream().map(Scheme::label).toList()),
                streams.name().toLowerCase(Locale.ROOT),
                seed);
        console.printf(Locale.ROOT, "batched solver: %s%n", LaneMath.kernel());
        long start = System.nanoTime();
        boolean tty = System.console() != null;
        List<AgentTrial> rows = new ExperimentRunner(paradigm, distinct.toArray(new SolverOptions[0]), streams, seed)
                .run(nAgents, nTrials, nThreads, done -> {
                    if (tty) System.err.print(progressBar(done, nAgents));
                });
        if (tty) System.err.print("\r" + " ".repeat(60) + "\r");
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Measures> measures = new LinkedHashMap<>();
        for (AgentTrial r : rows) {
            measures.computeIfAbsent(r.scheme() + "/" + r.solver(), k -> new Measures(nAgents, nTrials))
                    .add(r);
        }
        for (var c : configurations.entrySet())
            printConfiguration(console, c.getKey(), c.getValue(), measures, nAgents, nTrials);

        Files.createDirectories(out);
        Path csv = out.resolve("experiment-" + paradigm.name() + ".csv");
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            ExperimentCsv.write(w, rows, paradigm.model(), seed);
        }
        console.printf(
                Locale.ROOT,
                "wrote %s (%d rows): computed in %.2f s on %d thread(s)%n",
                csv,
                rows.size(),
                seconds,
                nThreads);
        List<InformationLengthFigure.Series> authors = new ArrayList<>();
        List<InformationLengthFigure.Series> whole = new ArrayList<>();
        for (SolverOptions o : distinct) {
            Measures m = measures.get(o.scheme().label() + "/" + ExperimentRunner.settings(o));
            String label = o.scheme().label() + " (" + ExperimentRunner.settings(o) + ": Ni=" + o.iterations() + ")";
            authors.add(new InformationLengthFigure.Series(label, m.byAgent(m.authors)));
            whole.add(new InformationLengthFigure.Series(label, m.byAgent(m.whole)));
        }
        String model = paradigm.name();
        report(
                console,
                Figures.writeInformationLength(
                        "experiment-" + model,
                        model,
                        "authors' convention: " + InformationLengthFigure.AUTHORS_MEASURE,
                        out,
                        authors.toArray(new InformationLengthFigure.Series[0])));
        report(
                console,
                Figures.writeInformationLength(
                        "experiment-" + model + "-whole-path",
                        model,
                        "whole path: cat_inf_length with each epoch's first step (reset belief to first iterate) counted",
                        out,
                        whole.toArray(new InformationLengthFigure.Series[0])));
        console.flush();
        return 0;
    }

    private List<Scheme> schemes() {
        List<Scheme> list = new ArrayList<>();
        if (schemeNames == null) {
            // natural gradient first: the authors' demos run it before active inference
            list.add(Scheme.NATURAL_GRADIENT);
            for (Scheme s : Scheme.values()) if (!list.contains(s)) list.add(s);
            return list;
        }
        for (String name : schemeNames) {
            Scheme s;
            try {
                s = Scheme.parse(name);
            } catch (IllegalArgumentException e) {
                throw new UserException("--schemes: " + e.getMessage());
            }
            if (list.contains(s)) throw new UserException("--schemes: '" + name + "' listed twice");
            list.add(s);
        }
        if (!list.contains(Scheme.ACTIVE_INFERENCE)) list.add(Scheme.ACTIVE_INFERENCE);
        return list;
    }

    /** Paper: natural gradient with the fork's settings, the others with SPM's; like-for-like: all with SPM's. */
    private static List<Arm> arms(List<Scheme> schemes, boolean paper) {
        List<Arm> arms = new ArrayList<>();
        for (Scheme s : schemes) {
            SolverOptions o = paper && s == Scheme.NATURAL_GRADIENT
                    ? SolverOptions.nat3()
                    : SolverOptions.spm().withScheme(s);
            arms.add(new Arm(s, o));
        }
        return arms;
    }

    /** Per (scheme, settings): the per-trial lengths, efficiencies and hits, [trial][agent]. */
    private static final class Measures {
        final double[][] authors;
        final double[][] whole;
        final double[][] efficiency;
        final double[][] efficiencyWhole;
        final int[] hits;

        Measures(int agents, int trials) {
            authors = new double[trials][agents];
            whole = new double[trials][agents];
            efficiency = new double[trials][agents];
            efficiencyWhole = new double[trials][agents];
            hits = new int[trials];
        }

        void add(AgentTrial r) {
            int t = r.trial() - 1;
            int m = r.agent() - 1;
            authors[t][m] = r.infoLength();
            whole[t][m] = r.infoLengthWholePath();
            efficiency[t][m] = r.efficiency();
            efficiencyWhole[t][m] = r.efficiencyWholePath();
            if (r.hit()) hits[t]++;
        }

        /** Each agent's mean over trials. */
        static double[] agentMeans(double[][] byTrial) {
            double[] means = new double[byTrial[0].length];
            for (double[] trial : byTrial) for (int m = 0; m < means.length; m++) means[m] += trial[m] / byTrial.length;
            return means;
        }

        /** [agent][trial], as the figure takes them. */
        double[][] byAgent(double[][] byTrial) {
            double[][] out = new double[byTrial[0].length][byTrial.length];
            for (int t = 0; t < byTrial.length; t++) for (int m = 0; m < out.length; m++) out[m][t] = byTrial[t][m];
            return out;
        }

        int totalHits() {
            int n = 0;
            for (int h : hits) n += h;
            return n;
        }
    }

    private static void printConfiguration(
            PrintWriter out, String name, List<Arm> arms, Map<String, Measures> measures, int agents, int trials) {
        out.println();
        out.println(
                name.equals("paper")
                        ? "== paper configuration: natural-gradient with the fork's settings (nat3: Ni=512, freezing gate, precision step /tau), "
                                + "the others with SPM's (spm: Ni=16, SPM's gate, step /2)"
                        : "== like-for-like: every scheme with SPM's settings (spm: Ni=16, SPM's gate, precision step /2); only the belief step differs");
        out.println(
                "information length per trial: mean over agents of each agent's mean over trials, 95% CI over agents;");
        out.println(
                "authors' convention = cat_inf_length of the stored iterates; whole path = each epoch's first step counted too");
        out.printf(
                Locale.ROOT,
                "%-18s %-6s %-30s %-30s %11s %6s %6s%n",
                "scheme",
                "solver",
                "length, authors [95% CI]",
                "length, whole path [95% CI]",
                "hits",
                "eff",
                "eff wp");
        for (Arm a : arms) {
            Measures m = measures.get(a.key());
            PairedSummary l = PairedSummary.of(Measures.agentMeans(m.authors));
            PairedSummary w = PairedSummary.of(Measures.agentMeans(m.whole));
            out.printf(
                    Locale.ROOT,
                    "%-18s %-6s %-30s %-30s %11s %6.3f %6.3f%n",
                    a.scheme().label(),
                    ExperimentRunner.settings(a.options()),
                    interval(l),
                    interval(w),
                    m.totalHits() + "/" + agents * trials,
                    meanFinite(m.efficiency),
                    meanFinite(m.efficiencyWhole));
        }
        Measures ai = null;
        for (Arm a : arms) if (a.scheme() == Scheme.ACTIVE_INFERENCE) ai = measures.get(a.key());
        out.println(
                "paired differences, scheme - active-inference (as the paper: NG - AI; earlier versions printed AI - NG),");
        out.println(
                "over agents (each agent's mean over trials): mean, SD, 95% CI, paired t with n - 1 degrees of freedom");
        out.printf(
                Locale.ROOT, "%-9s %-11s %10s %9s %25s %9s %4s%n", "", "convention", "mean", "SD", "95% CI", "t", "df");
        for (Arm a : arms) {
            if (a.scheme() == Scheme.ACTIVE_INFERENCE) continue;
            Measures m = measures.get(a.key());
            String label = a.scheme().shortLabel().toUpperCase(Locale.ROOT) + " - AI";
            difference(out, label, "authors", m.authors, ai.authors);
            difference(out, label, "whole path", m.whole, ai.whole);
        }
        if (trials > 1) {
            // the per-trial view the paper plots: the mean paired difference of each trial, in order
            for (Arm a : arms) {
                if (a.scheme() == Scheme.ACTIVE_INFERENCE) continue;
                Measures m = measures.get(a.key());
                String label = a.scheme().shortLabel().toUpperCase(Locale.ROOT) + " - AI";
                out.printf(Locale.ROOT, "%-9s by trial (authors): ", label);
                for (int t = 0; t < trials; t++) {
                    double[] d = new double[agents];
                    for (int k = 0; k < agents; k++) d[k] = m.authors[t][k] - ai.authors[t][k];
                    out.printf(
                            Locale.ROOT,
                            "%s%+.3f",
                            t == 0 ? "" : " ",
                            PairedSummary.of(d).mean());
                }
                out.println();
            }
        }
    }

    private static void difference(PrintWriter out, String label, String convention, double[][] scheme, double[][] ai) {
        double[] a = Measures.agentMeans(scheme);
        double[] b = Measures.agentMeans(ai);
        double[] d = new double[a.length];
        for (int k = 0; k < d.length; k++) d[k] = a[k] - b[k];
        PairedSummary p = PairedSummary.of(d);
        out.printf(
                Locale.ROOT,
                "%-9s %-11s %+10.5f %9.5f [%+10.5f, %+10.5f] %9.2f %4d%n",
                label,
                convention,
                p.mean(),
                p.sd(),
                p.low(),
                p.high(),
                p.t(),
                p.n() - 1);
    }

    private static String interval(PairedSummary s) {
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", s.mean(), s.low(), s.high());
    }

    private static double meanFinite(double[][] v) {
        double sum = 0;
        int n = 0;
        for (double[] row : v) {
            for (double x : row) {
                if (Double.isFinite(x)) {
                    sum += x;
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
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

    private static void report(PrintWriter console, Figures.Output o) {
        if (o.file() != null) console.printf(Locale.ROOT, "wrote %s%n", o.file());
        else console.printf(Locale.ROOT, "skipped %s: %s%n", o.name(), o.skipped());
    }
}
