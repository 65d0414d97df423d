package org.neuroflux.pipeline;

/**
 * The outcome of one epoch, per modality: a hard outcome (0-based index) or a soft one (a
 * probability vector). Produced by the ingest decoder or a replay file, already validated against
 * the session's model.
 *
 * @param indices       per modality the 0-based outcome, or -1 when {@code probabilities[g]} holds a distribution
 * @param probabilities per modality a normalised distribution, or null where the outcome is hard
 */
public record Observation(int[] indices, double[][] probabilities) {
    public static Observation hard(int... indices) {
        return new Observation(indices.clone(), new double[indices.length][]);
    }

    public int modalityCount() {
        return indices.length;
    }

    /** Supplies this observation to a solver before its next epoch. */
    void supplyTo(org.neuroflux.dynamics.TrialSolver solver) {
        for (int g = 0; g < indices.length; g++) {
            if (indices[g] >= 0) solver.supplyOutcome(g, indices[g]);
            else solver.supplyOutcomeDistribution(g, probabilities[g]);
        }
    }
}
