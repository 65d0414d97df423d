package org.neuroflux.dynamics;

/**
 * Everything one trial produced, in SPM's output layouts (column-major, 0-based), as
 * spm_MDP_VB_X returns it: xn, vn (Ni, Ns, T, T) per factor; un (Np, Ni*T); wn and dn (Ni*T);
 * X (Ns, T); P (Nu_1..Nu_F, T-1); R, F, G (Np, T); H and w (T); Q (Ns, T, Np); o, s, u; learned
 * counts. For one-step policies SPM drops R's last column and un's last Ni columns; the arrays
 * here keep them and {@link #movingPolicies()} tells writers to drop them.
 *
 * <p>A subordinate level of a deep model can stop before T (SPM's residual-uncertainty check): then
 * {@link #epochs} is the number of epochs run, which sizes every per-epoch array as SPM's outputs
 * are sized, while X and Q keep all {@link #timePoints} time points.
 */
public final class TrialTrace {
    public final int iterations;
    public final int epochs;
    /** Time points of X and Q: the model's T, even when the trial stopped earlier. */
    public final int timePoints;

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
    /** O{g,t}, the evidence used, [g][o + No*t]: set for a level with a subordinate, else null. */
    public double[][] outcomeLikelihoods;
    /** The subordinate level's trial at each epoch run (SPM's mdp), or null for a single-level model. */
    public TrialTrace[] lower;
    /** For a subordinate level's trial: the prior over initial states it received (SPM's D), else null. */
    public double[][] receivedPrior;

    TrialTrace(TrialSolver solver, int[] nu, boolean moving) {
        this(
                solver.iterations(),
                solver.epochs(),
                solver.policyCount(),
                stateCounts(solver),
                outcomeCounts(solver),
                nu,
                solver.jointControlCount(),
                moving);
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
    TrialTrace(
            int iterations, int epochs, int policies, int[] ns, int[] no, int[] nu, int jointControls, boolean moving) {
        this.iterations = iterations;
        this.epochs = epochs;
        this.timePoints = epochs;
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

    public int outcomeCountOf(int g) {
        return outcomeCounts[g];
    }

    /** This trace cut to the first {@code run} epochs (a subordinate level that settled early). */
    TrialTrace truncated(int run) {
        return run == epochs ? this : new TrialTrace(this, run);
    }

    private TrialTrace(TrialTrace full, int run) {
        iterations = full.iterations;
        epochs = run;
        timePoints = full.timePoints;
        policies = full.policies;
        states = full.states;
        outcomeCounts = full.outcomeCounts;
        controls = full.controls;
        movingPolicies = full.movingPolicies;
        int nf = states.length;
        int ni = iterations;
        int T = full.epochs;
        xn = new double[nf][];
        vn = new double[nf][];
        x0 = new double[nf][];
        for (int f = 0; f < nf; f++) {
            int ns = states[f];
            xn[f] = new double[ni * ns * run * run];
            vn[f] = new double[ni * ns * run * run];
            x0[f] = new double[ns * run * run];
            for (int t = 0; t < run; t++) {
                for (int j = 0; j < run; j++) {
                    int from = ni * ns * (j + T * t);
                    int to = ni * ns * (j + run * t);
                    System.arraycopy(full.xn[f], from, xn[f], to, ni * ns);
                    System.arraycopy(full.vn[f], from, vn[f], to, ni * ns);
                    System.arraycopy(full.x0[f], ns * (j + T * t), x0[f], ns * (j + run * t), ns);
                }
            }
        }
        int n = ni * run;
        un = java.util.Arrays.copyOf(full.un, policies * n);
        wn = java.util.Arrays.copyOf(full.wn, policies > 1 ? n : 0);
        dn = java.util.Arrays.copyOf(full.dn, policies > 1 ? n : 0);
        X = full.X;
        Q = full.Q;
        int nc = full.P.length / Math.max(1, T - 1);
        P = java.util.Arrays.copyOf(full.P, nc * Math.max(0, run - 1));
        R = java.util.Arrays.copyOf(full.R, policies * run);
        F = java.util.Arrays.copyOf(full.F, policies * run);
        G = java.util.Arrays.copyOf(full.G, policies * run);
        H = java.util.Arrays.copyOf(full.H, run);
        w = java.util.Arrays.copyOf(full.w, run);
        s = new int[nf][];
        u = new int[nf][];
        for (int f = 0; f < nf; f++) {
            s[f] = java.util.Arrays.copyOf(full.s[f], run);
            u[f] = java.util.Arrays.copyOf(full.u[f], Math.max(0, run - 1));
        }
        o = new int[full.o.length][];
        for (int g = 0; g < o.length; g++) o[g] = java.util.Arrays.copyOf(full.o[g], run);
        learned = full.learned;
        outcomeLikelihoods = full.outcomeLikelihoods;
        lower = full.lower;
        receivedPrior = full.receivedPrior;
    }
}
