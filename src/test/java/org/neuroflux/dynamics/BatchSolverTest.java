package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.RandomStreamKind;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.random.UniformSource;
import org.neuroflux.spm.SpmImport;

/**
 * The batched solver against the scalar one, agent by agent: every output field of every lane's
 * trace equals the scalar trace of that agent run alone (tolerance 1e-12; with the plain Math.log and
 * Math.exp kernels, the default, the two are in fact identical, which is asserted too). The Vector
 * API kernels are checked against the scalar path by BatchVectorKernelTest.
 */
class BatchSolverTest {
    private static final double TOLERANCE = 1e-12;

    @ParameterizedTest
    @CsvSource({
        "oddball-ai, spm",
        "tmaze-ai-onpolicy, spm",
        "tmaze-ng-onpolicy, nat3",
        "tmaze-ai-2trials, spm",
        "rule-ai, spm",
        "tmaze-ai-onpolicy, nat3",
        "oddball-ai, nat3"
    })
    void everyReferenceCaseMatchesTheScalarSolverInEveryLane(String caseName, String preset) {
        SpmImport loaded = ReferenceCases.load(caseName);
        SolverOptions options = preset.equals("spm") ? SolverOptions.spm() : SolverOptions.nat3();
        int trials = loaded.trials();
        int lanes = 3;
        GenerativeModel[] models = loaded.models().toArray(GenerativeModel[]::new);
        TrialFixture[] fixtures = loaded.fixtures().toArray(TrialFixture[]::new);
        TrialTrace[] scalar = new TrialRunner(models[0], options).runSequence(models, fixtures, new SplitMixSource(7));
        GenerativeModel[][] laneModels = new GenerativeModel[trials][lanes];
        TrialFixture[][] laneFixtures = new TrialFixture[trials][lanes];
        for (int i = 0; i < trials; i++) {
            for (int b = 0; b < lanes; b++) {
                laneModels[i][b] = models[i];
                laneFixtures[i][b] = fixtures[i];
            }
        }
        UniformSource[] streams = {new SplitMixSource(7), new SplitMixSource(7), new SplitMixSource(7)};
        TrialTrace[][] batched = new TrialTrace[lanes][trials];
        new BatchRunner(models[0], options, lanes)
                .runSequence(laneModels, laneFixtures, streams, (b, i, tr) -> batched[b][i] = tr);
        for (int b = 0; b < lanes; b++) {
            for (int i = 0; i < trials; i++)
                assertSameTrace(scalar[i], batched[b][i], caseName + " lane " + b + " trial " + i);
        }
    }

    /**
     * Sampled multi-trial runs with learning: each lane a different agent (seed) and, for some,
     * other parameters (alpha, beta, tau), so lanes take different actions, prune different
     * policies and converge at different iterations within one batch.
     */
    @ParameterizedTest
    @CsvSource({
        "tmaze-ai-2trials, spm",
        "tmaze-ai-2trials, nat3",
        "rule-ai, spm",
        "rule-ai, nat3",
        "tmaze-ai-2trials, like-for-like"
    })
    void sampledRunsWithLearningMatchAgentByAgent(String caseName, String preset) {
        SpmImport loaded = ReferenceCases.load(caseName);
        SolverOptions options = switch (preset) {
            case "spm" -> SolverOptions.spm();
            case "nat3" -> SolverOptions.nat3();
            default -> SolverOptions.spm().withScheme(Scheme.NATURAL_GRADIENT);
        };
        GenerativeModel base = loaded.models().get(0);
        int epochs = base.epochs();
        TrialFixture free = TrialFixture.free(base.factorCount(), base.modalityCount(), epochs);
        boolean slow = preset.equals("nat3") && caseName.startsWith("rule");
        runAgents(base, free, options, slow ? 3 : 6, slow ? 2 : preset.equals("nat3") ? 3 : 6);
    }

    /** One-step policies U (SPM's moving policies): per-lane policy rows after each action. */
    @ParameterizedTest
    @CsvSource({"spm", "nat3"})
    void oneStepPoliciesMatchAgentByAgent(String preset) {
        GenerativeModel tmaze = ReferenceCases.load("tmaze-ai-2trials").models().get(0);
        GenerativeModel.Builder b = tmaze.toBuilder();
        int controls = tmaze.factors().get(0).controlCount();
        b.policies = new int[controls][1][];
        for (int c = 0; c < controls; c++) b.policies[c][0] = new int[] {c, 0};
        b.movingPolicies = true;
        b.policyPrior = new double[controls];
        java.util.Arrays.fill(b.policyPrior, 1);
        GenerativeModel moving = b.build();
        assertTrue(moving.movingPolicies());
        SolverOptions options = preset.equals("spm") ? SolverOptions.spm() : SolverOptions.nat3();
        TrialFixture free = TrialFixture.free(moving.factorCount(), moving.modalityCount(), moving.epochs());
        runAgents(moving, free, options, 5, 4);
    }

