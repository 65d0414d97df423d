package org.neuroflux.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialSolver;
import org.neuroflux.model.Factor;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.Modality;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
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
 * One epoch of belief updates of a synthetic single-factor model, by number of states Ns: A is a
 * random (seeded) Ns x Ns likelihood, B three random stochastic matrices (one per control), D
 * random, no preferences; three policies of one step each, T = 2; SPM's active inference, Ni = 16.
 *
 * <p>An epoch cannot be re-run without starting its trial again, so {@code epoch} is startTrial
 * followed by the first runEpoch, and {@code start} is startTrial alone: the epoch itself costs
 * the difference. startTrial re-prepares the model (normalisations, ln D, ln softmax C and the
 * Ns x Ns table of ln P(o|s) for the expected free energy).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class SingleFactorUpdateBenchmark {
    private static final int CONTROLS = 3;
    private static final int EPOCHS = 2;

    @Param({"4", "16", "64"})
    public int states;

    private GenerativeModel model;
    private TrialFixture fixture;
    private TrialSolver solver;
    private SplitMixSource random;

    @Setup
    public void setUp() {
        model = syntheticModel(states, new Random(345));
        fixture = TrialFixture.free(1, 1, EPOCHS);
        solver = new TrialSolver(model, SolverOptions.spm());
        random = new SplitMixSource(1);
    }

    /** One factor of n states and 3 controls, one modality of n outcomes, random (seeded) A, B and D. */
    static GenerativeModel syntheticModel(int n, Random rnd) {
        GenerativeModel.Builder b = new GenerativeModel.Builder();
        b.name = "single-factor-" + n;
        List<String> states = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            states.add("s" + i);
            outcomes.add("o" + i);
        }
        b.factors = List.of(new Factor("state", states, List.of("u0", "u1", "u2")));
        b.modalities = List.of(new Modality("outcome", outcomes));
        b.epochs = EPOCHS;
        b.likelihood = new double[][] {stochastic(n, n, rnd)};
        b.transitions = new double[][] {stochastic(n, n * CONTROLS, rnd)};
        b.preferences = new double[][] {new double[n * EPOCHS]};
        b.initialStates = new double[][] {stochastic(n, 1, rnd)};
        b.policies = new int[CONTROLS][][];
        for (int k = 0; k < CONTROLS; k++) b.policies[k] = new int[][] {{k}};
        return b.build();
    }

    /** rows x columns, column-major, each column lognormal weights normalised to sum 1. */
    private static double[] stochastic(int rows, int columns, Random rnd) {
        double[] m = new double[rows * columns];
        for (int c = 0; c < columns; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                m[c * rows + r] = Math.exp(2 * rnd.nextGaussian());
                sum += m[c * rows + r];
            }
            for (int r = 0; r < rows; r++) m[c * rows + r] /= sum;
        }
        return m;
    }

    @Benchmark
    public TrialSolver epoch() {
        solver.startTrial(model, fixture, random);
        solver.runEpoch();
        return solver;
    }

    @Benchmark
    public TrialSolver start() {
        solver.startTrial(model, fixture, random);
        return solver;
    }
}
