package org.neuroflux.bench;

import java.util.concurrent.TimeUnit;
import org.neuroflux.dynamics.BatchSolver;
import org.neuroflux.experiment.Paradigm;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.random.UniformSource;
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
 * One T-maze trial of B agents in lockstep (startTrial, runEpoch x 3): TmazeTrialBenchmark's trial
 * for every lane, each lane with its own stream. Divide the score by {@code lanes} for the time per
 * agent-trial. {@code plain} runs the default kernels (Math.log / Math.exp, bit for bit the scalar
 * solver); {@code vector} the same in a fork started with --add-modules jdk.incubator.vector.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchTrialBenchmark {
    @Param({"spm", "nat3"})
    public String preset;

    @Param({"64"})
    public int lanes;

    private BatchSolver solver;
    private GenerativeModel[] models;
    private TrialFixture[] fixtures;
    private UniformSource[] streams;

    @Setup
    public void setUp() {
        GenerativeModel model = TmazeTrial.loadModel();
        TrialFixture fixture = Paradigm.tmaze(model).fixture(3);
        solver = new BatchSolver(model, TmazeTrial.options(preset), lanes);
        models = new GenerativeModel[lanes];
        fixtures = new TrialFixture[lanes];
        streams = new UniformSource[lanes];
        for (int b = 0; b < lanes; b++) {
            models[b] = model;
            fixtures[b] = fixture;
            streams[b] = new SplitMixSource(b + 1);
        }
    }

    private BatchSolver trial() {
        solver.startTrial(models, fixtures, streams);
        while (solver.hasNextEpoch()) solver.runEpoch();
        return solver;
    }

    @Benchmark
    @Fork(1)
    public BatchSolver plain() {
        return trial();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
    public BatchSolver vector() {
        return trial();
    }
}
