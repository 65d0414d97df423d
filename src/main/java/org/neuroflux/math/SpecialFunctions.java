package org.neuroflux.math;

/**
 * Log-gamma and digamma to about 1e-15 relative accuracy for positive arguments, for SPM's
 * Dirichlet divergence ({@code spm_KL_dir}).
 */
public final class SpecialFunctions {
    // Lanczos approximation, g = 607/128, 15 coefficients (Godfrey's table): relative error < 1e-15.
    private static final double LANCZOS_G = 607.0 / 128.0;
    private static final double[] LANCZOS = {
        0.99999999999999709182,
        57.156235665862923517,
        -59.597960355475491248,
        14.136097974741747174,
        -0.49191381609762019978,
        0.33994649984811888699e-4,
        0.46523628927048575665e-4,
        -0.98374475304879564677e-4,
        0.15808870322491248884e-3,
        -0.21026444172410488319e-3,
        0.21743961811521264320e-3,
        -0.16431810653676389022e-3,
        0.84418223983852743293e-4,
        -0.26190838401581408670e-4,
        0.36899182659531622704e-5,
    };
    private static final double HALF_LOG_2PI = 0.91893853320467274178;

    private SpecialFunctions() {}

    /** ln Gamma(x) for x > 0. */
    public static double logGamma(double x) {
        if (!(x > 0)) throw new IllegalArgumentException("logGamma needs x > 0, was " + x);
        if (x < 0.5) {
            // reflection keeps the Lanczos sum in its accurate range
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double sum = LANCZOS[0];
        for (int i = LANCZOS.length - 1; i > 0; i--) sum += LANCZOS[i] / (x - 1 + i);
        double t = x - 0.5 + LANCZOS_G;
        return HALF_LOG_2PI + (x - 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** Digamma psi(x) = d/dx ln Gamma(x) for x > 0. */
    public static double digamma(double x) {
        if (!(x > 0)) throw new IllegalArgumentException("digamma needs x > 0, was " + x);
        double result = 0;
        // recurrence psi(x) = psi(x + 1) - 1/x until the asymptotic series is accurate
        while (x < 10) {
            result -= 1 / x;
            x += 1;
        }
        double inv = 1 / x;
        double inv2 = inv * inv;
        // psi(x) ~ ln x - 1/(2x) - sum B_2k / (2k x^2k)
        double series = inv2
                * (1.0 / 12
                        - inv2
                                * (1.0 / 120
                                        - inv2
                                                * (1.0 / 252
                                                        - inv2
                                                                * (1.0 / 240
                                                                        - inv2
                                                                                * (1.0 / 132
                                                                                        - inv2
                                                                                                * (691.0 / 32760
                                                                                                        - inv2
                                                                                                                / 12))))));
        return result + Math.log(x) - 0.5 * inv - series;
    }
}
