package org.neuroflux.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {
    @Test
    void logGammaMatchesFactorialsAndHalfIntegers() {
        double factorial = 1;
        for (int n = 1; n <= 30; n++) {
            assertEquals(
                    Math.log(factorial),
                    SpecialFunctions.logGamma(n),
                    1e-13 * Math.max(1, Math.log(factorial)),
                    "ln Gamma(" + n + ")");
            factorial *= n;
        }
        assertEquals(0.5 * Math.log(Math.PI), SpecialFunctions.logGamma(0.5), 1e-15);
        assertEquals(Math.log(0.75 * Math.sqrt(Math.PI)), SpecialFunctions.logGamma(2.5), 1e-15);
        // Stirling check at a count size SPM's Dirichlet terms meet (several hundred)
        double x = 400.25;
        double stirling =
                (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
        assertEquals(stirling, SpecialFunctions.logGamma(x), 1e-12);
    }

    @Test
    void digammaMatchesKnownValuesAndItsRecurrence() {
        double eulerGamma = 0.5772156649015329;
        assertEquals(-eulerGamma, SpecialFunctions.digamma(1), 1e-15);
        assertEquals(-eulerGamma - 2 * Math.log(2), SpecialFunctions.digamma(0.5), 1e-14);
        for (double x : new double[] {1.0 / 32, 0.3, 2.7, 17.5, 130}) {
            assertEquals(
                    SpecialFunctions.digamma(x) + 1 / x,
                    SpecialFunctions.digamma(x + 1),
                    1e-13,
                    "psi(x+1) = psi(x) + 1/x at " + x);
        }
    }

    @Test
    void nonPositiveArgumentsAreRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logGamma(0));
        assertEquals("logGamma needs x > 0, was 0.0", e.getMessage());
    }
}
