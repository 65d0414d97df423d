package org.neuroflux.dynamics;

import java.util.Arrays;
import org.neuroflux.math.SpmMath;
import org.neuroflux.math.TensorContraction;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.CategoricalSampler;
import org.neuroflux.random.UniformSource;

/**
 * SPM's trial algorithm (spm_MDP_VB_X.m r7487, and the authors' fork through {@link SolverOptions}),
 * one epoch at a time, so that a trial can be run offline in a loop or driven live by a stream of
 * outcomes. See docs/algorithm.md sections 3-9 for the algorithm; comments here only mark where
 * the code follows SPM's exact order of operations.
 *
 * <p>With a continuous {@link IntegrationMode} ({@link SolverOptions#withIntegration}) each plausible
 * policy's beliefs follow the {@link BeliefFlow} over Ni/tau model time instead of Ni discrete
 * iterations; the flow is sampled at the end of each iteration interval, so the per-iteration
 * outputs (xn, vn) and everything downstream keep their shapes, and the policy's free energy is
 * that of the final state. Precision follows its own flow ({@link PrecisionFlow}, docs/algorithm.md
 * section 8.2) over the same model time, with the same integrator and steps, sampled at the same
 * times, so that it and dopamine are functions of model time whatever the sampling. Policy selection,
 * action and learning are unchanged.
 *
 * <p>All workspaces are allocated in the constructor for one model shape; {@link #startTrial},
 * {@link #runEpoch} allocate nothing (AllocationTest), {@link #finishTrial} only the learned counts
 * it returns. Not thread-safe: one instance per simulated agent.
 *
 * <p>Deep models: a level above another gets the lower level's evidence through an
 * {@link OutcomeEvidence} ({@link #setOutcomeEvidence}; that hook runs whole lower trials and
 * allocates), and a lower level stops early through {@link #stopWhenSettled}. Both are off by default.
 */
public final class TrialSolver implements EpochResults {
    private final SolverOptions options;
    private final AgentModel m;
    private final int ni;
    private final int T;
    private final TensorContraction contraction;
    private final int[][] outcomeDims; // per modality: No_g, Ns_1..Ns_F
    private final double[][] outcomeAndStates; // {qo, xq[0..F)} for spm_dot over outcome and states
    private final ExpectedFreeEnergy expectedFreeEnergy;
    private final PredictionError predictionError;
    private final ContinuousEpoch continuous; // null for the discrete sweep
    private final ContinuousPrecision continuousPrecision; // null for the discrete sweep

    // beliefs per factor, per policy k and time point j: x[f][(k*T + j)*Ns + s]
    private final double[][] x;
    // per-policy iterates of the current epoch: xnPolicy[f][i + Ni*(s + Ns*(j + T*k))]
    private final double[][] xnPolicy;
    private final double[][] vnPolicy;
    // policy-averaged iterates of the current epoch: rates[f][i + Ni*(s + Ns*j)]
    private final double[][] rates;
    private final double[][] errors;
    // beliefs at the start of the current epoch (after the reset), per policy as x, and policy-averaged
    // like the rates: the origin of each epoch's path for the whole-path information length
    private final double[][] xStart;
    private final double[][] startRates; // [f][s + Ns*j]
    private final double[][] likelihoodByEpoch; // L[t][joint]
    private final double[][] outcomeVectors; // O[g][o + No*t]
    private final double[][] bma; // X[f][s + Ns*t]
    private final double[] policyPosterior; // u[k + Np*t]
    private final double[] policyPosteriorTrace; // un of this epoch, [k + Np*i]
    private final double[] precisionTrace; // wn of this epoch
    private final double[] precisionSlope; // continuous time: dw per model iteration at each sample of this epoch
    private final double[] precisionByEpoch;
    private final double[] freeEnergy;
    private final double[] previousFreeEnergy;
    private final double[] expected;
    private final double[] actionProbabilities; // P[control + jointControls*t]
    private final double[] qu;
    private final double[] pu;
    private final double[] logits;
    private final int[] plausible;
    private int plausibleCount;
    private final int[] policies; // V[(k*(T-1) + row)*F + f], grows for moving policies
    private int policyRows;
    private final int[] states; // s[f + F*t]
    private final int[] outcomes; // o[g + G*t]
    private final int[] actions; // u[f + F*t]
    private final double[][] xq;
    private final double[] scalar;
    private final double[] lnSx;
    private final double[] eps;
    private final double[] projectionScratch; // the Euclidean step's sort
    private final boolean[] updating; // per plausible policy: does this iteration update it
    private final boolean[] frozen; // per plausible policy: skips every remaining iteration
    private final double[] sweepFreeEnergy; // per plausible policy: F of the current iteration
    private final double[] freeEnergyChange; // per plausible policy: dF of the last iteration
    private final int[] stride;
    private final boolean model0Moving;
    private final boolean[] settledSeen;

