package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.spm.SpmImport;

/**
 * Both discrete schemes are first-order discretisations of the continuous-time belief flow: on
 * the oddball model, over a fixed model time per epoch, their end-of-epoch beliefs approach the
 * flow's at rate 1/tau (error ratio ~2 per doubling of tau), with Ni = tau * horizon iterations
 * and a gate that always updates.
 */
class ContinuousTimeConvergenceTest {
    /** Model time per epoch: Ni / tau. Short enough that the transients have not died out. */
    private static final int HORIZON = 1;

    private static final int[] TAUS = {8, 16, 32, 64};

    private final SpmImport oddball = ReferenceCases.load("oddball-ai");
    private final GenerativeModel model = oddball.models().get(0);
    private final TrialFixture fixture = oddball.fixtures().get(0);
    private final int epochs = model.epochs();

    private double[][] discrete(Scheme scheme, int tau) {
        SolverOptions options = SolverOptions.spm()
                .withScheme(scheme)
                .withGate(ConvergenceGate.ALWAYS)
                .withIterations(tau * HORIZON);
        return ReferenceCases.epochEndBeliefs(ReferenceCases.withTau(model, tau), fixture, options, epochs);
    }

    private double[][] continuous(int tau, IntegrationMode mode) {
        SolverOptions options =
                SolverOptions.spm().withIterations(tau * HORIZON).withIntegration(mode);
        return ReferenceCases.epochEndBeliefs(ReferenceCases.withTau(model, tau), fixture, options, epochs);
    }

    private double[][] flow() {
        return continuous(16, IntegrationMode.adaptive(1e-12, 1e-12));
    }

    @ParameterizedTest
    @EnumSource(
            value = Scheme.class,
            names = {"ACTIVE_INFERENCE", "NATURAL_GRADIENT"}) // the natural schemes: euclidean has its own flow
    void discreteSchemeConvergesToTheFlowAtFirstOrder(Scheme scheme) {
        double[][] exact = flow();
        double[] errors = new double[TAUS.length];
        for (int i = 0; i < TAUS.length; i++)
            errors[i] = ReferenceCases.maxDifference(discrete(scheme, TAUS[i]), exact);
        for (int i = 1; i < TAUS.length; i++) {
            double ratio = errors[i - 1] / errors[i];
            int tau = TAUS[i];
            assertTrue(
                    ratio > 1.6 && ratio < 2.6,
                    () -> scheme + " tau " + tau + ": error ratio " + ratio + " (errors "
                            + java.util.Arrays.toString(errors) + ")");
        }
        assertTrue(errors[TAUS.length - 1] < 0.05, () -> "error at tau 64: " + errors[TAUS.length - 1]);
    }

    @Test
    void flowDependsOnModelTimeOnlyNotOnTau() {
        double[][] a = continuous(8, IntegrationMode.adaptive(1e-12, 1e-12));
        double[][] b = continuous(64, IntegrationMode.adaptive(1e-12, 1e-12));
        double d = ReferenceCases.maxDifference(a, b);
        assertTrue(d < 1e-10, "tau 8 vs 64 over the same model time: " + d);
    }

    @Test
    void rk4ConvergesToTheFlowAtFourthOrder() {
        double[][] exact = flow();
        double[] steps = {1, 0.5, 0.25};
        double[] errors = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            errors[i] = ReferenceCases.maxDifference(continuous(16, IntegrationMode.fixedRk4(steps[i])), exact);
        }
        for (int i = 1; i < steps.length; i++) {
            double ratio = errors[i - 1] / errors[i];
            assertTrue(ratio > 16 / 1.5 && ratio < 16 * 1.5, "step " + steps[i] + ": error ratio " + ratio);
        }
    }

    @Test
    void adaptiveToleranceBoundsTheError() {
        // tau = 1: one sample per epoch, so the steps are not limited by the sampling interval
        double[][] exact = flow();
        double previous = Double.POSITIVE_INFINITY;
        for (double tol : new double[] {1e-3, 1e-6, 1e-9}) {
            double e = ReferenceCases.maxDifference(continuous(1, IntegrationMode.adaptive(tol, tol)), exact);
            assertTrue(e < 10 * tol, "tolerance " + tol + ": error " + e);
            assertTrue(e < previous, "tolerance " + tol + ": error " + e + " not below " + previous);
            previous = e;
        }
    }
}
