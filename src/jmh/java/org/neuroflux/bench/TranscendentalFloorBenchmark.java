package org.neuroflux.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.neuroflux.bench.count.TranscendentalCount;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The transcendental floor of a T-maze trial: exactly as many Math.log and Math.exp calls as one
 * trial of {@link TmazeTrialBenchmark} makes on average (counted on an instrumented copy of the
 * solver, {@link TranscendentalCount}), on the arguments those trials really passed (replayed in
 * call order), each result consumed by the Blackhole. No trial can be faster than this while it
 * computes the same logarithms and exponentials; trial / floor is the overhead of everything else.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class TranscendentalFloorBenchmark {
    /** Trials counted for the mean; the first RECORDED also give the arguments replayed. */
    private static final int COUNTED = 400;

    private static final int RECORDED = 40;

    @Param({"spm", "nat3"})
    public String preset;

    private int logs;
    private int exps;
    private double[] logArgs;
    private double[] expArgs;
    private int logAt;
    private int expAt;

    @Setup
    public void setUp() {
        TranscendentalCount c = TranscendentalCount.of(preset, 1, COUNTED, RECORDED);
        logs = (int) Math.round(c.logsPerTrial);
        exps = (int) Math.round(c.expsPerTrial);
        logArgs = c.logArguments;
        expArgs = c.expArguments;
        System.out.printf(
                Locale.ROOT,
                "%n%s trial: %d Math.log + %d Math.exp calls (mean of %d trials)%n",
                preset,
                logs,
                exps,
                COUNTED);
    }

    @Benchmark
    public void floor(Blackhole bh) {
        double[] la = logArgs;
        int n = logs;
        int at = logAt + n <= la.length ? logAt : 0;
        for (int i = 0; i < n; i++) bh.consume(Math.log(la[at + i]));
        logAt = at + n;
        double[] ea = expArgs;
        int m = exps;
        at = expAt + m <= ea.length ? expAt : 0;
        for (int i = 0; i < m; i++) bh.consume(Math.exp(ea[at + i]));
        expAt = at + m;
    }
}
