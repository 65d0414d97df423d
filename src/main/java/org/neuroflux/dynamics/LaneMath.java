package org.neuroflux.dynamics;

/**
 * The logarithms and exponentials of the {@link BatchSolver}, taken in place over contiguous runs
 * of lanes. Plain loops over {@link Math#log} and {@link Math#exp}: the batched path then computes,
 * lane for lane, the very doubles of the scalar {@link TrialSolver}. BENCHMARKS.md ("Batched
 * engine") gives the measurements behind this choice over the incubating Vector API.
 */
final class LaneMath {
    private LaneMath() {}

    /** a[i] = ln a[i] for i in [from, to). */
    static void log(double[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = Math.log(a[i]);
    }

    /** a[i] = exp a[i] for i in [from, to). */
    static void exp(double[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = Math.exp(a[i]);
    }
}
