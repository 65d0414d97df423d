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
        this(solver.iterations(), solver.epochs(), solver.policyCount(), stateCounts(solver), outcomeCounts(solver), nu,
                solver.jointControlCount(), moving);
    }

    private static int[] stateCounts(TrialSolver solver) {
        int[] n = new int[solver.factorCount()];
        for (int f = 0; f < n.length; f++) n[f] = solver.stateCount(f);
        return n;
    }

    private static int[] outcomeCounts(TrialSolver solver) {
        int[] n = new int[solver.modalityCount()];
        for (int g = 0; g < n.length; g++) n[g] = solver.outcomeCount(g);
        return n;
    }

    /** An empty trace of one shape: Ni, T, Np, Ns per factor, No per modality, Nu per factor. */
    TrialTrace(int iterations, int epochs, int policies, int[] ns, int[] no, int[] nu, int jointControls, boolean moving) {
        this.iterations = iterations;
        this.epochs = epochs;
        this.policies = policies;
        int nf = ns.length;
        int ng = no.length;
        states = ns.clone();
        controls = nu.clone();
        movingPolicies = moving;
        outcomeCounts = no.clone();
        int n = iterations * epochs;
        xn = new double[nf][];
        vn = new double[nf][];
        X = new double[nf][];
        Q = new double[nf][];
        for (int f = 0; f < nf; f++) {
            xn[f] = new double[iterations * states[f] * epochs * epochs];
            vn[f] = new double[iterations * states[f] * epochs * epochs];
            X[f] = new double[states[f] * epochs];
            Q[f] = new double[states[f] * epochs * policies];
        }
        un = new double[policies * n];
        wn = new double[policies > 1 ? n : 0];
        dn = new double[policies > 1 ? n : 0];
        P = new double[jointControls * Math.max(0, epochs - 1)];
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