    private GenerativeModel model;
    private TrialFixture fixture;
    private UniformSource random;
    private int epoch; // next epoch to run
    private double rate; // qb, the posterior rate of precision
    private int horizonEnd; // S of the last epoch
    private double[] suppliedOutcome; // per-epoch external outcome distributions, flattened per modality
    private boolean outcomeSupplied;
    private double totalFreeEnergy;
    private OutcomeEvidence evidence; // null: the outcomes observed are the evidence
    private int[] settleFactors; // null: every trial runs T epochs
    private int lastEpoch; // epochs this trial runs: T, or fewer once a subordinate level has settled

    public TrialSolver(GenerativeModel model, SolverOptions options) {
        this.options = options;
        this.m = new AgentModel(model);
        this.model0Moving = model.movingPolicies();
        this.ni = options.iterations();
        this.T = m.epochs;
        int nf = m.nf;
        int np = m.np;
        outcomeDims = new int[m.ng][nf + 1];
        int maxNo = 0;
        for (int g = 0; g < m.ng; g++) {
            maxNo = Math.max(maxNo, m.no[g]);
            outcomeDims[g][0] = m.no[g];
            System.arraycopy(m.ns, 0, outcomeDims[g], 1, nf);
        }
        contraction = new TensorContraction(nf + 1, maxNo * m.joint);
        expectedFreeEnergy = new ExpectedFreeEnergy(m);
        x = new double[nf][];
        xnPolicy = new double[nf][];
        vnPolicy = new double[nf][];
        rates = new double[nf][];
        errors = new double[nf][];
        xStart = new double[nf][];
        startRates = new double[nf][];
        bma = new double[nf][];
        xq = new double[nf][];
        outcomeAndStates = new double[nf + 1][];
        int maxNs = 0;
        for (int f = 0; f < nf; f++) {
            int n = m.ns[f];
            maxNs = Math.max(maxNs, n);
            x[f] = new double[np * T * n];
            xnPolicy[f] = new double[ni * n * T * np];
            vnPolicy[f] = new double[ni * n * T * np];
            rates[f] = new double[ni * n * T];
            errors[f] = new double[ni * n * T];
            xStart[f] = new double[np * T * n];
            startRates[f] = new double[n * T];
            bma[f] = new double[n * T];
            xq[f] = new double[n];
        }
        outcomeAndStates[0] = new double[maxNo];
        for (int f = 0; f < nf; f++) outcomeAndStates[f + 1] = xq[f];
        scalar = new double[1];
        likelihoodByEpoch = new double[T][m.joint];
        outcomeVectors = new double[m.ng][];
        for (int g = 0; g < m.ng; g++) outcomeVectors[g] = new double[m.no[g] * T];
        policyPosterior = new double[np * T];
        policyPosteriorTrace = new double[np * ni];
        precisionTrace = new double[ni];
        precisionSlope = new double[ni];
        precisionByEpoch = new double[T];
        freeEnergy = new double[np];
        previousFreeEnergy = new double[np];
        expected = new double[np];
        actionProbabilities = new double[m.jointControls * Math.max(1, T - 1)];
        qu = new double[np];
        pu = new double[np];
        logits = new double[Math.max(np, m.jointControls)];
        plausible = new int[np];
        policies = new int[np * Math.max(1, T - 1) * nf];
        states = new int[nf * T];
        outcomes = new int[m.ng * T];
        actions = new int[nf * Math.max(1, T - 1)];
        lnSx = new double[maxNs];
        eps = new double[maxNs];
        projectionScratch = new double[maxNs];
        updating = new boolean[np];
        frozen = new boolean[np];
        sweepFreeEnergy = new double[np];
        freeEnergyChange = new double[np];
        stride = new int[nf];
        settledSeen = new boolean[nf];
        int s = 1;
        for (int f = 0; f < nf; f++) {
            stride[f] = s;
            s *= m.ns[f];
        }
        suppliedOutcome = new double[Arrays.stream(m.no).sum()];
        predictionError = new PredictionError(m, likelihoodByEpoch);
        continuous = options.integration().continuous()
                ? new ContinuousEpoch(m, predictionError, options.integration(), ni, options.scheme())
                : null;
        continuousPrecision =
                options.integration().continuous() ? new ContinuousPrecision(options.integration(), np) : null;
    }

    public SolverOptions options() {
        return options;
    }

    /** Iterations per epoch, Ni. */
    public int iterations() {
        return ni;
    }

    /** Epochs per trial, T. */
    public int epochs() {
        return T;
    }

