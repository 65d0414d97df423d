package org.neuroflux.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.neuroflux.random.SplitMixSource;

/**
 * The authors' per-trial score (cat_inf_length) is computed column by column for speed; it must
 * stay, bit for bit, the step-by-step loop of its definition: for each step i, the squared chord
 * differences of every column summed in column order, then the steps' square roots summed in order.
 */
class PooledChordLengthTest {
    private static double definition(double[] xn, int iterations) {
        int columns = xn.length / iterations;
        double total = 0;
        for (int i = 0; i + 1 < iterations; i++) {
            double s = 0;
            for (int c = 0; c < columns; c++) {
                double d = Math.sqrt(xn[i + iterations * c]) - Math.sqrt(xn[i + 1 + iterations * c]);
                s += d * d;
            }
            total += Math.sqrt(s);
        }
        return 2 * total;
    }

    @Test
    void equalsTheStepByStepDefinitionBitForBit() {
        SplitMixSource random = new SplitMixSource(5);
        for (int iterations : new int[] {1, 2, 16, 512}) {
            for (int columns : new int[] {1, 6, 36}) {
                double[] xn = new double[iterations * columns];
                for (int k = 0; k < xn.length; k++) xn[k] = random.nextUniform() < 0.1 ? 0 : random.nextUniform();
                assertEquals(
                        Double.doubleToLongBits(definition(xn, iterations)),
                        Double.doubleToLongBits(InformationLength.pooledChordLength(xn, iterations)),
                        iterations + " iterations x " + columns + " columns");
            }
        }
    }
}
