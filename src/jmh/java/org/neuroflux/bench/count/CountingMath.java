package org.neuroflux.bench.count;

import java.util.Arrays;

/**
 * What {@code Math.log} and {@code Math.exp} become in the counting copy of the solver (see
 * {@link CountingClassLoader}): each call is counted, optionally its argument recorded, and then
 * forwarded to {@link Math}. Single-threaded use only; allocation here is fine, as this copy is
 * never timed.
 */
public final class CountingMath {
    private static long logs;
    private static long exps;
    private static boolean recording;
    private static double[] logArgs = new double[1 << 12];
    private static double[] expArgs = new double[1 << 12];
    private static int logRecorded;
    private static int expRecorded;

    private CountingMath() {}

    public static double log(double a) {
        logs++;
        if (recording) {
            if (logRecorded == logArgs.length) logArgs = Arrays.copyOf(logArgs, 2 * logArgs.length);
            logArgs[logRecorded++] = a;
        }
        return Math.log(a);
    }

    public static double exp(double a) {
        exps++;
        if (recording) {
            if (expRecorded == expArgs.length) expArgs = Arrays.copyOf(expArgs, 2 * expArgs.length);
            expArgs[expRecorded++] = a;
        }
        return Math.exp(a);
    }

    static long logs() {
        return logs;
    }

    static long exps() {
        return exps;
    }

    /** Zeroes the counters and forgets recorded arguments. */
    static void reset() {
        logs = 0;
        exps = 0;
        logRecorded = 0;
        expRecorded = 0;
        recording = false;
    }

    static void record(boolean on) {
        recording = on;
    }

    static double[] recordedLogArguments() {
        return Arrays.copyOf(logArgs, logRecorded);
    }

    static double[] recordedExpArguments() {
        return Arrays.copyOf(expArgs, expRecorded);
    }
}
