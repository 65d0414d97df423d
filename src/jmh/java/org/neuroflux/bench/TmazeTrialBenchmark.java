package org.neuroflux.bench;

import java.util.concurrent.TimeUnit;
import org.neuroflux.dynamics.LearnedCounts;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
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

/**
 * One whole T-maze trial (3 epochs, outcomes, states and actions sampled) per scheme:
 * {@code solver} drives a reused TrialSolver (startTrial, runEpoch x T, finishTrial) and is the
 * figure compared with the transcendental floor; {@code recorded} runs the same trial through
 * TrialRunner, which also copies every iterate into a fresh TrialTrace (SPM's xn, vn, un, ...), to
 * show what recording costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class TmazeTrialBenchmark {
    /** spm: active inference, Ni = 16; nat3: the fork's natural gradient, Ni = 512. */
    @Param({"spm", "nat3"})
    public String preset;

    private TmazeTrial trial;
    private TrialRunner runner;
    private TmazeTrial recordedTrial;

    @Setup
    public void setUp() {
        trial = new TmazeTrial(preset, 1);
        recordedTrial = new TmazeTrial(preset, 1);
        runner = new TrialRunner(recordedTrial.model, TmazeTrial.options(preset));
    }

    @Benchmark
    public LearnedCounts solver() {
        return trial.run();
    }

    @Benchmark
    public TrialTrace recorded() {
        return runner.run(recordedTrial.model, recordedTrial.fixture, recordedTrial.random);
    }
}