    @Test
    void matlabSeededAgentsMatchTheScalarPathToo() {
        GenerativeModel tmaze = ReferenceCases.load("tmaze-ai-2trials").models().get(0);
        TrialFixture free = TrialFixture.free(tmaze.factorCount(), tmaze.modalityCount(), tmaze.epochs());
        int lanes = 4;
        int trials = 3;
        for (SolverOptions options : new SolverOptions[] {SolverOptions.nat3(), SolverOptions.spm()}) {
            GenerativeModel[][] models = new GenerativeModel[trials][lanes];
            TrialFixture[][] fixtures = new TrialFixture[trials][lanes];
            UniformSource[] streams = new UniformSource[lanes];
            for (int b = 0; b < lanes; b++) streams[b] = RandomStreamKind.MATLAB.create(b + 1);
            for (int i = 0; i < trials; i++) {
                for (int b = 0; b < lanes; b++) {
                    models[i][b] = tmaze;
                    fixtures[i][b] = free;
                }
            }
            TrialTrace[][] batched = new TrialTrace[lanes][trials];
            new BatchRunner(tmaze, options, lanes)
                    .runSequence(models, fixtures, streams, (lane, i, tr) -> batched[lane][i] = tr);
            for (int b = 0; b < lanes; b++) {
                GenerativeModel[] ms = new GenerativeModel[trials];
                TrialFixture[] fs = new TrialFixture[trials];
                java.util.Arrays.fill(ms, tmaze);
                java.util.Arrays.fill(fs, free);
                TrialTrace[] scalar =
                        new TrialRunner(tmaze, options).runSequence(ms, fs, RandomStreamKind.MATLAB.create(b + 1));
                for (int i = 0; i < trials; i++)
                    assertSameTrace(scalar[i], batched[b][i], "matlab agent " + (b + 1) + " trial " + i);
            }
        }
    }

    @Test
    void theCapabilityCheckNamesWhatTheBatchedPathDoesNotRun() {
        GenerativeModel tmaze =
                ReferenceCases.load("tmaze-ai-onpolicy").models().get(0);
        assertNull(BatchSolver.unsupported(tmaze, SolverOptions.spm()));
        assertNull(BatchSolver.unsupported(tmaze, SolverOptions.nat3()));
        String why = BatchSolver.unsupported(tmaze, SolverOptions.spm().withIntegration(IntegrationMode.fixedRk4(1)));
        assertNotNull(why);
        assertTrue(why.contains("continuous"), why);
        assertTrue(!BatchRunner.supports(tmaze, SolverOptions.spm().withIntegration(IntegrationMode.adaptive())));
        // features of the scalar solver the batched one does not run go to the scalar path, by name
        assertTrue(BatchSolver.unsupported(tmaze, SolverOptions.spm().withScheme(Scheme.EUCLIDEAN))
                .toLowerCase(java.util.Locale.ROOT)
                .contains("euclidean"));
        GenerativeModel learner =
                ReferenceCases.load("tmaze-ai-learn-2trials").models().get(0);
        assertEquals("learning of b", BatchSolver.unsupported(learner, SolverOptions.spm()));
        GenerativeModel deep = ReferenceCases.load("hier-ai").models().get(0);
        assertEquals("a deep (hierarchical) model", BatchSolver.unsupported(deep, SolverOptions.spm()));
    }

    @Test
    void outcomesSuppliedPerLaneAreUsedInThatLaneOnly() {
        GenerativeModel oddball = ReferenceCases.load("oddball-ai").models().get(0);
        TrialFixture free = TrialFixture.free(oddball.factorCount(), oddball.modalityCount(), oddball.epochs());
        BatchSolver batch = new BatchSolver(oddball, SolverOptions.spm(), 2);
        TrialSolver alone = new TrialSolver(oddball, SolverOptions.spm());
        batch.startTrial(
                new GenerativeModel[] {oddball, oddball},
                new TrialFixture[] {free, free},
                new UniformSource[] {new SplitMixSource(3), new SplitMixSource(3)});
        alone.startTrial(oddball, free, new SplitMixSource(3));
        int[] supplied = {1, 0, 1, 1};
        for (int t = 0; t < oddball.epochs(); t++) {
            batch.supplyOutcome(1, 0, supplied[t]);
            alone.supplyOutcome(0, supplied[t]);
            batch.runEpoch();
            alone.runEpoch();
            assertEquals(supplied[t], batch.outcome(1, 0, t));
            for (int i = 0; i < alone.iterations(); i++) {
                for (int s = 0; s < 2; s++) {
                    for (int j = 0; j <= t; j++) assertEquals(alone.rate(0, i, s, j), batch.rate(1, 0, i, s, j), 0.0);
                }
            }
        }
        // lane 0 sampled its own outcomes from the same seed: it is the scalar solver without supplied outcomes
        TrialTrace sampled = new TrialRunner(oddball, SolverOptions.spm()).run(oddball, free, new SplitMixSource(3));
        for (int t = 0; t < oddball.epochs(); t++) assertEquals(sampled.o[0][t], batch.outcome(0, 0, t));
    }