    /**
     * Starts a trial of {@code model} (same shape as the one this solver was built for; its
     * Dirichlet counts may differ, as learning changes them from trial to trial).
     */
    public void startTrial(GenerativeModel trialModel, TrialFixture trialFixture, UniformSource rng) {
        if (trialModel.jointStateCount() != m.joint
                || trialModel.policyCount() != m.np
                || trialModel.epochs() != T
                || trialModel.modalityCount() != m.ng
                || trialModel.movingPolicies() != model0Moving) {
            throw new IllegalArgumentException(
                    "model " + trialModel.summary() + " does not have the shape this solver was built for");
        }
        if (trialFixture.states().length != m.nf
                || trialFixture.outcomes().length != m.ng
                || trialFixture.actions().length != m.nf) {
            throw new IllegalArgumentException("fixture rows do not match the model's factors and modalities");
        }
        this.model = trialModel;
        this.fixture = trialFixture;
        this.random = rng;
        m.prepare(trialModel);
        expectedFreeEnergy.prepare();
        int nf = m.nf;
        int np = m.np;
        for (int f = 0; f < nf; f++) {
            int n = m.ns[f];
            Arrays.fill(x[f], 1.0 / n);
            for (int k = 0; k < np; k++) System.arraycopy(m.initial[f], 0, x[f], (k * T) * n, n);
            Arrays.fill(bma[f], 0);
            System.arraycopy(m.initial[f], 0, bma[f], 0, n);
        }
        for (double[] o : outcomeVectors) Arrays.fill(o, 0);
        Arrays.fill(policyPosterior, 0);
        if (np == 1) Arrays.fill(policyPosterior, 1); // SPM: u = ones(1, T) for a single policy
        Arrays.fill(actionProbabilities, 0);
        Arrays.fill(precisionByEpoch, 0);
        Arrays.fill(states, 0);
        Arrays.fill(outcomes, 0);
        Arrays.fill(actions, 0);
        plausibleCount = np;
        for (int k = 0; k < np; k++) plausible[k] = k;
        int rows = trialModel.policySteps();
        policyRows = Math.min(rows, T - 1);
        for (int k = 0; k < np; k++) {
            for (int j = 0; j < policyRows; j++) {
                for (int f = 0; f < nf; f++) policies[(k * (T - 1) + j) * nf + f] = trialModel.policyControl(k, j, f);
            }
        }
        rate = trialModel.parameters().beta();
        precisionByEpoch[0] = 1 / rate;
        epoch = 0;
        lastEpoch = T;
        outcomeSupplied = false;
    }

    /**
     * Hierarchical models (docs/model-format.md, "Deep models"): {@code evidence} is called in every
     * epoch once that epoch's true states and outcomes are known and before they are used, and may
     * replace outcome likelihoods with {@link #replaceOutcomeLikelihood}. Null (the default) removes it.
     */
    public void setOutcomeEvidence(OutcomeEvidence evidence) {
        this.evidence = evidence;
    }

    /**
     * Makes this the solver of a subordinate level (SPM's mdp.factor): a trial ends after the first
     * epoch at which the posterior over initial states of these factors has a summed negative entropy
     * sum_f X_f(:,1)' ln X_f(:,1) above -chi. Null (the default) runs every trial for T epochs.
     */
    public void stopWhenSettled(int[] factors) {
        this.settleFactors = factors == null ? null : factors.clone();
    }

    /** Epochs the current trial runs: T, or fewer once a subordinate level has settled. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /**
     * During {@link OutcomeEvidence#supply}: the outcome of modality g predicted from the beliefs held at
     * the start of this epoch, spm_dot(A{g}, X(:,t)), written into dst[0..No_g).
     */
    public void predictOutcome(int g, double[] dst) {
        int t = epoch;
        for (int f = 0; f < m.nf; f++) System.arraycopy(bma[f], m.ns[f] * t, xq[f], 0, m.ns[f]);
        contraction.contract(m.likelihood[g], outcomeDims[g], 0, outcomeAndStates, dst);
    }

    /** During {@link OutcomeEvidence#supply}: replaces O{g,t}, this epoch's evidence of modality g. */
    public void replaceOutcomeLikelihood(int g, double[] likelihood) {
        System.arraycopy(likelihood, 0, outcomeVectors[g], m.no[g] * epoch, m.no[g]);
    }

    /** O{g,t}: the evidence the solver used for outcome o of modality g at epoch t (one-hot unless replaced). */
    public double outcomeLikelihood(int g, int o, int t) {
        return outcomeVectors[g][o + m.no[g] * t];
    }

    public boolean hasNextEpoch() {
        return epoch < lastEpoch;
    }

    /** Index (0-based) of the next epoch {@link #runEpoch} will run; after it, of the one it ran + 1. */
    public int nextEpoch() {
        return epoch;
    }

    /**
     * Supplies the next epoch's outcome of modality g (0-based index), instead of the fixture or the
     * generative process. When any outcome is supplied no hidden state is sampled for that epoch.
     */
    public void supplyOutcome(int g, int outcome) {
        if (outcome < 0 || outcome >= m.no[g]) {
            throw new IllegalArgumentException(
                    "outcome " + outcome + " of modality " + g + " outside 0.." + (m.no[g] - 1));
        }
        int off = outcomeOffset(g);
        Arrays.fill(suppliedOutcome, off, off + m.no[g], 0);
        suppliedOutcome[off + outcome] = 1;
        outcomeSupplied = true;
    }

