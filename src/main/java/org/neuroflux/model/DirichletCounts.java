package org.neuroflux.model;

/**
 * A model's Dirichlet concentration parameters in SPM's names and layouts (those of A, B, C, D
 * and E; c is (No_g, T) like C); each is null when the model does not learn that parameter.
 * Arrays are held as given, not copied: the holder must not change them.
 *
 * @param likelihood  a[g]
 * @param transitions b[f]
 * @param preferences c[g]
 * @param initial     d[f]
 * @param policies    e
 */
public record DirichletCounts(
        double[][] likelihood, double[][] transitions, double[][] preferences, double[][] initial, double[] policies) {
    /** Only b, c and e (the counts a model holds beside its a and d). */
    DirichletCounts(double[][] transitions, double[][] preferences, double[] policies) {
        this(null, transitions, preferences, null, policies);
    }
}
