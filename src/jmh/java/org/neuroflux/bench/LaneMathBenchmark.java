package org.neuroflux.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The transcendental floor per element: ln and exp over 1024 doubles, as Math.log / Math.exp in a
 * loop and as the Vector API's LOG / EXP (the batched solver's two kernels). Arguments are like the
 * solver's: ln of probabilities plus 1e-16 (e^-37 .. 1), exp of non-positive logits (-40 .. 0).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class LaneMathBenchmark {
    private static final int N = 1024;
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private final double[] logArgs = new double[N];
    private final double[] expArgs = new double[N];
    private final double[] out = new double[N];

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < N; i++) {
            logArgs[i] = Math.exp(-37 * r.nextDouble());
            expArgs[i] = -40 * r.nextDouble();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] mathLog() {
        for (int i = 0; i < N; i++) out[i] = Math.log(logArgs[i]);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] vectorLog() {
        for (int i = 0; i < N; i += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, logArgs, i)
                    .lanewise(VectorOperators.LOG)
                    .intoArray(out, i);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] mathExp() {
        for (int i = 0; i < N; i++) out[i] = Math.exp(expArgs[i]);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] vectorExp() {
        for (int i = 0; i < N; i += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, expArgs, i)
                    .lanewise(VectorOperators.EXP)
                    .intoArray(out, i);
        }
        return out;
    }
}
