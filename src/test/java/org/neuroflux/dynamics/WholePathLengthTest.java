package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neuroflux.math.SpmMath;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;

/**
 * The whole path starts each epoch where its reset left the beliefs (TrialTrace.x0) and adds that
 * first step to the authors' convention, which it leaves unchanged.
 */
class WholePathLengthTest {

    @Test
    void theOddballsFirstEpochStartsAtThePriorAndItsFirstStepIsCounted() {
        SpmImport oddball = ReferenceCases.load("oddball-ai");
        GenerativeModel model = oddball.models().get(0);
        TrialTrace tr = new TrialRunner(model, SolverOptions.spm())
                .run(model, oddball.fixtures().get(0), new SplitMixSource(1));
        int ns = tr.states[0];
        int ni = tr.iterations;
        int T = tr.epochs;
        // epoch 1, time point 1 starts from the prior D, normalised and reset: softmax(ln D / erp)
        double[] prior = new double[ns];
        for (int s = 0; s < ns; s++)
            prior[s] =
                    SpmMath.ln(model.initialStates(0)[s]) / model.parameters().erp();
        SpmMath.softmax(prior, 0, prior, 0, ns);
        double[] start = new double[ns];
        System.arraycopy(tr.x0[0], 0, start, 0, ns);
        assertArrayEquals(prior, start, 1e-12);
        double first = InformationLength.firstStep(tr.xn[0], tr.x0[0], ni, ns, T, 0, 0);
        double stored = InformationLength.epochArcLength(tr.xn[0], ni, ns, T, 0, 0);
        // the review's numbers: the uncounted first step is most of the first epoch's movement
        assertEquals(0.52, first, 0.01);
        assertEquals(0.68, stored, 0.01);
        assertEquals(
                first + stored, InformationLength.epochArcLengthWholePath(tr.xn[0], tr.x0[0], ni, ns, T, 0, 0), 1e-15);
    }

    @Test
    void wholePathScoreIsTheAuthorsScoreOfThePathWithItsStartsPrepended() {
        SpmImport tmaze = ReferenceCases.load("tmaze-ai-2trials");
        GenerativeModel model = tmaze.models().get(0);
        TrialTrace tr = new TrialRunner(model, SolverOptions.spm())
                .run(model, tmaze.fixtures().get(0), new SplitMixSource(1));
        for (int f = 0; f < tr.xn.length; f++) {
            int ni = tr.iterations;
            int columns = tr.x0[f].length;
            double[] prepended = new double[(ni + 1) * columns];
            for (int c = 0; c < columns; c++) {
                prepended[(ni + 1) * c] = tr.x0[f][c];
                System.arraycopy(tr.xn[f], ni * c, prepended, (ni + 1) * c + 1, ni);
            }
            double whole = InformationLength.pooledChordLengthWholePath(tr.xn[f], tr.x0[f], ni);
            assertEquals(InformationLength.pooledChordLength(prepended, ni + 1), whole, 1e-12);
            assertTrue(whole > InformationLength.pooledChordLength(tr.xn[f], ni));
            // starts exist exactly where the epoch computed its time point
            for (int t = 0; t < tr.epochs; t++) {
                for (int j = 0; j < tr.epochs; j++) {
                    boolean computed = InformationLength.computed(tr.xn[f], ni, tr.states[f], tr.epochs, j, t);
                    double sum = 0;
                    for (int s = 0; s < tr.states[f]; s++) sum += tr.x0[f][s + tr.states[f] * (j + tr.epochs * t)];
                    assertEquals(computed ? 1 : 0, sum, 1e-12, "f " + f + " j " + j + " t " + t);
                }
            }
        }
    }
}