    /** Supplies a soft outcome (a probability vector over modality g's outcomes) for the next epoch. */
    public void supplyOutcomeDistribution(int g, double[] probabilities) {
        System.arraycopy(probabilities, 0, suppliedOutcome, outcomeOffset(g), m.no[g]);
        outcomeSupplied = true;
    }

    private int outcomeOffset(int g) {
        int off = 0;
        for (int h = 0; h < g; h++) off += m.no[h];
        return off;
    }

    /** Runs the next epoch: outcome, belief updates, policies and precision, action. */
    public void runEpoch() {
        if (epoch >= lastEpoch) throw new IllegalStateException("trial already has its " + lastEpoch + " epochs");
        int t = epoch;
        observe(t);
        if (!model.movingPolicies() && t > 0) prunePolicies(t);
        resetBeliefs();
        for (int f = 0; f < m.nf; f++) System.arraycopy(x[f], 0, xStart[f], 0, x[f].length);
        int horizon = policyRows + 1;
        horizonEnd = horizon;
        int backwardLimit = model.movingPolicies() ? t + 1 : horizon; // SPM's R (1-based)
        Arrays.fill(freeEnergy, 0);
        if (continuous == null) {
            updatePolicies(t, horizon, backwardLimit);
        } else {
            double tau = model.parameters().tau();
            for (int p = 0; p < plausibleCount; p++) {
                int k = plausible[p];
                freeEnergy[k] = continuous.run(x, xnPolicy, vnPolicy, policies, k, t, horizon, backwardLimit, tau);
            }
        }
        if (m.np > 1) {
            evaluatePolicies(t, horizon);
            if (continuousPrecision == null) updatePrecision(t);
            else integratePrecision(t);
        } else {
            totalFreeEnergy = freeEnergy[0];
            Arrays.fill(expected, 0);
        }
        averageOverPolicies(t, horizon);
        if (settleFactors != null && settled()) lastEpoch = t + 1;
        if (t < lastEpoch - 1) selectAction(t);
        epoch++;
        outcomeSupplied = false;
    }

    // --- outcome ---------------------------------------------------------------------------------

    private void observe(int t) {
        int nf = m.nf;
        if (!outcomeSupplied) {
            for (int f = 0; f < nf; f++) {
                int fixed = fixture.state(f, t);
                if (fixed != TrialFixture.FREE) {
                    states[f + nf * t] = fixed;
                    continue;
                }
                int n = m.ns[f];
                if (t > 0) {
                    int off = actions[f + nf * (t - 1)] * n * n + states[f + nf * (t - 1)] * n;
                    states[f + nf * t] = draw(m.processTransitions[f], off, n);
                } else {
                    states[f + nf * t] = draw(m.processInitial[f], 0, n);
                }
            }
            int jointState = 0;
            for (int f = 0; f < nf; f++) jointState += states[f + nf * t] * stride[f];
            for (int g = 0; g < m.ng; g++) {
                int fixed = fixture.outcome(g, t);
                int o = fixed != TrialFixture.FREE
                        ? fixed
                        : draw(m.processLikelihood[g], jointState * m.no[g], m.no[g]);
                outcomes[g + m.ng * t] = o;
                outcomeVectors[g][o + m.no[g] * t] = 1;
            }
        } else {
            for (int f = 0; f < nf; f++) states[f + nf * t] = TrialFixture.FREE;
            int off = 0;
            for (int g = 0; g < m.ng; g++) {
                int best = 0;
                for (int o = 0; o < m.no[g]; o++) {
                    outcomeVectors[g][o + m.no[g] * t] = suppliedOutcome[off + o];
                    if (suppliedOutcome[off + o] > suppliedOutcome[off + best]) best = o;
                }
                outcomes[g + m.ng * t] = best;
                off += m.no[g];
            }
        }
        if (evidence != null) evidence.supply(this, t);
        // L = prod_g spm_dot(A{g}, O{g,t}): the likelihood of the outcome for every joint state
        double[] L = likelihoodByEpoch[t];
        Arrays.fill(L, 1);
        for (int g = 0; g < m.ng; g++) {
            int no = m.no[g];
            double[] a = m.likelihood[g];
            for (int s = 0; s < m.joint; s++) {
                double sum = 0;
                for (int o = 0; o < no; o++) sum += a[s * no + o] * outcomeVectors[g][o + no * t];
                L[s] = L[s] * sum;
            }
        }
    }

    /** SPM's residual-uncertainty check: sum over the linked factors of X(:,1)' ln X(:,1) > -chi. */
    private boolean settled() {
        double h = 0;
        boolean[] seen = settledSeen;
        Arrays.fill(seen, false);
        for (int f : settleFactors) {
            if (seen[f]) continue; // SPM stores H(f) once per factor however many links name it
            seen[f] = true;
            for (int s = 0; s < m.ns[f]; s++) h += bma[f][s] * SpmMath.ln(bma[f][s]);
        }
        return h > -model.parameters().chi();
    }

