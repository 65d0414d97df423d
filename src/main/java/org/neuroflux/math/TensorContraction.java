package org.neuroflux.math;

/**
 * spm_dot for small dense column-major tensors: contracts chosen dimensions with vectors, one
 * dimension at a time in ascending order (as spm_dot's bsxfun-and-sum loop does), so the sums
 * happen in SPM's order. Owns two scratch buffers; no allocation per call. Not thread-safe.
 */
public final class TensorContraction {
    private final int[] cur;
    private final int[] zeros;
    private final double[] a;
    private final double[] b;

    /**
     * @param maxDims largest number of dimensions of a tensor passed in
     * @param maxSize largest number of elements of a tensor passed in
     */
    public TensorContraction(int maxDims, int maxSize) {
        cur = new int[maxDims];
        zeros = new int[maxDims];
        a = new double[maxSize];
        b = new double[maxSize];
    }

    /**
     * Contracts every dimension d of {@code tensor} (dimensions {@code dims}) except {@code keep}
     * with {@code vectors[d]}, and writes what remains into out: a vector of length dims[keep],
     * or, with keep = -1, the scalar into out[0]. Neither input is modified.
     */
    public void contract(double[] tensor, int[] dims, int keep, double[][] vectors, double[] out) {
        contract(tensor, dims, keep, vectors, zeros, out, 0);
    }

    /**
     * As {@link #contract(double[], int[], int, double[][], double[])}, with vector d read from
     * {@code vectors[d][offsets[d]...]} and the result written from {@code out[outOff]}. out must
     * not alias the tensor or a vector.
     */
    public void contract(
            double[] tensor, int[] dims, int keep, double[][] vectors, int[] offsets, double[] out, int outOff) {
        if (dims.length == 2 && keep >= 0) {
            contractMatrix(tensor, dims[0], dims[1], keep, vectors, offsets, out, outOff);
            return;
        }
        int n = 1;
        for (int d = 0; d < dims.length; d++) {
            cur[d] = dims[d];
            n *= dims[d];
        }
        int last = dims.length - 1;
        if (last == keep) last--;
        if (last < 0) {
            System.arraycopy(tensor, 0, out, outOff, n); // nothing to contract
            return;
        }
        double[] src = tensor;
        double[] dst = a;
        for (int d = 0; d <= last; d++) {
            if (d == keep) continue;
            boolean lastStage = d == last; // the last contraction writes the result in place
            if (lastStage) dst = out;
            contractDimension(src, dims.length, d, vectors[d], offsets[d], dst, lastStage ? outOff : 0);
            cur[d] = 1;
            src = dst;
            dst = (dst == a) ? b : a;
        }
    }

    /**
     * The common two-dimensional case (one factor kept, the other contracted) as one loop nest:
     * the same sums, each over k ascending from 0, as {@link #contractDimension} computes.
     */
    private static void contractMatrix(
            double[] m, int rows, int cols, int keep, double[][] vectors, int[] offsets, double[] out, int outOff) {
        if (keep == 0) {
            double[] v = vectors[1];
            int vOff = offsets[1];
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int k = 0; k < cols; k++) s += m[i + rows * k] * v[vOff + k];
                out[outOff + i] = s;
            }
        } else {
            double[] v = vectors[0];
            int vOff = offsets[0];
            for (int o = 0; o < cols; o++) {
                double s = 0;
                for (int k = 0; k < rows; k++) s += m[o * rows + k] * v[vOff + k];
                out[outOff + o] = s;
            }
        }
    }

    /** Contracts dimension d of src (current dims in {@code cur}) with v from vOff, into dst from dstOff. */
    private void contractDimension(double[] src, int nd, int d, double[] v, int vOff, double[] dst, int dstOff) {
        int inner = 1;
        for (int e = 0; e < d; e++) inner *= cur[e];
        int len = cur[d];
        int outer = 1;
        for (int e = d + 1; e < nd; e++) outer *= cur[e];
        for (int o = 0; o < outer; o++) {
            int base = o * inner * len;
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int k = 0; k < len; k++) s += src[base + i + inner * k] * v[vOff + k];
                dst[dstOff + o * inner + i] = s;
            }
        }
    }
}
