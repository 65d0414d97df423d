package org.neuroflux.math;

/**
 * spm_dot for small dense column-major tensors: contracts chosen dimensions with vectors, one
 * dimension at a time in ascending order (as spm_dot's bsxfun-and-sum loop does), so the sums
 * happen in SPM's order. Owns two scratch buffers; no allocation per call. Not thread-safe.
 */
public final class TensorContraction {
    private final int[] cur;
    private final double[] a;
    private final double[] b;

    /**
     * @param maxDims largest number of dimensions of a tensor passed in
     * @param maxSize largest number of elements of a tensor passed in
     */
    public TensorContraction(int maxDims, int maxSize) {
        cur = new int[maxDims];
        a = new double[maxSize];
        b = new double[maxSize];
    }

    /**
     * Contracts every dimension d of {@code tensor} (dimensions {@code dims}) except {@code keep}
     * with {@code vectors[d]}, and writes what remains into out: a vector of length dims[keep],
     * or, with keep = -1, the scalar into out[0]. Neither input is modified.
     */
    public void contract(double[] tensor, int[] dims, int keep, double[][] vectors, double[] out) {
        int n = 1;
        for (int d = 0; d < dims.length; d++) {
            cur[d] = dims[d];
            n *= dims[d];
        }
        double[] src = tensor;
        double[] dst = a;
        for (int d = 0; d < dims.length; d++) {
            if (d == keep) continue;
            contractDimension(src, dims.length, d, vectors[d], dst);
            n /= cur[d];
            cur[d] = 1;
            src = dst;
            dst = (dst == a) ? b : a;
        }
        System.arraycopy(src, 0, out, 0, n);
    }

    /** Contracts dimension d of src (current dims in {@code cur}) with v, into dst. */
    private void contractDimension(double[] src, int nd, int d, double[] v, double[] dst) {
        int inner = 1;
        for (int e = 0; e < d; e++) inner *= cur[e];
        int len = cur[d];
        int outer = 1;
        for (int e = d + 1; e < nd; e++) outer *= cur[e];
        for (int o = 0; o < outer; o++) {
            int base = o * inner * len;
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int k = 0; k < len; k++) s += src[base + i + inner * k] * v[k];
                dst[o * inner + i] = s;
            }
        }
    }
}
