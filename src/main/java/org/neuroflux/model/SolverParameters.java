package org.neuroflux.model;

/**
 * The scalar parameters of SPM's solver, with SPM's defaults (spm_MDP_VB_X.m r7487).
 *
 * @param tau   time constant of the gradient descent (default 4): one iteration is a step of 1/tau
 * @param erp   epoch reset: beliefs become softmax(ln s / erp) at the start of every epoch (default 4)
 * @param alpha action precision (default 512)
 * @param beta  prior rate of the precision's Gamma prior (default 1)
 * @param zeta  Occam window for pruning policies, in nats (default 3)
 * @param eta   learning rate of the Dirichlet counts a (default 1)
 * @param chi   residual-uncertainty threshold for hierarchical models (default 1/64; kept for parity)
 */
public record SolverParameters(double tau, double erp, double alpha, double beta, double zeta, double eta, double chi) {

    /** SPM's defaults. */
    public static final SolverParameters DEFAULTS = new SolverParameters(4, 4, 512, 1, 3, 1, 1.0 / 64);

    public SolverParameters {
        requirePositive("tau", tau);
        requirePositive("erp", erp);
        requirePositive("alpha", alpha);
        requirePositive("beta", beta);
        requirePositive("zeta", zeta);
        if (!(eta >= 0) || Double.isInfinite(eta))
            throw new IllegalArgumentException("eta must be finite and >= 0, was " + eta);
        requirePositive("chi", chi);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) { // !(x > 0) also rejects NaN
            throw new IllegalArgumentException(name + " must be finite and > 0, was " + value);
        }
    }

    public SolverParameters withTau(double value) {
        return new SolverParameters(value, erp, alpha, beta, zeta, eta, chi);
    }
}
