package org.neuroflux.signal;

/**
 * Mismatch negativity and repetition suppression as difference waves: the response (LFP) of a unit to
 * the deviant minus its response to the standard, aligned sample by sample from the start of each
 * epoch. The deviant is the oddball epoch of a trial, or the last trial of a repeated context; the
 * standard is the first epoch or the first trial.
 *
 * <p>Stateless; thread-safe; no allocation.
 */
public final class MismatchResponse {
    private MismatchResponse() {}

    /**
     * out = deviant - standard over n samples.
     *
     * @param deviant  Not modified; may alias out.
     * @param standard Not modified; may alias out.
     * @param out      Modified.
     */
    public static void difference(
            double[] deviant, int deviantOff, double[] standard, int standardOff, int n, double[] out, int outOff) {
        for (int i = 0; i < n; i++) out[outOff + i] = deviant[deviantOff + i] - standard[standardOff + i];
    }

    /**
     * Index of the oddball epoch of one trial's outcomes (one modality): the first epoch whose outcome
     * differs from the outcome repeated in every epoch before it, provided it was repeated at least
     * twice (a standard must be established); -1 when there is none.
     *
     * @param outcomes 0-based outcomes per epoch. Not modified.
     */
    public static int deviantEpoch(int[] outcomes) {
        for (int t = 1; t < outcomes.length; t++) {
            if (outcomes[t] != outcomes[0]) return t >= 2 ? t : -1;
        }
        return -1;
    }
}