    private static void runAgents(
            GenerativeModel base, TrialFixture fixture, SolverOptions options, int lanes, int trials) {
        GenerativeModel[] laneModel = new GenerativeModel[lanes];
        for (int b = 0; b < lanes; b++) {
            var p = base.parameters();
            laneModel[b] = switch (b % 3) {
                case 0 -> base;
                case 1 -> base.withParameters(p.withTau(2 + b));
                default ->
                    base.withParameters(new org.neuroflux.model.SolverParameters(
                            p.tau(), p.erp(), 4.0 + b, 0.5 + b / 4.0, p.zeta(), p.eta(), p.chi()));
            };
        }
        GenerativeModel[][] models = new GenerativeModel[trials][lanes];
        TrialFixture[][] fixtures = new TrialFixture[trials][lanes];
        UniformSource[] streams = new UniformSource[lanes];
        for (int b = 0; b < lanes; b++) streams[b] = new SplitMixSource(100 + b);
        for (int i = 0; i < trials; i++) {
            for (int b = 0; b < lanes; b++) {
                models[i][b] = laneModel[b];
                fixtures[i][b] = fixture;
            }
        }
        TrialTrace[][] batched = new TrialTrace[lanes][trials];
        new BatchRunner(base, options, lanes).runSequence(models, fixtures, streams, (b, i, tr) -> batched[b][i] = tr);
        List<String> distinctActions = new ArrayList<>();
        for (int b = 0; b < lanes; b++) {
            GenerativeModel[] ms = new GenerativeModel[trials];
            TrialFixture[] fs = new TrialFixture[trials];
            java.util.Arrays.fill(ms, laneModel[b]);
            java.util.Arrays.fill(fs, fixture);
            TrialTrace[] scalar = new TrialRunner(base, options).runSequence(ms, fs, new SplitMixSource(100 + b));
            for (int i = 0; i < trials; i++) {
                assertSameTrace(scalar[i], batched[b][i], "lane " + b + " trial " + i);
                String a = java.util.Arrays.deepToString(scalar[i].u) + java.util.Arrays.deepToString(scalar[i].o);
                if (!distinctActions.contains(a)) distinctActions.add(a);
            }
        }
        assertTrue(distinctActions.size() > 1, "the agents should not all do the same: " + distinctActions);
    }

    static void assertSameTrace(TrialTrace e, TrialTrace a, String at) {
        for (int f = 0; f < e.xn.length; f++) {
            close(e.xn[f], a.xn[f], at + " xn f" + f);
            close(e.vn[f], a.vn[f], at + " vn f" + f);
            close(e.x0[f], a.x0[f], at + " x0 f" + f); // where each epoch's path starts (whole-path information length)
            close(e.X[f], a.X[f], at + " X f" + f);
            close(e.Q[f], a.Q[f], at + " Q f" + f);
            assertArrayEquals(e.s[f], a.s[f], at + " s");
            assertArrayEquals(e.u[f], a.u[f], at + " u");
        }
        for (int g = 0; g < e.o.length; g++) assertArrayEquals(e.o[g], a.o[g], at + " o");
        close(e.un, a.un, at + " un");
        close(e.wn, a.wn, at + " wn");
        close(e.dn, a.dn, at + " dn");
        close(e.P, a.P, at + " P");
        close(e.R, a.R, at + " R");
        close(e.F, a.F, at + " F");
        close(e.G, a.G, at + " G");
        close(e.H, a.H, at + " H");
        close(e.w, a.w, at + " w");
        if (e.learned != null) {
            if (e.learned.initialCounts() != null) {
                for (int f = 0; f < e.learned.initialCounts().length; f++) {
                    close(e.learned.initialCounts()[f], a.learned.initialCounts()[f], at + " d");
                }
            }
            if (e.learned.likelihoodCounts() != null) {
                for (int g = 0; g < e.learned.likelihoodCounts().length; g++) {
                    close(e.learned.likelihoodCounts()[g], a.learned.likelihoodCounts()[g], at + " a");
                }
            }
        }
    }

    private static void close(double[] e, double[] a, String what) {
        assertEquals(e.length, a.length, what + " length");
        for (int i = 0; i < e.length; i++) {
            boolean bothNaN = Double.isNaN(e[i]) && Double.isNaN(a[i]);
            if (bothNaN) continue;
            assertTrue(Math.abs(e[i] - a[i]) <= TOLERANCE, what + "[" + i + "]: scalar " + e[i] + " batched " + a[i]);
            // plain Math.log/Math.exp in both paths: the very same doubles
            if (LaneMath.exact())
                assertEquals(Double.doubleToLongBits(e[i]), Double.doubleToLongBits(a[i]), what + "[" + i + "] bits");
        }
    }
}
