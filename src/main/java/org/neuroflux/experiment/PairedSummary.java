package org.neuroflux.experiment;

/**
 * Mean, standard deviation and 95% confidence interval of paired differences (Student's t), and
 * the paired t statistic; applied to plain values it is the one-sample summary of their mean.
 *
 * @param n      number of pairs
 * @param mean   mean difference
 * @param sd     sample standard deviation of the differences
 * @param low    lower end of the 95% confidence interval of the mean
 * @param high   upper end
 */
public record PairedSummary(int n, double mean, double sd, double low, double high) {

    /** The paired t statistic mean / (sd / sqrt(n)), with n - 1 degrees of freedom. */
    public double t() {
        return mean / (sd / Math.sqrt(n));
    }

    public static PairedSummary of(double[] differences) {
        int n = differences.length;
        double mean = 0;
        for (double d : differences) mean += d;
        mean /= n;
        double ss = 0;
        for (double d : differences) ss += (d - mean) * (d - mean);
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        double half = n > 1 ? studentT975(n - 1) * sd / Math.sqrt(n) : Double.NaN;
        return new PairedSummary(n, mean, sd, mean - half, mean + half);
    }

    /**
     * The 97.5% quantile of Student's t with df degrees of freedom: exact table for small df,
     * then the Cornish-Fisher expansion around the normal quantile (error below 1e-4 for df >= 8).
     */
    public static double studentT975(int df) {
        double[] small = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646};
        if (df <= small.length) return small[df - 1];
        double z = 1.959963984540054;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        return z
                + (z3 + z) / (4.0 * df)
                + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df);
    }
}
