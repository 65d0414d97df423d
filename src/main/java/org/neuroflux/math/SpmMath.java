package org.neuroflux.math;

/**
 * SPM's elementwise helpers. Every method works on a slice {@code [offset, offset + n)} and writes
 * into a caller-owned array (which may alias the input where stated). Sums run left to right, as
 * MATLAB's {@code sum} and reference BLAS do, because parity with SPM is checked to 1e-9.
 */
public final class SpmMath {
    /** SPM's floor inside logarithms: {@code spm_log(x) = log(x + 1e-16)}, so ln 0 = -36.84. */
    public static final double LOG_FLOOR = 1e-16;

    private SpmMath() {}

    /**
     * True when {@code x / d == x * (1 / d)} for every x, bit for bit: d is a power of two whose
     * reciprocal is a normal double, so 1/d is exact and both sides round the same real number.
     * Lets a division on a critical path become a multiplication without changing any result.
     */
    public static boolean hasExactReciprocal(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int exponent = (int) (bits >>> 52); // sign bit included: negative d is refused
        return (bits & 0xF_FFFF_FFFF_FFFFL) == 0 && exponent >= 1 && exponent <= 2045;
    }

    /** spm_log of one value: {@code log(x + 1e-16)}. */
    public static double ln(double x) {
        return Math.log(x + LOG_FLOOR);
    }

    /** out[i] = log(x[i] + 1e-16). x and out may alias. */
    public static void ln(double[] x, int xOff, double[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) out[outOff + i] = Math.log(x[xOff + i] + LOG_FLOOR);
    }

    /**
     * spm_softmax of one column: subtract the max, exponentiate, divide by the sum. x and out may
     * alias.
     */
    public static void softmax(double[] x, int xOff, double[] out, int outOff, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) if (x[xOff + i] > max) max = x[xOff + i];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(x[xOff + i] - max);
            out[outOff + i] = e;
            sum += e;
        }
        for (int i = 0; i < n; i++) out[outOff + i] = out[outOff + i] / sum;
    }

    /** spm_norm of one column: divide by the sum; a column summing to 0 becomes uniform. In place. */
    public static void normaliseColumn(double[] x, int off, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) sum += x[off + i];
        for (int i = 0; i < n; i++) {
            double v = x[off + i] / sum;
            x[off + i] = Double.isNaN(v) ? 1.0 / n : v; // 0/0 -> uniform, as spm_norm's isnan rule
        }
    }

    /** spm_norm of every column of a (rows x rest) column-major array. In place. */
    public static void normaliseColumns(double[] x, int rows) {
        for (int off = 0; off < x.length; off += rows) normaliseColumn(x, off, rows);
    }

    /** Left-to-right sum of a slice. */
    public static double sum(double[] x, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[off + i];
        return s;
    }

    /** Left-to-right dot product of two slices. */
    public static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /**
     * MATLAB's {@code gradient} of a vector: one-sided differences at the ends, central differences
     * inside. out must not alias x.
     */
    public static void gradient(double[] x, int n, double[] out) {
        if (n == 1) {
            out[0] = 0;
            return;
        }
        out[0] = x[1] - x[0];
        out[n - 1] = x[n - 1] - x[n - 2];
        for (int i = 1; i < n - 1; i++) out[i] = (x[i + 1] - x[i - 1]) / 2;
    }
}
