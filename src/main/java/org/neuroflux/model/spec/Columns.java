package org.neuroflux.model.spec;

import java.util.function.IntFunction;

/**
 * Checks that probability columns sum to 1 and divides each by its sum, as SPM's spm_norm does.
 * A column is off when |sum - 1| > 1e-9: an error, unless the file says {@code normalise: true},
 * in which case it is rescaled. An all-zero column is always an error.
 */
final class Columns {
    static final double TOLERANCE = 1e-9;
    /** Problems reported per array before the rest are summarised in one line. */
    static final int MAX_REPORTED = 10;

    private Columns() {}

    /**
     * Normalises each column of x in place (rows entries per column, column-major).
     *
     * @param label    names column c for messages, e.g. "column (location=3, context=1)"; "" for a single vector
     * @param zeroHint what an all-zero column means here
     * @return false if any column had a problem (recorded at {@code at})
     */
    static boolean normalise(
            double[] x, int rows, boolean rescale, SpecNode at, IntFunction<String> label, String zeroHint) {
        int bad = 0;
        for (int off = 0, c = 0; off < x.length; off += rows, c++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) sum += x[off + i];
            String problem = null;
            if (sum == 0) {
                problem = "sums to 0, expected 1 (" + zeroHint + ")";
            } else if (Math.abs(sum - 1) > TOLERANCE && !rescale) {
                problem = "sums to " + SpecNode.sum(sum) + ", expected 1 (set normalise: true to rescale)";
            }
            if (problem != null) {
                String prefix = label.apply(c);
                if (++bad <= MAX_REPORTED) at.error(prefix.isEmpty() ? problem : prefix + " " + problem);
                continue;
            }
            for (int i = 0; i < rows; i++) x[off + i] /= sum;
        }
        if (bad > MAX_REPORTED)
            at.error("and " + (bad - MAX_REPORTED) + " more column(s) with the same kind of problem");
        return bad == 0;
    }
}
