package org.neuroflux.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.neuroflux.math.SpmMath;

class FieldPotentialTest {
    @Test
    void lfpOfARampIsItsSlopeInRatePerSecondIncludingTheEnds() {
        double[] rate = new double[16];
        for (int i = 0; i < rate.length; i++) rate[i] = 0.1 + 0.05 * i;
        double[] lfp = new double[16];
        FieldPotential.epoch(rate, 0, 16, 64, lfp, 0);
        for (double v : lfp) assertEquals(0.05 * 64, v, 1e-12);
    }

    @Test
    void centralDifferencesInsideAndOneSidedAtTheEndsOfAQuadratic() {
        double[] rate = new double[8];
        for (int i = 0; i < rate.length; i++) rate[i] = i * i;
        double[] lfp = new double[8];
        FieldPotential.epoch(rate, 0, 8, 1, lfp, 0);
        assertEquals(1, lfp[0]); // 1 - 0
        for (int i = 1; i < 7; i++) assertEquals(2.0 * i, lfp[i], 1e-12); // exact for a quadratic
        assertEquals(49 - 36, lfp[7]);
    }

    @Test
    void epochsAreDifferentiatedSeparatelySoAJumpBetweenEpochsLeavesNoTrace() {
        double[] rate = {0, 1, 2, 3, 10, 10, 10, 10};
        double[] lfp = new double[8];
        FieldPotential.epochs(rate, 0, 2, 4, 64, lfp, 0);
        assertArrayEquals(new double[] {64, 64, 64, 64, 0, 0, 0, 0}, lfp, 0);
    }

    @Test
    void inPlaceGivesTheSameValuesAsASeparateOutput() {
        double[] rate = {0.3, 0.1, 0.7, 0.2, 0.9, 0.4};
        double[] out = new double[6];
        FieldPotential.epoch(rate, 0, 6, 64, out, 0);
        FieldPotential.epoch(rate, 0, 6, 64, rate, 0);
        assertArrayEquals(out, rate, 0);
    }

    @Test
    void aOneSampleEpochHasZeroLfpAndATwoSampleEpochOneSidedDifferences() {
        double[] out = new double[2];
        FieldPotential.epoch(new double[] {0.4}, 0, 1, 64, out, 0);
        assertEquals(0, out[0]);
        FieldPotential.epoch(new double[] {0.25, 0.5}, 0, 2, 4, out, 0);
        assertArrayEquals(new double[] {1, 1}, out, 0);
    }

    @Test
    void atUnitRateItIsMatlabsGradientBitForBit() {
        double[] x = new double[48];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < x.length; i++) x[i] = random.nextDouble();
        double[] expected = new double[48];
        SpmMath.gradient(x, 48, expected);
        double[] actual = new double[48];
        FieldPotential.epoch(x, 0, 48, 1, actual, 0);
        assertArrayEquals(expected, actual, 0);
    }

    @Test
    void reproducesSpmsGradientEndRulesInItsDopamineTrace() throws Exception {
        // SPM computed dn = 8 * gradient(wn) + wn / 8 over the whole trial (tmaze-ai-onpolicy/out.json)
        JsonNode out;
        try (InputStream in = getClass().getResourceAsStream("/reference/tmaze-ai-onpolicy/out.json")) {
            out = new ObjectMapper().readTree(in);
        }
        int n = out.get("wn").size();
        double[] wn = new double[n];
        for (int i = 0; i < n; i++) wn[i] = out.get("wn").get(i).asDouble();
        double[] grad = new double[n];
        FieldPotential.epoch(wn, 0, n, 1, grad, 0);
        for (int i = 0; i < n; i++)
            assertEquals(out.get("dn").get(i).asDouble(), 8 * grad[i] + wn[i] / 8, 1e-12, "dn at " + i);
    }
}
