package org.neuroflux.bench.count;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * How many Math.log and Math.exp calls a T-maze trial makes, counted exactly on the counting copy
 * of the solver ({@link CountingClassLoader}) over a run of trials of {@code TmazeTrial} (the
 * benchmark's own trial loop and seed), per phase: startTrial, each epoch, finishTrial. The
 * arguments of the first trials are kept so that the floor benchmark can replay realistic ones.
 *
 * <p>{@code java -cp target/benchmarks.jar org.neuroflux.bench.count.TranscendentalCount} prints
 * the table quoted in BENCHMARKS.md.
 */
public final class TranscendentalCount {
    /** Phase names: start, epoch 1..T, finish. */
    public final String[] phases;
    /** Mean calls per trial of each phase. */
    public final double[] logsPerPhase;

    public final double[] expsPerPhase;
    public final double logsPerTrial;
    public final double expsPerTrial;
    /** Arguments of every log / exp call of the recorded trials, in call order. */
    public final double[] logArguments;

    public final double[] expArguments;

    private TranscendentalCount(String[] phases, double[] logs, double[] exps, double[] logArgs, double[] expArgs) {
        this.phases = phases;
        this.logsPerPhase = logs;
        this.expsPerPhase = exps;
        double l = 0;
        double e = 0;
        for (int i = 0; i < phases.length; i++) {
            l += logs[i];
            e += exps[i];
        }
        this.logsPerTrial = l;
        this.expsPerTrial = e;
        this.logArguments = logArgs;
        this.expArguments = expArgs;
    }

    /**
     * Counts over {@code trials} trials of one agent, after one uncounted trial (which runs the
     * copied classes' static initialisers); records the arguments of the first {@code recorded}.
     */
    public static synchronized TranscendentalCount of(String preset, long seed, int trials, int recorded) {
        CountingClassLoader loader = new CountingClassLoader(TranscendentalCount.class.getClassLoader());
        try {
            Class<?> type = Class.forName("org.neuroflux.bench.TmazeTrial", true, loader);
            if (type.getClassLoader() != loader)
                throw new IllegalStateException("TmazeTrial was not loaded by the counting loader");
            Object trial = type.getConstructor(String.class, long.class).newInstance(preset, seed);
            Method start = type.getMethod("start");
            Method epoch = type.getMethod("epoch");
            Method finish = type.getMethod("finish");
            runOnce(trial, start, epoch, finish);
            int epochs = 0;
            CountingMath.reset();
            start.invoke(trial);
            while ((Boolean) epoch.invoke(trial)) epochs++;
            finish.invoke(trial);
            String[] phases = new String[epochs + 2];
            phases[0] = "startTrial";
            for (int t = 1; t <= epochs; t++) phases[t] = "epoch " + t;
            phases[epochs + 1] = "finishTrial";
            long[] logs = new long[phases.length];
            long[] exps = new long[phases.length];
            CountingMath.reset();
            CountingMath.record(recorded > 0);
            for (int n = 0; n < trials; n++) {
                if (n == recorded) CountingMath.record(false);
                for (int phase = 0; phase < phases.length; phase++) {
                    long l0 = CountingMath.logs();
                    long e0 = CountingMath.exps();
                    if (phase == 0) {
                        start.invoke(trial);
                    } else if (phase <= epochs) {
                        epoch.invoke(trial);
                    } else {
                        finish.invoke(trial);
                    }
                    logs[phase] += CountingMath.logs() - l0;
                    exps[phase] += CountingMath.exps() - e0;
                }
            }
            double[] meanLogs = new double[phases.length];
            double[] meanExps = new double[phases.length];
            for (int i = 0; i < phases.length; i++) {
                meanLogs[i] = (double) logs[i] / trials;
                meanExps[i] = (double) exps[i] / trials;
            }
            TranscendentalCount c = new TranscendentalCount(
                    phases,
                    meanLogs,
                    meanExps,
                    CountingMath.recordedLogArguments(),
                    CountingMath.recordedExpArguments());
            CountingMath.reset();
            return c;
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalStateException("counting run failed: " + cause, cause);
        }
    }

    private static void runOnce(Object trial, Method start, Method epoch, Method finish)
            throws ReflectiveOperationException {
        start.invoke(trial);
        while ((Boolean) epoch.invoke(trial)) {
            // all epochs
        }
        finish.invoke(trial);
    }

    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "| %-12s | %12s | %12s |%n", "phase", "Math.log", "Math.exp"));
        sb.append("|---|---:|---:|\n");
        for (int i = 0; i < phases.length; i++) {
            sb.append(String.format(
                    Locale.ROOT, "| %-12s | %12.2f | %12.2f |%n", phases[i], logsPerPhase[i], expsPerPhase[i]));
        }
        sb.append(String.format(Locale.ROOT, "| %-12s | %12.2f | %12.2f |%n", "trial", logsPerTrial, expsPerTrial));
        return sb.toString();
    }

    /** Prints the per-phase counts for both presets: args [trials] (default 1000), seed 1. */
    public static void main(String[] args) {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        for (String preset : new String[] {"spm", "nat3"}) {
            TranscendentalCount c = of(preset, 1, trials, 0);
            System.out.printf(Locale.ROOT, "%s: mean over %d T-maze trials (seed 1)%n%s%n", preset, trials, c.table());
        }
    }
}
