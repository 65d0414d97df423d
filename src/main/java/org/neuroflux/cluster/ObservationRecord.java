package org.neuroflux.cluster;

/**
 * One acknowledged observation of a client-driven session, as the observations topic holds it:
 * already validated against the session's model by the instance that received it (the owner
 * applies it as it is). Per modality either a hard outcome or a distribution.
 *
 * @param receivedAtMicros when the receiving instance accepted it (Unix µs): the start of its ingest-to-apply latency
 * @param indices          per modality the 0-based outcome, or -1 where {@code probabilities[g]} holds a distribution
 * @param probabilities    per modality a normalised distribution, or null where the outcome is hard
 */
public record ObservationRecord(long receivedAtMicros, int[] indices, double[][] probabilities) {
    public ObservationRecord {
        if (indices.length != probabilities.length)
            throw new IllegalArgumentException("indices and probabilities must both have one entry per modality, had "
                    + indices.length + " and " + probabilities.length);
        for (int g = 0; g < indices.length; g++) {
            if (indices[g] < -1)
                throw new IllegalArgumentException(
                        "modality " + g + ": outcome index must be >= -1, was " + indices[g]);
            if ((indices[g] == -1) != (probabilities[g] != null))
                throw new IllegalArgumentException(
                        "modality " + g + ": needs exactly one of a hard outcome or a distribution");
        }
    }

    public int modalityCount() {
        return indices.length;
    }
}
