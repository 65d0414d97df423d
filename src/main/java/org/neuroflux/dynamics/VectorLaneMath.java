package org.neuroflux.dynamics;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneMath}'s kernels on the incubating Vector API (the JIT maps LOG and EXP to the
 * platform's vector math library, SVML on x86): loaded only when the module jdk.incubator.vector
 * was resolved at start-up. Results can differ from Math.log / Math.exp in the last bit
 * (BENCHMARKS.md, "Batched engine"); the tails shorter than a vector use Math.
 */
final class VectorLaneMath {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private VectorLaneMath() {}

    static String describe() {
        return "Vector API, " + SPECIES.length() + " doubles per vector";
    }

    static void log(double[] a, int from, int to) {
        int i = from;
        int step = SPECIES.length();
        for (int upper = from + SPECIES.loopBound(to - from); i < upper; i += step) {
            DoubleVector.fromArray(SPECIES, a, i).lanewise(VectorOperators.LOG).intoArray(a, i);
        }
        for (; i < to; i++) a[i] = Math.log(a[i]);
    }

    static void exp(double[] a, int from, int to) {
        int i = from;
        int step = SPECIES.length();
        for (int upper = from + SPECIES.loopBound(to - from); i < upper; i += step) {
            DoubleVector.fromArray(SPECIES, a, i).lanewise(VectorOperators.EXP).intoArray(a, i);
        }
        for (; i < to; i++) a[i] = Math.exp(a[i]);
    }
}
