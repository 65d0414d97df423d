package org.neuroflux.model;

import java.util.Objects;

/**
 * What is fixed in one trial: true states, outcomes and actions. {@link #FREE} marks an entry the
 * generative process samples (SPM's 0). Indices are 0-based.
 *
 * @param states   [factor][epoch], T columns
 * @param outcomes [modality][epoch], T columns
 * @param actions  [factor][epoch], T-1 columns; an epoch's actions are all fixed or all free
 */
public record TrialFixture(int[][] states, int[][] outcomes, int[][] actions) {
    /** Marks an entry that is sampled, not fixed. */
    public static final int FREE = -1;

    public TrialFixture {
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(outcomes, "outcomes");
        Objects.requireNonNull(actions, "actions");
    }

    /** A fixture where everything is sampled. */
    public static TrialFixture free(int factors, int modalities, int epochs) {
        return new TrialFixture(
                filled(factors, epochs), filled(modalities, epochs), filled(factors, Math.max(0, epochs - 1)));
    }

    private static int[][] filled(int rows, int cols) {
        int[][] a = new int[rows][cols];
        for (int[] row : a) java.util.Arrays.fill(row, FREE);
        return a;
    }

    public int state(int f, int t) {
        return states[f][t];
    }

    public int outcome(int g, int t) {
        return outcomes[g][t];
    }

    /** The fixed action of factor f after epoch t, or FREE. */
    public int action(int f, int t) {
        return actions[f][t];
    }

    /** True when every factor's action after epoch t is fixed. */
    public boolean actionFixed(int t) {
        for (int[] row : actions) if (row[t] == FREE) return false;
        return true;
    }
}
