package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

/** Properties every run must have, checked on sampled (not fixed) trials of the reference models. */
class BeliefPropertiesTest {

    static GenerativeModel model(String caseName) throws Exception {
        try (InputStream in = BeliefPropertiesTest.class.getResourceAsStream("/reference/" + caseName + "/mdp.json")) {
            SpmImport imported =
                    new SpmModelReader().read(new String(in.readAllBytes(), StandardCharsets.UTF_8), caseName);
            return imported.models().get(0);
        }
    }

    static TrialTrace[] run(GenerativeModel m, SolverOptions options, long seed, int trials) {
        GenerativeModel[] models = new GenerativeModel[trials];
        TrialFixture[] fixtures = new TrialFixture[trials];
        Arrays.fill(models, m);
        Arrays.fill(fixtures, TrialFixture.free(m.factorCount(), m.modalityCount(), m.epochs()));
        return new TrialRunner(m, options).runSequence(models, fixtures, new SplitMixSource(seed));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tmaze-ai-2trials, spm", "tmaze-ai-2trials, nat3", "rule-ai, spm", "oddball-ai, spm"})
    void beliefsStayOnTheSimplexAndEpochsAreNoShorterThanTheirGeodesic(String caseName, String preset)
            throws Exception {
        SolverOptions options = preset.equals("spm")
                ? SolverOptions.spm()
                : SolverOptions.nat3().withIterations(64);
        for (long seed = 1; seed <= 4; seed++) {
            for (TrialTrace tr : run(model(caseName), options, seed, 2)) {
                int ni = tr.iterations;
                int T = tr.epochs;
                for (int f = 0; f < tr.states.length; f++) {
                    int ns = tr.states[f];
                    for (int t = 0; t < T; t++) {
                        for (int j = 0; j < T; j++) {
                            if (!InformationLength.computed(tr.xn[f], ni, ns, T, j, t)) continue;
                            for (int i = 0; i < ni; i++) {
                                double sum = 0;
                                for (int s = 0; s < ns; s++) {
                                    double x = tr.xn[f][i + ni * (s + ns * (j + T * t))];
                                    assertTrue(x >= 0 && x <= 1 + 1e-15, "rate outside [0,1] beyond rounding: " + x);
                                    sum += x;
                                }
                                assertEquals(1, sum, 1e-12, "rates of factor " + f + " sum to 1");
                            }
                            double arc = InformationLength.epochArcLength(tr.xn[f], ni, ns, T, j, t);
                            double chord = InformationLength.epochChordLength(tr.xn[f], ni, ns, T, j, t);
                            double distance = InformationLength.epochDistance(tr.xn[f], ni, ns, T, j, t);
                            assertTrue(arc >= distance - 1e-12, "L = " + arc + " < d_FR = " + distance);
                            assertTrue(arc >= chord - 1e-15, "arc " + arc + " shorter than its chords " + chord);
                            if (arc > 1e-9) {
                                double efficiency = distance / arc;
                                assertTrue(efficiency > 0 && efficiency <= 1 + 1e-12, "efficiency " + efficiency);
                            }
                        }
                    }
                }
                for (int t = 0; t < T; t++) {
                    double sum = 0;
                    for (int k = 0; k < tr.policies; k++) sum += tr.R[k + tr.policies * t];
                    assertEquals(1, sum, 1e-12, "policy posterior sums to 1");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tmaze-ai-2trials", "rule-ai"})
    void theSameSeedGivesTheSameTraceAndAnotherSeedAnother(String caseName) throws Exception {
        GenerativeModel m = model(caseName);
        TrialTrace[] a = run(m, SolverOptions.spm(), 42, 3);
        TrialTrace[] b = run(m, SolverOptions.spm(), 42, 3);
        TrialTrace[] c = run(m, SolverOptions.spm(), 43, 3);
        boolean anyDifference = false;
        for (int i = 0; i < a.length; i++) {
            for (int f = 0; f < a[i].xn.length; f++) {
                assertArrayEquals(a[i].xn[f], b[i].xn[f], 0.0, "same seed, same rates, bit for bit");
                anyDifference |= !Arrays.equals(a[i].xn[f], c[i].xn[f]);
            }
            for (int g = 0; g < a[i].o.length; g++) assertArrayEquals(a[i].o[g], b[i].o[g]);
        }
        assertTrue(anyDifference, "a different seed should sample a different trial");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tmaze-ai-2trials"})
    void naturalGradientAndActiveInferenceAgreeToSecondOrderInOneOverTau(String caseName) throws Exception {
        // one belief step from the same state: the schemes differ by O(1/tau^2), so halving 1/tau quarters it
        double[] s0 = {0.6, 0.25, 0.1, 0.05};
        double[] eps = {0.3, -0.2, 0.5, -0.9};
        double previous = Double.NaN;
        for (double tau = 8; tau <= 256; tau *= 2) {
            double[] ai = s0.clone();
            double[] ng = s0.clone();
            double[] ln = new double[4];
            org.neuroflux.math.SpmMath.ln(s0, 0, ln, 0, 4);
            BeliefStep.apply(Scheme.ACTIVE_INFERENCE, ai, ln, eps.clone(), 4, tau);
            BeliefStep.apply(Scheme.NATURAL_GRADIENT, ng, ln, eps.clone(), 4, tau);
            double d = 0;
            for (int i = 0; i < 4; i++) d = Math.max(d, Math.abs(ai[i] - ng[i]));
            if (!Double.isNaN(previous)) {
                double ratio = previous / d;
                assertTrue(ratio > 3.5 && ratio < 4.5, "difference ratio " + ratio + " at tau " + tau);
            }
            previous = d;
        }
        assertFalse(Double.isNaN(previous));
    }
}