    private int draw(double[] p, int offset, int n) {
        return CategoricalSampler.sample(random.nextUniform(), p, offset, n);
    }

    // --- beliefs ---------------------------------------------------------------------------------

    private void prunePolicies(int t) {
        int np = m.np;
        double max = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < plausibleCount; p++)
            max = Math.max(max, Math.log(policyPosterior[plausible[p] + np * (t - 1)]));
        int kept = 0;
        double zeta = model.parameters().zeta();
        for (int p = 0; p < plausibleCount; p++) {
            int k = plausible[p];
            if (Math.log(policyPosterior[k + np * (t - 1)]) - max > -zeta) plausible[kept++] = k;
        }
        plausibleCount = kept;
    }

    /** Epoch reset: every belief becomes softmax(ln(s) / erp). */
    private void resetBeliefs() {
        double erp = model.parameters().erp();
        for (int f = 0; f < m.nf; f++) {
            int n = m.ns[f];
            double[] xf = x[f];
            for (int off = 0; off < xf.length; off += n) {
                for (int s = 0; s < n; s++) xf[off + s] = SpmMath.ln(xf[off + s]) / erp;
                SpmMath.softmax(xf, off, xf, off, n);
            }
        }
    }

    /**
     * Ni iterations of belief updates for every plausible policy. Policies do not interact here
     * (each has its own beliefs, free energy and convergence gate), so their updates are
     * interleaved, step by step, each policy's steps keeping their own order (iteration,
     * time point, factor): consecutive steps are then independent and the processor can overlap
     * them, where one policy alone is a single chain of dependent operations (a few per cent on
     * the T-maze). Results are those of updating the policies one after the other.
     */
    private void updatePolicies(int t, int horizon, int backwardLimit) {
        int nf = m.nf;
        int np = plausibleCount;
        double tau = model.parameters().tau();
        Scheme scheme = options.scheme();
        ConvergenceGate gate = options.gate();
        for (int p = 0; p < np; p++) {
            freeEnergyChange[p] = 1;
            frozen[p] = false;
        }
        for (int i = 0; i < ni; i++) {
            for (int p = 0; p < np; p++) {
                if (frozen[p]) continue;
                updating[p] = gate.updates(freeEnergyChange[p], i + 1);
                sweepFreeEnergy[p] = 0;
                if (!updating[p] && gate.skipsForGood(i + 1)) {
                    // its beliefs, errors (0) and free energy stay as they are for the rest of the epoch
                    recordFrozen(plausible[p], i, horizon);
                    frozen[p] = true;
                }
            }
            for (int j = 0; j < horizon; j++) {
                for (int f = 0; f < nf; f++) {
                    int n = m.ns[f];
                    double[] xf = x[f];
                    double[] xnf = xnPolicy[f];
                    double[] vnf = vnPolicy[f];
                    for (int p = 0; p < np; p++) {
                        if (frozen[p]) continue;
                        int k = plausible[p];
                        int at = (k * T + j) * n;
                        if (updating[p]) {
                            // the belief is updated in place: its neighbours j-1, j+1 were read before
                            double dot = predictionError.compute(
                                    x, k * T, policies, k * (T - 1) * nf, t, j, f, backwardLimit, lnSx, eps);
                            sweepFreeEnergy[p] = sweepFreeEnergy[p] + dot / nf;
                            BeliefStep.apply(
                                    scheme, xf, at, lnSx, eps, predictionError.errorSum(), n, tau, projectionScratch);
                        } else {
                            Arrays.fill(eps, 0, n, 0);
                            sweepFreeEnergy[p] = previousFreeEnergy[k];
                        }
                        int base = i + ni * n * (j + T * k);
                        for (int s = 0; s < n; s++) {
                            xnf[base + ni * s] = xf[at + s];
                            vnf[base + ni * s] = eps[s];
                        }
                    }
                }
            }
            for (int p = 0; p < np; p++) {
                if (frozen[p]) continue;
                int k = plausible[p];
                freeEnergy[k] = sweepFreeEnergy[p];
                if (i > 0) freeEnergyChange[p] = freeEnergy[k] - previousFreeEnergy[k];
                previousFreeEnergy[k] = freeEnergy[k];
            }
        }
    }

    /**
     * What iterations i..Ni-1 of a frozen policy k record: its unchanged beliefs as xn and 0 as vn
     * (iterations of one state and time point are contiguous), and its free energy unchanged.
     */
    private void recordFrozen(int k, int from, int horizon) {
        for (int f = 0; f < m.nf; f++) {
            int n = m.ns[f];
            for (int j = 0; j < horizon; j++) {
                int at = (k * T + j) * n;
                for (int s = 0; s < n; s++) {
                    int base = ni * (s + n * (j + T * k));
                    Arrays.fill(xnPolicy[f], base + from, base + ni, x[f][at + s]);
                    Arrays.fill(vnPolicy[f], base + from, base + ni, 0);
                }
            }
        }
        freeEnergy[k] = previousFreeEnergy[k];
    }

    // --- policies and precision ------------------------------------------------------------------

    private void evaluatePolicies(int t, int horizon) {
        Arrays.fill(expected, 0);
        for (int p = 0; p < plausibleCount; p++) {
            int k = plausible[p];
            double q = 0;
            if (m.initialNovelty != null) {
                for (int f = 0; f < m.nf; f++)
                    q = q - SpmMath.dot(m.initialNovelty[f], 0, x[f], (k * T) * m.ns[f], m.ns[f]);
            }
            for (int j = t; j < horizon; j++) {
                for (int f = 0; f < m.nf; f++) System.arraycopy(x[f], (k * T + j) * m.ns[f], xq[f], 0, m.ns[f]);
                q = q + expectedFreeEnergy.value(xq);
                for (int g = 0; g < m.ng; g++) {
                    int no = m.no[g];
                    double[] qo = outcomeAndStates[0];
                    // qo = spm_dot(A{g}, xq): contract every state axis, keep the outcome axis
                    contraction.contract(m.likelihood[g], outcomeDims[g], 0, outcomeAndStates, qo);
                    q = q + SpmMath.dot(qo, 0, m.lnPreferences[g], j * no, no);
                    if (m.likelihoodNovelty != null) {
                        // spm_dot(wA{g}, {qo xq{:}}): contract every axis, the outcome axis first
                        contraction.contract(m.likelihoodNovelty[g], outcomeDims[g], -1, outcomeAndStates, scalar);
                        q = q - scalar[0];
                    }
                }
            }
            expected[k] = q;
        }
    }

    private void updatePrecision(int t) {
        int np = m.np;
        double beta = model.parameters().beta();
        boolean fixedPrecision = model.movingPolicies() && !options.precisionForMovingPolicies();
        double step = options.precisionStepOverTau() ? model.parameters().tau() : 2;
        double w = t > 0 ? precisionByEpoch[t - 1] : 1 / rate;
        int n = plausibleCount;
        for (int i = 0; i < ni; i++) {
            for (int p = 0; p < n; p++) {
                int k = plausible[p];
                logits[p] = m.lnPolicyPrior[k] + w * expected[k] + freeEnergy[k];
            }
            SpmMath.softmax(logits, 0, qu, 0, n);
            for (int p = 0; p < n; p++) {
                int k = plausible[p];
                logits[p] = m.lnPolicyPrior[k] + w * expected[k];
            }
            SpmMath.softmax(logits, 0, pu, 0, n);
            if (fixedPrecision) {
                w = 1 / beta;
            } else {
                double eg = 0;
                for (int p = 0; p < n; p++) eg += (qu[p] - pu[p]) * expected[plausible[p]];
                double dFdg = rate - beta + eg;
                rate = rate - dFdg / step;
                w = 1 / rate;
            }
            precisionTrace[i] = w;
            Arrays.fill(policyPosteriorTrace, np * i, np * (i + 1), 0);
            for (int p = 0; p < n; p++) {
                int k = plausible[p];
                policyPosteriorTrace[k + np * i] = qu[p];
                policyPosterior[k + np * t] = qu[p];
            }
        }
        precisionByEpoch[t] = w;
        // H = qu'F(p) - qu'(ln qu - ln pu), with plain logs as SPM
        double h1 = 0;
        double h2 = 0;
        for (int p = 0; p < n; p++) {
            h1 += qu[p] * freeEnergy[plausible[p]];
            h2 += qu[p] * (Math.log(qu[p]) - Math.log(pu[p]));
        }
        totalFreeEnergy = h1 - h2;
    }

    /**
     * The continuous-time counterpart of {@link #updatePrecision} (docs/algorithm.md section 8.2, "In
     * continuous time"): the rate qb follows the precision flow over the epoch's Ni/tau' model time,
     * from the value the previous epoch left, sampled at i/tau' like the beliefs. Its rate constant
     * is per model iteration 1/tau (tau = tau'/samplesPerIteration), so it does not change with the
     * sampling.
     */
    private void integratePrecision(int t) {
        int np = m.np;
        double beta = model.parameters().beta();
        double sampledTau = model.parameters().tau();
        double modelTau = sampledTau / options.samplesPerIteration();
        boolean fixedPrecision = model.movingPolicies() && !options.precisionForMovingPolicies();
        double kappa = options.precisionStepOverTau() ? 1 : modelTau / 2;
        int n = plausibleCount;
        PrecisionFlow flow = continuousPrecision.flow();
        flow.bind(plausible, n, m.lnPolicyPrior, freeEnergy, expected, beta, kappa);
        continuousPrecision.start(rate);
        double[] posterior = flow.posterior();
        double[] prior = flow.prior();
        double w = 1 / beta;
        for (int i = 0; i < ni; i++) {
            if (fixedPrecision) {
                // SPM keeps w at 1/beta under one-step policies and leaves qb alone
                w = 1 / beta;
                flow.evaluatePolicies(w);
                precisionSlope[i] = 0;
            } else {
                double dRate = continuousPrecision.advance(i / sampledTau, (i + 1) / sampledTau);
                double qb = continuousPrecision.rate();
                w = 1 / qb;
                // dw/dt = -dqb/dt / qb^2, per model iteration 1/tau
                precisionSlope[i] = -dRate / (qb * qb) / modelTau;
            }
            precisionTrace[i] = w;
            Arrays.fill(policyPosteriorTrace, np * i, np * (i + 1), 0);
            for (int p = 0; p < n; p++) {
                int k = plausible[p];
                policyPosteriorTrace[k + np * i] = posterior[p];
                policyPosterior[k + np * t] = posterior[p];
            }
        }
        if (!fixedPrecision) rate = continuousPrecision.rate();
        precisionByEpoch[t] = w;
        double h1 = 0;
        double h2 = 0;
        for (int p = 0; p < n; p++) {
            h1 += posterior[p] * freeEnergy[plausible[p]];
            h2 += posterior[p] * (Math.log(posterior[p]) - Math.log(prior[p]));
        }
        totalFreeEnergy = h1 - h2;
    }

    private void averageOverPolicies(int t, int horizon) {
        int np = m.np;
        for (int f = 0; f < m.nf; f++) {
            int n = m.ns[f];
            for (int j = 0; j < horizon; j++) {
                for (int s = 0; s < n; s++) {
                    double sum = 0;
                    for (int k = 0; k < np; k++) sum += x[f][(k * T + j) * n + s] * policyPosterior[k + np * t];
                    bma[f][s + n * j] = sum;
                }
            }
            double[] r = rates[f];
            double[] e = errors[f];
            double[] r0 = startRates[f];
            Arrays.fill(r, 0);
            Arrays.fill(e, 0);
            Arrays.fill(r0, 0);
            for (int p = 0; p < plausibleCount; p++) {
                int k = plausible[p];
                double weight = policyPosterior[k + np * t];
                for (int idx = 0; idx < n * horizon; idx++) r0[idx] = r0[idx] + xStart[f][k * T * n + idx] * weight;
                int from = ni * n * T * k;
                for (int idx = 0; idx < ni * n * horizon; idx++) {
                    r[idx] = r[idx] + xnPolicy[f][from + idx] * weight;
                    e[idx] = e[idx] + vnPolicy[f][from + idx] * weight;
                }
            }
        }
    }

    private void selectAction(int t) {
        int nf = m.nf;
        int np = m.np;
        int nc = m.jointControls;
        int off = nc * t;
        double[] pu = actionProbabilities;
        for (int k = 0; k < np; k++) {
            int c = 0;
            int mult = 1;
            for (int f = 0; f < nf; f++) {
                c += policies[(k * (T - 1) + t) * nf + f] * mult;
                mult *= m.nu[f];
            }
            pu[off + c] += policyPosterior[k + np * t];
        }
        double alpha = model.parameters().alpha();
        for (int c = 0; c < nc; c++) pu[off + c] = alpha * Math.log(pu[off + c]);
        SpmMath.softmax(pu, off, pu, off, nc);
        if (fixture.actionFixed(t)) {
            for (int f = 0; f < nf; f++) actions[f + nf * t] = fixture.action(f, t);
        } else {
            int c = draw(pu, off, nc);
            for (int f = 0; f < nf; f++) {
                actions[f + nf * t] = c % m.nu[f];
                c /= m.nu[f];
            }
        }
        if (model.movingPolicies()) {
            for (int k = 0; k < np; k++) {
                for (int f = 0; f < nf; f++) policies[(k * (T - 1) + t) * nf + f] = actions[f + nf * t];
            }
            policyRows = t + 1;
            if (t + 2 < T) {
                for (int k = 0; k < np; k++) {
                    for (int f = 0; f < nf; f++)
                        policies[(k * (T - 1) + t + 1) * nf + f] = model.policyControl(k, 0, f);
                }
                policyRows = t + 2;
            }
            for (int f = 0; f < nf; f++) Arrays.fill(x[f], 1.0 / m.ns[f]);
        }
    }

    // --- results of the last epoch run ------------------------------------------------------------

    /** Horizon S of the last epoch: time points j >= S were not computed in it. */
    public int horizon() {
        return horizonEnd;
    }

    /**
     * Policy-averaged belief (firing rate) of factor f, state s, time point j after iteration i of
     * the last epoch (SPM's xn), weighted by that epoch's final policy posterior.
     */
    @Override
    public double rate(int f, int i, int s, int j) {
        return rates[f][i + ni * (s + m.ns[f] * j)];
    }

    /**
     * Policy-averaged belief of factor f, state s, about time point j at the start of the last epoch
     * (after the reset, before iteration 0), weighted as {@link #rate}: where the epoch's path
     * starts; 0 for time points the epoch did not compute.
     */
    @Override
    public double startRate(int f, int s, int j) {
        return startRates[f][s + m.ns[f] * j];
    }

    /** Policy-averaged mean-subtracted prediction error (SPM's vn), same indices as {@link #rate}. */
    @Override
    public double error(int f, int i, int s, int j) {
        return errors[f][i + ni * (s + m.ns[f] * j)];
    }

    /** Copies the last epoch's rates of factor f, laid out i + Ni*(s + Ns*j), into dst at off. */
    public void copyRates(int f, double[] dst, int off) {
        System.arraycopy(rates[f], 0, dst, off, rates[f].length);
    }

    /** Copies the last epoch's errors of factor f, laid out as {@link #copyRates}. */
    public void copyErrors(int f, double[] dst, int off) {
        System.arraycopy(errors[f], 0, dst, off, errors[f].length);
    }

    /** Policy posterior of policy k after precision iteration i of the last epoch (0 if pruned). */
    @Override
    public double policyPosteriorAt(int k, int i) {
        return policyPosteriorTrace[k + m.np * i];
    }

    /** Expected precision after precision iteration i of the last epoch. */
    @Override
    public double precisionAt(int i) {
        return precisionTrace[i];
    }

    /**
     * Continuous time: the rate of change of precision at sample i of the last epoch, dw/dt per model
     * iteration (1/tau model time, 1/64 s on the display clock), taken from the precision flow
     * itself; dopamine is 8 times this plus w/8 (docs/algorithm.md section 8.3). NaN for the discrete
     * sweep, whose dopamine differentiates the samples.
     */
    public double precisionSlopeAt(int i) {
        return continuousPrecision == null ? Double.NaN : precisionSlope[i];
    }

    /** Whether beliefs and precision follow the continuous-time flows. */
    public boolean continuousTime() {
        return continuous != null;
    }

    /** Policy posterior of policy k at the end of epoch t (SPM's R). */
    @Override
    public double policyPosterior(int k, int t) {
        return policyPosterior[k + m.np * t];
    }

    /** Precision at the end of epoch t (SPM's w). */
    @Override
    public double precision(int t) {
        return precisionByEpoch[t];
    }

    /** (Negative) free energy of policy k in the last epoch (SPM's F(:,t)). */
    public double freeEnergy(int k) {
        return freeEnergy[k];
    }

    /** (Negative) expected free energy of policy k in the last epoch (SPM's G(:,t)). */
    @Override
    public double expectedFreeEnergy(int k) {
        return expected[k];
    }

    /** SPM's H(t) of the last epoch: qu'F - KL(qu || pu). */
    @Override
    public double totalFreeEnergy() {
        return totalFreeEnergy;
    }

    /** Probability of joint control c (first factor fastest) after epoch t (SPM's P). */
    public double actionProbability(int c, int t) {
        return actionProbabilities[c + m.jointControls * t];
    }

    public int jointControlCount() {
        return m.jointControls;
    }

    /** True state of factor f at epoch t (0-based), or FREE when outcomes were supplied. */
    @Override
    public int state(int f, int t) {
        return states[f + m.nf * t];
    }

    @Override
    public int outcome(int g, int t) {
        return outcomes[g + m.ng * t];
    }

    public int action(int f, int t) {
        return actions[f + m.nf * t];
    }

    /** Bayesian model average of factor f's belief about time point j (SPM's X). */
    public double averageBelief(int f, int s, int j) {
        return bma[f][s + m.ns[f] * j];
    }

    /** Final belief of factor f about time point j under policy k (SPM's Q). */
    public double policyBelief(int f, int s, int j, int k) {
        return x[f][(k * T + j) * m.ns[f] + s];
    }

    /** Whether policy k took part in the last epoch (it was not pruned by the Occam window). */
    public boolean plausible(int k) {
        for (int p = 0; p < plausibleCount; p++) if (plausible[p] == k) return true;
        return false;
    }

    public int stateCount(int f) {
        return m.ns[f];
    }

    public int factorCount() {
        return m.nf;
    }

    public int modalityCount() {
        return m.ng;
    }

    public int outcomeCount(int g) {
        return m.no[g];
    }

    @Override
    public int policyCount() {
        return m.np;
    }

    /**
     * Dirichlet learning after the last epoch (spm_MDP_VB_X's learning section): returns the
     * updated counts a, b, c, d and e (null where the model does not learn them) and their free energies.
     */
    public LearnedCounts finishTrial() {
        if (epoch < lastEpoch)
            throw new IllegalStateException("trial has run " + epoch + " of " + lastEpoch + " epochs");
        return ParameterLearning.afterTrial(
                model, outcomeVectors, bma, x, policies, policyPosterior, m.ns, m.no, m.np, T, lastEpoch);
    }
}
