package org.neuroflux.dynamics;

/**
 * Everything one trial produced, in SPM's output layouts (column-major, 0-based), as
 * spm_MDP_VB_X returns it: xn, vn (Ni, Ns, T, T) per factor; un (Np, Ni*T); wn and dn (Ni*T);
 * X (Ns, T); P (Nu_1..Nu_F, T-1); R, F, G (Np, T); H and w (T); Q (Ns, T, Np); o, s, u; learned
 * counts. For one-step policies SPM drops R's last column and un's last Ni columns; the arrays
 * here keep them and {@link #movingPolicies()} tells writers to drop them.
 */
public final class TrialTrace {
    public final int iterations;
    public final int epochs;
    public final int policies;
    public final int[] states;
    public final int[] outcomeCounts;
    public final int[] controls;
    public final boolean movingPolicies;

    public final double[][] xn;
    public final double[][] vn;
    /** Where each epoch's path starts: the policy-averaged belief after the epoch's reset, (Ns, T, T) per factor. */
    public final double[][] x0;
    public final double[] un;
    public final double[] wn;
    public final double[] dn;
    public final double[][] X;
    public final double[] P;
    public final double[] R;
    public final double[] F;
    public final double[] G;
    public final double[] H;
    public final double[] w;
    public final double[][] Q;
    public final int[][] s;
    public final int[][] o;
    public final int[][] u;
    public LearnedCounts learned;

    TrialTrace(TrialSolver solver, int[] nu, boolean moving) {
        iterations = solver.iterations();
        epochs = solver.epochs();
        policies = solver.policyCount();
        int nf = solver.factorCount();
        int ng = solver.modalityCount();
        states = new int[nf];
        for (int f = 0; f < nf; f++) states[f] = solver.stateCount(f);
        controls = nu.clone();
        movingPolicies = moving;
        outcomeCounts = new int[ng];
        for (int g = 0; g < ng; g++) outcomeCounts[g] = solver.outcomeCount(g);
        int n = iterations * epochs;
        xn = new double[nf][];
        vn = new double[nf][];
        x0 = new double[nf][];
        X = new double[nf][];
        Q = new double[nf][];
        for (int f = 0; f < nf; f++) {
            xn[f] = new double[iterations * states[f] * epochs * epochs];
            vn[f] = new double[iterations * states[f] * epochs * epochs];
            x0[f] = new double[states[f] * epochs * epochs];
            X[f] = new double[states[f] * epochs];
            Q[f] = new double[states[f] * epochs * policies];
        }
        un = new double[policies * n];
        wn = new double[policies > 1 ? n : 0];
        dn = new double[policies > 1 ? n : 0];
        P = new double[solver.jointControlCount() * Math.max(0, epochs - 1)];
        R = new double[policies * epochs];
        F = new double[policies * epochs];
        G = new double[policies * epochs];
        H = new double[epochs];
        w = new double[epochs];
        s = new int[nf][epochs];
        o = new int[ng][epochs];
        u = new int[nf][Math.max(0, epochs - 1)];
    }

    public int outcomeCountOf(int g) { return outcomeCounts[g]; }
}
