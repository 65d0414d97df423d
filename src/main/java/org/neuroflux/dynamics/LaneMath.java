package org.neuroflux.dynamics;

/**
 * The logarithms and exponentials of the {@link BatchSolver}, taken in place over contiguous runs
 * of lanes. By default plain loops over {@link Math#log} and {@link Math#exp}: the batched path
 * then computes, lane for lane, the very doubles of the scalar {@link TrialSolver}, and a plain
 * {@code java -jar} runs it. When the JVM was started with {@code --add-modules
 * jdk.incubator.vector} (and {@code -Dneuroflux.vector=false} is not set) the runs go through the
 * Vector API ({@link VectorLaneMath}): several times cheaper per element, equal to Math's results
 * to the last bit or one unit in it. BENCHMARKS.md ("Batched engine") has the measurements.
 */
public final class LaneMath {
    /** Whether the Vector API kernels are in use; fixed at class initialisation, so the JIT folds the test. */
    private static final boolean VECTOR =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                    && !"false".equals(System.getProperty("neuroflux.vector"));

    private LaneMath() {}

    /** Which kernels the batched solver uses in this JVM, for logs and benchmark reports. */
    public static String kernel() {
        return VECTOR ? VectorLaneMath.describe() : "plain loops over Math.log / Math.exp";
    }

    /** True when the batched results equal the scalar solver's bit for bit (the plain kernels). */
    public static boolean exact() {
        return !VECTOR;
    }

    /** a[i] = ln a[i] for i in [from, to). */
    static void log(double[] a, int from, int to) {
        if (VECTOR) {
            VectorLaneMath.log(a, from, to);
            return;
        }
        for (int i = from; i < to; i++) a[i] = Math.log(a[i]);
    }

    /**
     * a[row + b] = ln a[row + b] for the count lanes b in lanes (ascending, within [lo, hi)). The
     * plain kernels take exactly those; the vector kernels take the whole range when the listed
     * lanes fill at least a third of it (a vector logarithm costs less than a third of Math.log's).
     */
    static void logLanes(double[] a, int row, int lo, int hi, int[] lanes, int count) {
        if (VECTOR && 3 * count >= hi - lo) {
            VectorLaneMath.log(a, row + lo, row + hi);
            return;
        }
        for (int p = 0; p < count; p++) a[row + lanes[p]] = Math.log(a[row + lanes[p]]);
    }

    /** a[row + b] = exp a[row + b] for the listed lanes, as {@link #logLanes}. */
    static void expLanes(double[] a, int row, int lo, int hi, int[] lanes, int count) {
        if (VECTOR && 3 * count >= hi - lo) {
            VectorLaneMath.exp(a, row + lo, row + hi);
            return;
        }
        for (int p = 0; p < count; p++) a[row + lanes[p]] = Math.exp(a[row + lanes[p]]);
    }

    /** a[i] = exp a[i] for i in [from, to). */
    static void exp(double[] a, int from, int to) {
        if (VECTOR) {
            VectorLaneMath.exp(a, from, to);
            return;
        }
        for (int i = from; i < to; i++) a[i] = Math.exp(a[i]);
    }
}
