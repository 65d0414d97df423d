package org.neuroflux.dynamics;

import java.util.Arrays;
import org.neuroflux.math.SpmMath;
import org.neuroflux.math.TensorContraction;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.CategoricalSampler;
import org.neuroflux.random.UniformSource;

/**
 * {@link TrialSolver}'s algorithm for B agents of one model shape and one {@link SolverOptions}, in
 * lockstep, epoch by epoch (docs/algorithm.md: the trial algorithm). Each agent (a lane) has its
 * own model values (parameters, C, D, learned a and d), fixture, random stream, outcomes, actions,
 * policies and convergence.
 *
 * <p>Layout: structure of arrays with the lane innermost, {@code array[element * B + lane]}, for
 * everything the belief sweep touches (beliefs, per-policy iterates, likelihoods, transitions, ln
 * D). The sweep runs every lane through the same operations, so the logarithms and exponentials
 * of one marginal form contiguous runs over lanes ({@link LaneMath}). SPM's data-dependent control
 * flow is a mask per (policy, lane): Occam pruning clears a policy's lane, the convergence gate
 * decides per lane whether an iteration updates or keeps the beliefs, the fork's gate freezes a
 * lane's policy; a policy with no live lane is skipped, and the sweep ends when no lane has a live
 * policy. Results are committed only for live lanes, so every lane sees exactly the operations,
 * in the same order, that the scalar solver performs for that agent: the batched results are the
 * scalar ones, bit for bit (BatchSolverTest). Logarithms and exponentials, the sweep's dearest
 * operations, are taken only for the lanes that update (the others' values are discarded).
 *
 * <p>The per-epoch parts that are not iterated Ni times (outcomes, pruning, expected free energy,
 * precision, action, learning) run lane by lane with the scalar code's own helpers.
 *
 * <p>What this covers is {@link #unsupported}: the discrete sweep of the active-inference and
 * natural-gradient steps, any gate, V or U policies, a and d learning. Callers send anything else
 * to {@link TrialSolver} ({@link BatchRunner#supports}). No allocation per epoch; not thread-safe.
 */
public final class BatchSolver {
    private final SolverOptions options;
    private final int lanes;
    private final int ni;
    private final int T;
    private final int nf;
    private final int ng;
    private final int np;
    private final int joint;
    private final int[] ns;
    private final int[] no;
    private final int[] nu;
    private final int jointControls;
    private final boolean moving;
    private final int maxNs;

    // per lane: the prepared model, its expected free energy table, its scalar state
    private final AgentModel[] lm;
    private final ExpectedFreeEnergy[] efe;
    private final GenerativeModel[] models;
    private final TrialFixture[] fixtures;
    private final UniformSource[] randoms;
    private final double[][][] outcomeVectors; // [b][g][o + No*t]
    private final double[][][] bma; // [b][f][s + Ns*t]
    private final double[][] policyPosterior; // [b][k + Np*t]
    private final double[][] policyPosteriorTrace; // [b][k + Np*i]
    private final double[][] precisionTrace; // [b][i]
    private final double[][] precisionByEpoch; // [b][t]
    private final double[][] expected; // [b][k]
    private final double[][] actionProbabilities; // [b][c + Nc*t]
    private final int[][] states; // [b][f + F*t]
    private final int[][] outcomes; // [b][g + G*t]
    private final int[][] actions; // [b][f + F*t]
    private final double[] rate; // qb per lane
    private final double[] totalFreeEnergy;
    private final double[][] suppliedOutcome; // [b][flattened per modality]
    private final boolean[] outcomeSupplied;

    // lane-innermost arrays of the sweep: [element * B + b]
    private final double[][] x; // [f][((k*T + j)*Ns + s) * B + b]
    private final double[][] xStart; // x after the epoch's reset, same layout: where each path starts
    private final double[][] startRates; // [f][(s + Ns*j) * B + b], the policy average of xStart
    private final double[][] xnPolicy; // [f][(i + Ni*(s + Ns*(j + T*k))) * B + b]
    private final double[][] vnPolicy;
    private final double[][] rates; // [f][(i + Ni*(s + Ns*j)) * B + b]
    private final double[][] errors;
    private final double[][] likelihoodByEpoch; // [t][joint * B + b]
    private final double[][] lnInitial; // [f][s * B + b]
    private final double[][] forward; // [f][(u*Ns*Ns + c*Ns + r) * B + b]
    private final double[][] backward;
    private final double[] tau;
    private final double[] erp;
    private final int[] policies; // [((k*(T-1) + row)*F + f) * B + b]
    private int policyRows;

    // masks and per-(policy, lane) sweep state: [k * B + b]
    private final boolean[] plausible;
    private final boolean[] frozen;
    private final int[] frozenAt; // first iteration a frozen (policy, lane) skipped; Ni when it never froze
    private final int[] tail; // per lane: the iteration from which every plausible policy is frozen (or Ni - 1)
    private final boolean[] updating;
    private final boolean[] live;
    private final double[] freeEnergy;
    private final double[] previousFreeEnergy;
    private final double[] sweepFreeEnergy;
    private final double[] freeEnergyChange;

    // sweep scratch
    private final double[] args; // log arguments then values, 4 blocks of Ns rows
    private final double[] lnS;
    private final double[] eps;
    private final double[] next;
    private final double[] zeros; // ln L where no outcome has been seen: 0 in every lane
    private final double[] weights; // [k * B + b]: the policy posterior where plausible, else 0
    private final double[] laneSum;
    private final double[] laneDot;
    private final double[] laneMax;
    private final double[] laneMean;
    private final boolean[] leftSimplex;
    private final double[] contractA;
    private final double[] contractB;
    private final int[] cur;
    private final int[] active; // the lanes of the marginal being swept that update, ascending
    private int activeCount;
    private boolean sparse; // some lane in the swept range does not update: take logs and exps for active ones only

    // the sparse path: a live lane's policy gathered into the scalar layout and run by the scalar kernels
    private final PredictionError[] lanePredictionError;
    private final double[][][] laneLikelihood; // [b][t][joint]
    private final double[][] laneBeliefs; // [f][(j*Ns + s)]: one policy of one lane
    private final int[] laneControls; // [row*F + f]
    private final double[] laneLnS;
    private final double[] laneEps;

    // scalar scratch for the per-lane parts
    private final TensorContraction contraction;
    private final int[][] outcomeDims;
    private final double[][] outcomeAndStates;
    private final double[][] xq;
    private final double[] scalar;
    private final double[] logits;
    private final double[] qu;
    private final double[] pu;
    private final int[] plausibleList;

    private int epoch;
    private int horizonEnd;
    private final EpochResults[] laneViews;

    /**
     * @param shape   a model of the shape every lane's model will have
     * @param options the solver options shared by every lane
     * @param lanes   number of agents B
     */
    public BatchSolver(GenerativeModel shape, SolverOptions options, int lanes) {
        String why = unsupported(shape, options);
        if (why != null) throw new IllegalArgumentException("the batched solver does not run this: " + why);
        if (lanes < 1) throw new IllegalArgumentException("lanes must be >= 1, was " + lanes);
        this.options = options;
        this.lanes = lanes;
        this.ni = options.iterations();
        lm = new AgentModel[lanes];
        efe = new ExpectedFreeEnergy[lanes];
        for (int b = 0; b < lanes; b++) {
            lm[b] = new AgentModel(shape);
            efe[b] = new ExpectedFreeEnergy(lm[b]);
        }
        AgentModel m = lm[0];
        T = m.epochs;
        nf = m.nf;
        ng = m.ng;
        np = m.np;
        joint = m.joint;
        ns = m.ns.clone();
        no = m.no.clone();
        nu = m.nu.clone();
        jointControls = m.jointControls;
        moving = shape.movingPolicies();
        int B = lanes;
        int mx = 0;
        int maxNo = 0;
        for (int f = 0; f < nf; f++) mx = Math.max(mx, ns[f]);
        for (int g = 0; g < ng; g++) maxNo = Math.max(maxNo, no[g]);
        maxNs = mx;
        models = new GenerativeModel[B];
        fixtures = new TrialFixture[B];
        randoms = new UniformSource[B];
        outcomeVectors = new double[B][ng][];
        bma = new double[B][nf][];
        for (int b = 0; b < B; b++) {
            for (int g = 0; g < ng; g++) outcomeVectors[b][g] = new double[no[g] * T];
            for (int f = 0; f < nf; f++) bma[b][f] = new double[ns[f] * T];
        }
        policyPosterior = new double[B][np * T];
        policyPosteriorTrace = new double[B][np * ni];
        precisionTrace = new double[B][ni];
        precisionByEpoch = new double[B][T];
        expected = new double[B][np];
        actionProbabilities = new double[B][jointControls * Math.max(1, T - 1)];
        states = new int[B][nf * T];
        outcomes = new int[B][ng * T];
        actions = new int[B][nf * Math.max(1, T - 1)];
        rate = new double[B];
        totalFreeEnergy = new double[B];
        suppliedOutcome = new double[B][Arrays.stream(no).sum()];
        outcomeSupplied = new boolean[B];

        x = new double[nf][];
        xStart = new double[nf][];
        startRates = new double[nf][];
        xnPolicy = new double[nf][];
        vnPolicy = new double[nf][];
        rates = new double[nf][];
        errors = new double[nf][];
        lnInitial = new double[nf][];
        forward = new double[nf][];
        backward = new double[nf][];
        for (int f = 0; f < nf; f++) {
            int n = ns[f];
            x[f] = new double[np * T * n * B];
            xStart[f] = new double[np * T * n * B];
            startRates[f] = new double[n * T * B];
            xnPolicy[f] = new double[ni * n * T * np * B];
            vnPolicy[f] = new double[ni * n * T * np * B];
            rates[f] = new double[ni * n * T * B];
            errors[f] = new double[ni * n * T * B];
            lnInitial[f] = new double[n * B];
            forward[f] = new double[n * n * nu[f] * B];
            backward[f] = new double[n * n * nu[f] * B];
        }
        likelihoodByEpoch = new double[T][joint * B];
        tau = new double[B];
        erp = new double[B];
        policies = new int[np * Math.max(1, T - 1) * nf * B];
        plausible = new boolean[np * B];
        frozen = new boolean[np * B];
        frozenAt = new int[np * B];
        tail = new int[B];
        updating = new boolean[np * B];
        live = new boolean[np * B];
        freeEnergy = new double[np * B];
        previousFreeEnergy = new double[np * B];
        sweepFreeEnergy = new double[np * B];
        freeEnergyChange = new double[np * B];
        args = new double[4 * maxNs * B];
        lnS = new double[maxNs * B];
        eps = new double[maxNs * B];
        next = new double[maxNs * B];
        zeros = new double[B];
        weights = new double[np * B];
        laneSum = new double[B];
        laneDot = new double[B];
        laneMax = new double[B];
        laneMean = new double[B];
        leftSimplex = new boolean[B];
        contractA = new double[joint * B];
        contractB = new double[joint * B];
        cur = new int[nf];
        active = new int[B];

        lanePredictionError = new PredictionError[B];
        laneLikelihood = new double[B][T][joint];
        for (int b = 0; b < B; b++) lanePredictionError[b] = new PredictionError(lm[b], laneLikelihood[b]);
        laneBeliefs = new double[nf][];
        for (int f = 0; f < nf; f++) laneBeliefs[f] = new double[T * ns[f]];
        laneControls = new int[Math.max(1, T - 1) * nf];
        laneLnS = new double[maxNs];
        laneEps = new double[maxNs];

        outcomeDims = new int[ng][nf + 1];
        for (int g = 0; g < ng; g++) {
            outcomeDims[g][0] = no[g];
            System.arraycopy(ns, 0, outcomeDims[g], 1, nf);
        }
        contraction = new TensorContraction(nf + 1, maxNo * joint);
        xq = new double[nf][];
        outcomeAndStates = new double[nf + 1][];
        for (int f = 0; f < nf; f++) xq[f] = new double[ns[f]];
        outcomeAndStates[0] = new double[maxNo];
        for (int f = 0; f < nf; f++) outcomeAndStates[f + 1] = xq[f];
        scalar = new double[1];
        logits = new double[Math.max(np, jointControls)];
        qu = new double[np];
        pu = new double[np];
        plausibleList = new int[np];
        laneViews = new EpochResults[B];
        for (int b = 0; b < B; b++) laneViews[b] = new Lane(b);
    }

    /**
     * Why the batched solver cannot run this model under these options, or null when it can: the
     * named capability check that {@link BatchRunner#supports} and the callers' dispatch rely on.
     * It lists what is covered rather than what is not, so that a feature added to the scalar
     * solver is sent to the scalar path until it is added here too.
     */
    public static String unsupported(GenerativeModel model, SolverOptions options) {
        if (options.integration().continuous()) return "continuous-time integration (" + options.integration() + ")";
        if (options.scheme() != Scheme.ACTIVE_INFERENCE && options.scheme() != Scheme.NATURAL_GRADIENT) {
            return "scheme " + options.scheme();
        }
        if (options.gate() != ConvergenceGate.SPM
                && options.gate() != ConvergenceGate.FREEZE_AFTER_CONVERGENCE
                && options.gate() != ConvergenceGate.ALWAYS) {
            return "gate " + options.gate();
        }
        // learned b changes the messages, c the preferences, e the policy prior: the scalar solver's
        // (docs/algorithm.md section 9); a deep model runs a lower level inside each epoch
        if (model.learnsTransitions()) return "learning of b";
        if (model.learnsPreferences()) return "learning of c";
        if (model.learnsPolicyPrior()) return "learning of e";
        if (model.subordinate() != null) return "a deep (hierarchical) model";
        return null;
    }

    public SolverOptions options() {
        return options;
    }

    /** Number of agents B. */
    public int lanes() {
        return lanes;
    }

    public int iterations() {
        return ni;
    }

    public int epochs() {
        return T;
    }

    /**
     * Starts a trial in every lane: lane b runs {@code trialModels[b]} (same shape as the solver's;
     * values such as parameters, C, D and learned counts may differ by lane) with its fixture and
     * random stream.
     */
    public void startTrial(GenerativeModel[] trialModels, TrialFixture[] trialFixtures, UniformSource[] streams) {
        int B = lanes;
        if (trialModels.length != B || trialFixtures.length != B || streams.length != B) {
            throw new IllegalArgumentException("startTrial needs " + B + " models, fixtures and streams, got "
                    + trialModels.length + ", " + trialFixtures.length + ", " + streams.length);
        }
        for (int b = 0; b < B; b++) {
            GenerativeModel mb = trialModels[b];
            if (mb.jointStateCount() != joint
                    || mb.policyCount() != np
                    || mb.epochs() != T
                    || mb.modalityCount() != ng
                    || mb.movingPolicies() != moving
                    || mb.factorCount() != nf) {
                throw new IllegalArgumentException(
                        "lane " + b + ": model " + mb.summary() + " does not have the shape this solver was built for");
            }
            for (int f = 0; f < nf; f++) {
                if (mb.factors().get(f).stateCount() != ns[f]
                        || mb.factors().get(f).controlCount() != nu[f]) {
                    throw new IllegalArgumentException("lane " + b + ": factor " + f + " has another shape");
                }
            }
            TrialFixture fx = trialFixtures[b];
            if (fx.states().length != nf || fx.outcomes().length != ng || fx.actions().length != nf) {
                throw new IllegalArgumentException(
                        "lane " + b + ": fixture rows do not match the model's factors and modalities");
            }
            models[b] = mb;
            fixtures[b] = fx;
            randoms[b] = streams[b];
            AgentModel m = lm[b];
            m.prepare(mb);
            efe[b].prepare();
            tau[b] = mb.parameters().tau();
            erp[b] = mb.parameters().erp();
            for (int f = 0; f < nf; f++) {
                scatter(m.lnInitial[f], lnInitial[f], b);
                scatter(m.forward[f], forward[f], b);
                scatter(m.backward[f], backward[f], b);
                Arrays.fill(bma[b][f], 0);
                System.arraycopy(m.initial[f], 0, bma[b][f], 0, ns[f]);
            }
            for (double[] o : outcomeVectors[b]) Arrays.fill(o, 0);
            Arrays.fill(policyPosterior[b], 0);
            if (np == 1) Arrays.fill(policyPosterior[b], 1); // SPM: u = ones(1, T) for a single policy
            Arrays.fill(actionProbabilities[b], 0);
            Arrays.fill(precisionByEpoch[b], 0);
            Arrays.fill(states[b], 0);
            Arrays.fill(outcomes[b], 0);
            Arrays.fill(actions[b], 0);
            for (int k = 0; k < np; k++) plausible[k * B + b] = true;
            rate[b] = mb.parameters().beta();
            precisionByEpoch[b][0] = 1 / rate[b];
            outcomeSupplied[b] = false;
        }
        for (int f = 0; f < nf; f++) {
            int n = ns[f];
            Arrays.fill(x[f], 1.0 / n);
            for (int k = 0; k < np; k++) {
                for (int s = 0; s < n; s++) {
                    int row = ((k * T) * n + s) * B;
                    for (int b = 0; b < B; b++) x[f][row + b] = lm[b].initial[f][s];
                }
            }
        }
        int rows = trialModels[0].policySteps();
        policyRows = Math.min(rows, T - 1);
        for (int b = 0; b < B; b++) {
            for (int k = 0; k < np; k++) {
                for (int j = 0; j < policyRows; j++) {
                    for (int f = 0; f < nf; f++)
                        policies[((k * (T - 1) + j) * nf + f) * B + b] = trialModels[b].policyControl(k, j, f);
                }
            }
        }
        epoch = 0;
    }

    private void scatter(double[] src, double[] dst, int b) {
        for (int e = 0; e < src.length; e++) dst[e * lanes + b] = src[e];
    }

    public boolean hasNextEpoch() {
        return epoch < T;
    }

    /** Index (0-based) of the next epoch {@link #runEpoch} will run. */
    public int nextEpoch() {
        return epoch;
    }

    /** Lane b's next epoch gets this outcome of modality g instead of its fixture or generative process. */
    public void supplyOutcome(int b, int g, int outcome) {
        if (outcome < 0 || outcome >= no[g]) {
            throw new IllegalArgumentException(
                    "outcome " + outcome + " of modality " + g + " outside 0.." + (no[g] - 1));
        }
        int off = outcomeOffset(g);
        Arrays.fill(suppliedOutcome[b], off, off + no[g], 0);
        suppliedOutcome[b][off + outcome] = 1;
        outcomeSupplied[b] = true;
    }

    /** Lane b's next epoch gets a soft outcome (a probability vector over modality g's outcomes). */
    public void supplyOutcomeDistribution(int b, int g, double[] probabilities) {
        System.arraycopy(probabilities, 0, suppliedOutcome[b], outcomeOffset(g), no[g]);
        outcomeSupplied[b] = true;
    }

    private int outcomeOffset(int g) {
        int off = 0;
        for (int h = 0; h < g; h++) off += no[h];
        return off;
    }

    /** Runs the next epoch in every lane: outcomes, belief updates, policies and precision, actions. */
    public void runEpoch() {
        if (epoch >= T) throw new IllegalStateException("trial already has its " + T + " epochs");
        int t = epoch;
        int B = lanes;
        for (int b = 0; b < B; b++) {
            observe(b, t);
            if (!moving && t > 0) prunePolicies(b, t);
        }
        resetBeliefs();
        for (int f = 0; f < nf; f++) System.arraycopy(x[f], 0, xStart[f], 0, x[f].length);
        int horizon = policyRows + 1;
        horizonEnd = horizon;
        int backwardLimit = moving ? t + 1 : horizon; // SPM's R (1-based)
        Arrays.fill(freeEnergy, 0);
        updatePolicies(t, horizon, backwardLimit);
        for (int b = 0; b < B; b++) {
            if (np > 1) {
                evaluatePolicies(b, t, horizon);
                updatePrecision(b, t);
            } else {
                totalFreeEnergy[b] = freeEnergy[b];
                Arrays.fill(expected[b], 0);
            }
        }
        averageOverPolicies(t, horizon);
        if (t < T - 1) selectActions(t);
        epoch++;
        Arrays.fill(outcomeSupplied, false);
    }

    // --- outcome (per lane) -----------------------------------------------------------------------

    private void observe(int b, int t) {
        int B = lanes;
        AgentModel m = lm[b];
        int[] st = states[b];
        TrialFixture fixture = fixtures[b];
        double[][] ov = outcomeVectors[b];
        if (!outcomeSupplied[b]) {
            for (int f = 0; f < nf; f++) {
                int fixed = fixture.state(f, t);
                if (fixed != TrialFixture.FREE) {
                    st[f + nf * t] = fixed;
                    continue;
                }
                int n = ns[f];
                if (t > 0) {
                    int off = actions[b][f + nf * (t - 1)] * n * n + st[f + nf * (t - 1)] * n;
                    st[f + nf * t] = draw(b, m.processTransitions[f], off, n);
                } else {
                    st[f + nf * t] = draw(b, m.processInitial[f], 0, n);
                }
            }
            int jointState = 0;
            int stride = 1;
            for (int f = 0; f < nf; f++) {
                jointState += st[f + nf * t] * stride;
                stride *= ns[f];
            }
            for (int g = 0; g < ng; g++) {
                int fixed = fixture.outcome(g, t);
                int o = fixed != TrialFixture.FREE ? fixed : draw(b, m.processLikelihood[g], jointState * no[g], no[g]);
                outcomes[b][g + ng * t] = o;
                ov[g][o + no[g] * t] = 1;
            }
        } else {
            for (int f = 0; f < nf; f++) st[f + nf * t] = TrialFixture.FREE;
            int off = 0;
            double[] supplied = suppliedOutcome[b];
            for (int g = 0; g < ng; g++) {
                int best = 0;
                for (int o = 0; o < no[g]; o++) {
                    ov[g][o + no[g] * t] = supplied[off + o];
                    if (supplied[off + o] > supplied[off + best]) best = o;
                }
                outcomes[b][g + ng * t] = best;
                off += no[g];
            }
        }
        // L = prod_g spm_dot(A{g}, O{g,t}), lane b's column
        double[] L = likelihoodByEpoch[t];
        for (int s = 0; s < joint; s++) L[s * B + b] = 1;
        for (int g = 0; g < ng; g++) {
            int n = no[g];
            double[] a = m.likelihood[g];
            for (int s = 0; s < joint; s++) {
                double sum = 0;
                for (int o = 0; o < n; o++) sum += a[s * n + o] * ov[g][o + n * t];
                L[s * B + b] = L[s * B + b] * sum;
            }
        }
        for (int s = 0; s < joint; s++) laneLikelihood[b][t][s] = L[s * B + b];
    }

    private int draw(int b, double[] p, int offset, int n) {
        return CategoricalSampler.sample(randoms[b].nextUniform(), p, offset, n);
    }

    private void prunePolicies(int b, int t) {
        int B = lanes;
        double[] r = policyPosterior[b];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < np; k++) if (plausible[k * B + b]) max = Math.max(max, Math.log(r[k + np * (t - 1)]));
        double zeta = models[b].parameters().zeta();
        for (int k = 0; k < np; k++) {
            if (plausible[k * B + b]) plausible[k * B + b] = Math.log(r[k + np * (t - 1)]) - max > -zeta;
        }
    }

    // --- beliefs (lane-innermost) -----------------------------------------------------------------

    /** Epoch reset: every belief becomes softmax(ln(s) / erp), lane by lane. */
    private void resetBeliefs() {
        int B = lanes;
        for (int f = 0; f < nf; f++) {
            int n = ns[f];
            double[] xf = x[f];
            for (int i = 0; i < xf.length; i++) xf[i] = xf[i] + SpmMath.LOG_FLOOR;
            LaneMath.log(xf, 0, xf.length);
            for (int off = 0; off < xf.length; off += n * B) {
                for (int s = 0; s < n; s++) {
                    int row = off + s * B;
                    for (int b = 0; b < B; b++) xf[row + b] = xf[row + b] / erp[b];
                }
                softmaxRows(xf, off, n);
            }
        }
    }

    /** spm_softmax of n rows from off, per lane: the max, exp(v - max), the sum, the division. */
    private void softmaxRows(double[] v, int off, int n) {
        int B = lanes;
        double[] max = laneMax;
        double[] sum = laneSum;
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(sum, 0);
        for (int s = 0; s < n; s++) {
            int row = off + s * B;
            for (int b = 0; b < B; b++) if (v[row + b] > max[b]) max[b] = v[row + b];
        }
        for (int s = 0; s < n; s++) {
            int row = off + s * B;
            for (int b = 0; b < B; b++) v[row + b] = v[row + b] - max[b];
        }
        LaneMath.exp(v, off, off + n * B);
        for (int s = 0; s < n; s++) {
            int row = off + s * B;
            for (int b = 0; b < B; b++) sum[b] += v[row + b];
        }
        for (int s = 0; s < n; s++) {
            int row = off + s * B;
            for (int b = 0; b < B; b++) v[row + b] = v[row + b] / sum[b];
        }
    }

    /**
     * Ni iterations of belief updates for every plausible policy of every lane, as
     * TrialSolver.updatePolicies does per agent: per iteration, the gate per (policy, lane), then
     * the sweep over time points and factors, each marginal computed for every lane and committed
     * where the policy is live and updating.
     */
    private void updatePolicies(int t, int horizon, int backwardLimit) {
        int B = lanes;
        ConvergenceGate gate = options.gate();
        for (int i = 0; i < np * B; i++) {
            freeEnergyChange[i] = 1;
            frozen[i] = false;
            frozenAt[i] = ni;
        }
        for (int i = 0; i < ni; i++) {
            boolean any = false;
            for (int k = 0; k < np; k++) {
                for (int b = 0; b < B; b++) {
                    int idx = k * B + b;
                    live[idx] = false;
                    if (!plausible[idx] || frozen[idx]) continue;
                    updating[idx] = gate.updates(freeEnergyChange[idx], i + 1);
                    sweepFreeEnergy[idx] = 0;
                    if (!updating[idx] && gate.skipsForGood(i + 1)) {
                        recordFrozen(b, k, i);
                        frozen[idx] = true;
                        continue;
                    }
                    live[idx] = true;
                    any = true;
                }
            }
            if (!any) break; // every remaining iteration of every lane is recorded already
            for (int j = 0; j < horizon; j++) {
                for (int f = 0; f < nf; f++) {
                    for (int k = 0; k < np; k++) sweepMarginal(i, t, j, f, k, backwardLimit);
                }
            }
            for (int k = 0; k < np; k++) {
                for (int b = 0; b < B; b++) {
                    int idx = k * B + b;
                    if (!live[idx]) continue;
                    freeEnergy[idx] = sweepFreeEnergy[idx];
                    if (i > 0) freeEnergyChange[idx] = freeEnergy[idx] - previousFreeEnergy[idx];
                    previousFreeEnergy[idx] = freeEnergy[idx];
                }
            }
        }
    }

    /** One marginal (time point j, factor f) of policy k, iteration i, for every live lane. */
    private void sweepMarginal(int i, int t, int j, int f, int k, int backwardLimit) {
        int B = lanes;
        int lo = -1;
        int hi = -1;
        boolean anyUpdating = false;
        for (int b = 0; b < B; b++) {
            int idx = k * B + b;
            if (!live[idx]) continue;
            if (lo < 0) lo = b;
            hi = b + 1;
            anyUpdating |= updating[idx];
        }
        if (lo < 0) return;
        int n = ns[f];
        int at = (k * T + j) * n; // element of the belief about (k, j, f), state 0
        if (anyUpdating) {
            int count = 0;
            for (int b = lo; b < hi; b++) if (live[k * B + b] && updating[k * B + b]) active[count++] = b;
            activeCount = count;
            sparse = count < hi - lo;
            if (4 * count < hi - lo) {
                // few lanes left in the range (the fork's gate freezes lanes at different iterations):
                // run each on its own rather than computing the whole range for them
                for (int b = lo; b < hi; b++)
                    if (live[k * B + b] && updating[k * B + b]) laneStep(t, j, f, k, backwardLimit, b);
            } else {
                predictionError(t, j, f, k, backwardLimit, lo, hi);
                beliefStep(f, at, n, lo, hi);
            }
        }
        double[] xf = x[f];
        double[] xnf = xnPolicy[f];
        double[] vnf = vnPolicy[f];
        int base = i + ni * n * (j + T * k);
        double factors = nf;
        // The commit writes whole rows of lanes [lo, hi). A lane that keeps its beliefs (live but not
        // updating, or not live) first gets its own beliefs and 0 errors in next and eps, so the row
        // writes leave its beliefs as they were and store what the scalar solver stores for a skipped
        // iteration. A lane that is not live has no iterate at i that is ever read (pruned: weight 0
        // on a finite value; frozen: averageOverPolicies reads its beliefs from frozenAt on).
        for (int b = lo; b < hi; b++) {
            int idx = k * B + b;
            if (live[idx] && updating[idx]) {
                sweepFreeEnergy[idx] = sweepFreeEnergy[idx] + laneDot[b] / factors;
                continue;
            }
            if (live[idx]) sweepFreeEnergy[idx] = previousFreeEnergy[idx];
            for (int s = 0; s < n; s++) {
                next[s * B + b] = xf[(at + s) * B + b];
                eps[s * B + b] = 0;
            }
        }
        for (int s = 0; s < n; s++) {
            int row = s * B;
            System.arraycopy(next, row + lo, xf, (at + s) * B + lo, hi - lo);
            System.arraycopy(next, row + lo, xnf, (base + ni * s) * B + lo, hi - lo);
            System.arraycopy(eps, row + lo, vnf, (base + ni * s) * B + lo, hi - lo);
        }
    }

    /**
     * One marginal of one lane through the scalar kernels (PredictionError, BeliefStep) on the lane's
     * policy gathered into their layout: the same operations as the lane-innermost path, so the
     * same doubles. Leaves next, eps and laneDot of lane b as the batched path does.
     */
    private void laneStep(int t, int j, int f, int k, int backwardLimit, int b) {
        int B = lanes;
        for (int g = 0; g < nf; g++) {
            int n = ns[g];
            double[] src = x[g];
            double[] dst = laneBeliefs[g];
            for (int e = 0; e < T * n; e++) dst[e] = src[(k * T * n + e) * B + b];
        }
        int rows = Math.max(1, T - 1) * nf;
        for (int e = 0; e < rows; e++) laneControls[e] = policies[(k * (T - 1) * nf + e) * B + b];
        PredictionError pe = lanePredictionError[b];
        double dot = pe.compute(laneBeliefs, 0, laneControls, 0, t, j, f, backwardLimit, laneLnS, laneEps);
        int n = ns[f];
        BeliefStep.apply(
                options.scheme(),
                laneBeliefs[f],
                j * n,
                laneLnS,
                laneEps,
                pe.errorSum(),
                n,
                tau[b],
                null); // no scratch: the Euclidean step is not batched (unsupported)
        for (int s = 0; s < n; s++) {
            next[s * B + b] = laneBeliefs[f][j * n + s];
            eps[s * B + b] = laneEps[s];
        }
        laneDot[b] = dot;
    }

    /**
     * PredictionError.compute for lanes [lo, hi): lnS, raw eps, laneSum = sum(eps) and laneDot =
     * s'eps, with the logarithms of every lane taken in runs.
     */
    private void predictionError(int t, int j, int f, int k, int backwardLimit, int lo, int hi) {
        int B = lanes;
        int n = ns[f];
        double[] xf = x[f];
        double[] a = args;
        int at = (k * T + j) * n;
        boolean observed = j <= t;
        boolean first = j == 0;
        boolean backward = j + 1 < backwardLimit;
        int lOff = n;
        int fOff = observed ? lOff + n : lOff;
        int rOff = first ? fOff : fOff + n;
        int used = backward ? rOff + n : rOff;
        for (int s = 0; s < n; s++) {
            int row = s * B;
            int src = (at + s) * B;
            for (int b = lo; b < hi; b++) a[row + b] = xf[src + b] + SpmMath.LOG_FLOOR;
        }
        if (observed) {
            double[] like = contractLikelihood(j, f, k, lo, hi);
            for (int s = 0; s < n; s++) {
                int row = (lOff + s) * B;
                for (int b = lo; b < hi; b++) a[row + b] = like[s * B + b] + SpmMath.LOG_FLOOR;
            }
        }
        int controlRow = (k * (T - 1)) * nf;
        if (!first) message(forward[f], controlRow + (j - 1) * nf + f, n, xf, at - n, fOff, lo, hi);
        if (backward) message(this.backward[f], controlRow + j * nf + f, n, xf, at + n, rOff, lo, hi);
        for (int r = 0; r < used; r++) logRow(a, r * B, lo, hi);
        // e = 0 + px + lnL - lnS, then + bwd + lnL - lnS: SPM's order, lane by lane
        double[] pxArr = first ? lnInitial[f] : a;
        int pxOff = first ? 0 : fOff * B;
        double[] lArr = observed ? a : zeros;
        int lShift = observed ? lOff * B : 0;
        Arrays.fill(laneSum, lo, hi, 0);
        Arrays.fill(laneDot, lo, hi, 0);
        for (int s = 0; s < n; s++) {
            int row = s * B;
            int pRow = pxOff + row;
            int lRow = observed ? lShift + row : 0;
            int xRow = (at + s) * B;
            // one pass over the lanes per state, with or without the backward message
            if (backward) {
                int rRow = (rOff + s) * B;
                for (int b = lo; b < hi; b++) {
                    double lnSs = a[row + b];
                    double lnL = lArr[lRow + b];
                    double e = 0 + pxArr[pRow + b] + lnL - lnSs;
                    e = e + a[rRow + b] + lnL - lnSs;
                    lnS[row + b] = lnSs;
                    eps[row + b] = e;
                    laneSum[b] += e;
                    laneDot[b] += xf[xRow + b] * e;
                }
            } else {
                for (int b = lo; b < hi; b++) {
                    double lnSs = a[row + b];
                    double e = 0 + pxArr[pRow + b] + lArr[lRow + b] - lnSs;
                    lnS[row + b] = lnSs;
                    eps[row + b] = e;
                    laneSum[b] += e;
                    laneDot[b] += xf[xRow + b] * e;
                }
            }
        }
    }

    /**
     * ln of row [row + lo, row + hi) in place. When some lanes of the range do not update (pruned,
     * frozen or converged policies whose lanes lie between updating ones), only the updating lanes'
     * logarithms are taken: the others' values are discarded by the commit, and a logarithm is
     * the most expensive operation of the sweep.
     */
    private void logRow(double[] a, int row, int lo, int hi) {
        if (sparse) LaneMath.logLanes(a, row, lo, hi, active, activeCount);
        else LaneMath.log(a, row + lo, row + hi);
    }

    /** exp of row [row + lo, row + hi) in place, for the updating lanes only as {@link #logRow}. */
    private void expRow(double[] a, int row, int lo, int hi) {
        if (sparse) LaneMath.expLanes(a, row, lo, hi, active, activeCount);
        else LaneMath.exp(a, row + lo, row + hi);
    }

    /**
     * args[(outRow + r) * B + b] = (B(:, :, u_b) x_b)(r) + 1e-16 for each lane, u_b its control in
     * policy row controlIndex; sums over c ascending from 0, as the scalar message.
     */
    private void message(double[] tr, int controlIndex, int n, double[] xf, int xAt, int outRow, int lo, int hi) {
        int B = lanes;
        double[] a = args;
        int[] u = policies;
        int cRow = controlIndex * B;
        int u0 = u[cRow + lo];
        boolean uniform = true;
        for (int b = lo; b < hi; b++) uniform &= u[cRow + b] == u0;
        if (uniform && (n == 2 || n == 4)) {
            // the common small factors: each output row in one pass over the lanes, the sum over c
            // held in a register (the same additions, in the same order, as the loops below)
            int t0 = u0 * n * n;
            for (int r = 0; r < n; r++) {
                int row = (outRow + r) * B;
                int c0 = (t0 + r) * B;
                int c1 = (t0 + n + r) * B;
                int x0 = xAt * B;
                int x1 = (xAt + 1) * B;
                if (n == 2) {
                    for (int b = lo; b < hi; b++) {
                        double sum = 0 + tr[c0 + b] * xf[x0 + b];
                        sum = sum + tr[c1 + b] * xf[x1 + b];
                        a[row + b] = sum + SpmMath.LOG_FLOOR;
                    }
                } else {
                    int c2 = (t0 + 2 * n + r) * B;
                    int c3 = (t0 + 3 * n + r) * B;
                    int x2 = (xAt + 2) * B;
                    int x3 = (xAt + 3) * B;
                    for (int b = lo; b < hi; b++) {
                        double sum = 0 + tr[c0 + b] * xf[x0 + b];
                        sum = sum + tr[c1 + b] * xf[x1 + b];
                        sum = sum + tr[c2 + b] * xf[x2 + b];
                        sum = sum + tr[c3 + b] * xf[x3 + b];
                        a[row + b] = sum + SpmMath.LOG_FLOOR;
                    }
                }
            }
            return;
        }
        if (uniform) {
            // every lane moves under the same control (always so for policies V): contiguous rows
            for (int r = 0; r < n; r++) {
                int row = (outRow + r) * B;
                for (int b = lo; b < hi; b++) a[row + b] = 0;
                for (int c = 0; c < n; c++) {
                    int xRow = (xAt + c) * B;
                    int tRow = (u0 * n * n + c * n + r) * B;
                    for (int b = lo; b < hi; b++) a[row + b] += tr[tRow + b] * xf[xRow + b];
                }
                for (int b = lo; b < hi; b++) a[row + b] = a[row + b] + SpmMath.LOG_FLOOR;
            }
            return;
        }
        for (int r = 0; r < n; r++) {
            int row = (outRow + r) * B;
            for (int b = lo; b < hi; b++) a[row + b] = 0;
            for (int c = 0; c < n; c++) {
                int xRow = (xAt + c) * B;
                for (int b = lo; b < hi; b++) {
                    int e = u[cRow + b] * n * n + c * n + r;
                    a[row + b] += tr[e * B + b] * xf[xRow + b];
                }
            }
            for (int b = lo; b < hi; b++) a[row + b] = a[row + b] + SpmMath.LOG_FLOOR;
        }
    }

    /**
     * spm_dot of L_j with every factor's belief at (k, j) but f's, per lane, one dimension at a time
     * in ascending order as TensorContraction: the same sums in the same order. Returns the array
     * holding the result, rows s * B + b.
     */
    private double[] contractLikelihood(int j, int f, int k, int lo, int hi) {
        int B = lanes;
        double[] tensor = likelihoodByEpoch[j];
        int last = nf - 1;
        if (last == f) last--;
        if (last < 0) return tensor; // one factor: L itself
        for (int d = 0; d < nf; d++) cur[d] = ns[d];
        double[] src = tensor;
        double[] dst = contractA;
        for (int d = 0; d <= last; d++) {
            if (d == f) continue;
            int inner = 1;
            for (int e = 0; e < d; e++) inner *= cur[e];
            int len = cur[d];
            int outer = 1;
            for (int e = d + 1; e < nf; e++) outer *= cur[e];
            double[] v = x[d];
            int vAt = (k * T + j) * ns[d];
            for (int o = 0; o < outer; o++) {
                int base = o * inner * len;
                for (int i = 0; i < inner; i++) {
                    int out = (o * inner + i) * B;
                    if (len == 2 || len == 4) {
                        // one pass over the lanes, the sum in a register: the same additions in the same order
                        int in0 = (base + i) * B;
                        int in1 = (base + i + inner) * B;
                        int v0 = vAt * B;
                        int v1 = (vAt + 1) * B;
                        if (len == 2) {
                            for (int b = lo; b < hi; b++) {
                                double sum = 0 + src[in0 + b] * v[v0 + b];
                                dst[out + b] = sum + src[in1 + b] * v[v1 + b];
                            }
                        } else {
                            int in2 = (base + i + 2 * inner) * B;
                            int in3 = (base + i + 3 * inner) * B;
                            int v2 = (vAt + 2) * B;
                            int v3 = (vAt + 3) * B;
                            for (int b = lo; b < hi; b++) {
                                double sum = 0 + src[in0 + b] * v[v0 + b];
                                sum = sum + src[in1 + b] * v[v1 + b];
                                sum = sum + src[in2 + b] * v[v2 + b];
                                dst[out + b] = sum + src[in3 + b] * v[v3 + b];
                            }
                        }
                        continue;
                    }
                    for (int b = lo; b < hi; b++) dst[out + b] = 0;
                    for (int q = 0; q < len; q++) {
                        int in = (base + i + inner * q) * B;
                        int vr = (vAt + q) * B;
                        for (int b = lo; b < hi; b++) dst[out + b] += src[in + b] * v[vr + b];
                    }
                }
            }
            cur[d] = 1;
            src = dst;
            dst = dst == contractA ? contractB : contractA;
        }
        return src;
    }

    /** BeliefStep.apply per lane, into next (the beliefs) and eps (the centred errors). */
    private void beliefStep(int f, int at, int n, int lo, int hi) {
        int B = lanes;
        double[] xf = x[f];
        for (int b = lo; b < hi; b++) laneMean[b] = laneSum[b] / n;
        if (options.scheme() == Scheme.NATURAL_GRADIENT) {
            Arrays.fill(laneSum, lo, hi, 0);
            for (int s = 0; s < n; s++) {
                int row = s * B;
                int src = (at + s) * B;
                for (int b = lo; b < hi; b++) {
                    double sv = xf[src + b];
                    double se = sv * eps[row + b];
                    double v = sv + se / tau[b];
                    next[row + b] = v;
                    laneSum[b] += v;
                }
            }
            boolean anyLeft = false;
            Arrays.fill(leftSimplex, lo, hi, false);
            for (int s = 0; s < n; s++) {
                int row = s * B;
                for (int b = lo; b < hi; b++) {
                    if (laneSum[b] > 0) next[row + b] = next[row + b] / laneSum[b];
                    leftSimplex[b] |= next[row + b] <= 0;
                }
            }
            for (int b = lo; b < hi; b++) anyLeft |= leftSimplex[b];
            if (anyLeft) {
                for (int b = lo; b < hi; b++) if (leftSimplex[b]) softmaxStepLane(n, b);
            }
            for (int s = 0; s < n; s++) {
                int row = s * B;
                for (int b = lo; b < hi; b++) if (!leftSimplex[b]) eps[row + b] = eps[row + b] - laneMean[b];
            }
        } else {
            softmaxStep(n, lo, hi);
        }
    }

    /** eps = eps - mean; next = softmax(lnS + eps/tau) for lanes [lo, hi). */
    private void softmaxStep(int n, int lo, int hi) {
        int B = lanes;
        double[] max = laneMax;
        Arrays.fill(max, lo, hi, Double.NEGATIVE_INFINITY);
        for (int s = 0; s < n; s++) {
            int row = s * B;
            for (int b = lo; b < hi; b++) {
                double centred = eps[row + b] - laneMean[b];
                eps[row + b] = centred;
                double v = lnS[row + b] + centred / tau[b];
                next[row + b] = v;
                // Math.max differs from "if (v > max)" only on NaN and the sign of zero, neither of
                // which changes exp(v - max) nor the sum (a NaN makes every output NaN either way)
                max[b] = Math.max(max[b], v);
            }
        }
        for (int s = 0; s < n; s++) {
            int row = s * B;
            for (int b = lo; b < hi; b++) next[row + b] = next[row + b] - max[b];
            expRow(next, row, lo, hi);
        }
        double[] sum = laneSum;
        Arrays.fill(sum, lo, hi, 0);
        for (int s = 0; s < n; s++) {
            int row = s * B;
            for (int b = lo; b < hi; b++) sum[b] += next[row + b];
        }
        for (int s = 0; s < n; s++) {
            int row = s * B;
            for (int b = lo; b < hi; b++) next[row + b] = next[row + b] / sum[b];
        }
    }

    /** The softmax step of one lane, where the natural-gradient step left the simplex. */
    private void softmaxStepLane(int n, int b) {
        int B = lanes;
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < n; s++) {
            int i = s * B + b;
            double centred = eps[i] - laneMean[b];
            eps[i] = centred;
            double v = lnS[i] + centred / tau[b];
            next[i] = v;
            if (v > max) max = v;
        }
        double sum = 0;
        for (int s = 0; s < n; s++) {
            int i = s * B + b;
            double e = Math.exp(next[i] - max);
            next[i] = e;
            sum += e;
        }
        for (int s = 0; s < n; s++) next[s * B + b] = next[s * B + b] / sum;
    }

    /**
     * Lane b's policy k is frozen from iteration {@code from}: its iterates from there on are its
     * unchanged beliefs and 0 errors (TrialSolver.recordFrozen), which averageOverPolicies reads
     * from the beliefs instead of storing Ni - from copies.
     */
    private void recordFrozen(int b, int k, int from) {
        frozenAt[k * lanes + b] = from;
        freeEnergy[k * lanes + b] = previousFreeEnergy[k * lanes + b];
    }

    // --- policies and precision (per lane) --------------------------------------------------------

    private void evaluatePolicies(int b, int t, int horizon) {
        int B = lanes;
        AgentModel m = lm[b];
        double[] g = expected[b];
        Arrays.fill(g, 0);
        for (int k = 0; k < np; k++) {
            if (!plausible[k * B + b]) continue;
            double q = 0;
            if (m.initialNovelty != null) {
                for (int f = 0; f < nf; f++) {
                    gather(f, k, 0, b);
                    q = q - SpmMath.dot(m.initialNovelty[f], 0, xq[f], 0, ns[f]);
                }
            }
            for (int j = t; j < horizon; j++) {
                for (int f = 0; f < nf; f++) gather(f, k, j, b);
                q = q + efe[b].value(xq);
                for (int gi = 0; gi < ng; gi++) {
                    int n = no[gi];
                    double[] qo = outcomeAndStates[0];
                    contraction.contract(m.likelihood[gi], outcomeDims[gi], 0, outcomeAndStates, qo);
                    q = q + SpmMath.dot(qo, 0, m.lnPreferences[gi], j * n, n);
                    if (m.likelihoodNovelty != null) {
                        contraction.contract(m.likelihoodNovelty[gi], outcomeDims[gi], -1, outcomeAndStates, scalar);
                        q = q - scalar[0];
                    }
                }
            }
            g[k] = q;
        }
    }

    private void gather(int f, int k, int j, int b) {
        int n = ns[f];
        int at = (k * T + j) * n;
        for (int s = 0; s < n; s++) xq[f][s] = x[f][(at + s) * lanes + b];
    }

    private void updatePrecision(int b, int t) {
        int B = lanes;
        AgentModel m = lm[b];
        GenerativeModel model = models[b];
        double beta = model.parameters().beta();
        boolean fixedPrecision = moving && !options.precisionForMovingPolicies();
        double step = options.precisionStepOverTau() ? model.parameters().tau() : 2;
        double w = t > 0 ? precisionByEpoch[b][t - 1] : 1 / rate[b];
        double[] g = expected[b];
        int n = 0;
        for (int k = 0; k < np; k++) if (plausible[k * B + b]) plausibleList[n++] = k;
        double[] trace = policyPosteriorTrace[b];
        double[] post = policyPosterior[b];
        for (int i = 0; i < ni; i++) {
            for (int p = 0; p < n; p++) {
                int k = plausibleList[p];
                logits[p] = m.lnPolicyPrior[k] + w * g[k] + freeEnergy[k * B + b];
            }
            SpmMath.softmax(logits, 0, qu, 0, n);
            for (int p = 0; p < n; p++) {
                int k = plausibleList[p];
                logits[p] = m.lnPolicyPrior[k] + w * g[k];
            }
            SpmMath.softmax(logits, 0, pu, 0, n);
            if (fixedPrecision) {
                w = 1 / beta;
            } else {
                double eg = 0;
                for (int p = 0; p < n; p++) eg += (qu[p] - pu[p]) * g[plausibleList[p]];
                double dFdg = rate[b] - beta + eg;
                rate[b] = rate[b] - dFdg / step;
                w = 1 / rate[b];
            }
            precisionTrace[b][i] = w;
            Arrays.fill(trace, np * i, np * (i + 1), 0);
            for (int p = 0; p < n; p++) {
                int k = plausibleList[p];
                trace[k + np * i] = qu[p];
                post[k + np * t] = qu[p];
            }
        }
        precisionByEpoch[b][t] = w;
        double h1 = 0;
        double h2 = 0;
        for (int p = 0; p < n; p++) {
            h1 += qu[p] * freeEnergy[plausibleList[p] * B + b];
            h2 += qu[p] * (Math.log(qu[p]) - Math.log(pu[p]));
        }
        totalFreeEnergy[b] = h1 - h2;
    }

    private void averageOverPolicies(int t, int horizon) {
        int B = lanes;
        for (int b = 0; b < B; b++) {
            double[] post = policyPosterior[b];
            for (int f = 0; f < nf; f++) {
                int n = ns[f];
                for (int j = 0; j < horizon; j++) {
                    for (int s = 0; s < n; s++) {
                        double sum = 0;
                        for (int k = 0; k < np; k++) sum += x[f][((k * T + j) * n + s) * B + b] * post[k + np * t];
                        bma[b][f][s + n * j] = sum;
                    }
                }
            }
        }
        for (int k = 0; k < np; k++) {
            for (int b = 0; b < B; b++) weights[k * B + b] = plausible[k * B + b] ? policyPosterior[b][k + np * t] : 0;
        }
        int lastComputed = 0; // the largest tail: iterations beyond it are copies in every lane
        int firstTail = ni;
        for (int b = 0; b < B; b++) {
            int last = 0;
            for (int k = 0; k < np; k++)
                if (plausible[k * B + b]) last = Math.max(last, Math.min(frozenAt[k * B + b], ni - 1));
            tail[b] = last;
            lastComputed = Math.max(lastComputed, last);
            firstTail = Math.min(firstTail, last);
        }
        for (int f = 0; f < nf; f++) {
            int n = ns[f];
            double[] r = rates[f];
            double[] e = errors[f];
            double[] r0 = startRates[f];
            Arrays.fill(r, 0);
            Arrays.fill(e, 0);
            Arrays.fill(r0, 0);
            double[] x0 = xStart[f];
            for (int k = 0; k < np; k++) {
                int wRow = k * B;
                boolean weighted = false;
                for (int b = 0; b < B; b++) weighted |= weights[wRow + b] != 0;
                if (!weighted) continue;
                // an implausible lane adds x0 * 0 = +0 (x0 is a softmax: finite, positive) to a sum
                // that starts at +0: nothing, so the lanes need no mask
                for (int idx = 0; idx < n * horizon; idx++) {
                    int row = idx * B;
                    int src = (k * T * n + idx) * B;
                    for (int b = 0; b < B; b++) r0[row + b] = r0[row + b] + x0[src + b] * weights[wRow + b];
                }
            }
            double[] xn = xnPolicy[f];
            double[] vn = vnPolicy[f];
            double[] xf = x[f];
            for (int k = 0; k < np; k++) {
                int wRow = k * B;
                boolean weighted = false;
                for (int b = 0; b < B; b++) weighted |= weights[wRow + b] != 0;
                if (!weighted) continue; // adds +0 or -0 everywhere: nothing
                // a pruned policy adds xn * 0 = +0 and vn * 0 = +-0: r and e start at +0 and are never
                // -0, so adding either changes nothing. A frozen lane's iterates are its final beliefs
                // and 0 errors (recordFrozen). Before the first iteration at which any lane froze,
                // every lane reads its stored iterates: that part runs without the per-lane select.
                int firstFrozen = ni;
                for (int b = 0; b < B; b++) firstFrozen = Math.min(firstFrozen, frozenAt[wRow + b]);
                int plain = Math.min(firstFrozen, lastComputed + 1);
                for (int j = 0; j < horizon; j++) {
                    for (int s = 0; s < n; s++) {
                        int xRow = ((k * T + j) * n + s) * B;
                        int first = ni * (s + n * j);
                        int srcFirst = ni * n * T * k + first;
                        for (int i = 0; i < plain; i++) {
                            int row = (first + i) * B;
                            int src = (srcFirst + i) * B;
                            for (int b = 0; b < B; b++) {
                                r[row + b] = r[row + b] + xn[src + b] * weights[wRow + b];
                                e[row + b] = e[row + b] + vn[src + b] * weights[wRow + b];
                            }
                        }
                        for (int i = plain; i <= lastComputed; i++) {
                            int row = (first + i) * B;
                            int src = (srcFirst + i) * B;
                            for (int b = 0; b < B; b++) {
                                boolean held = i >= frozenAt[wRow + b];
                                double xv = held ? xf[xRow + b] : xn[src + b];
                                double vv = held ? 0 : vn[src + b];
                                r[row + b] = r[row + b] + xv * weights[wRow + b];
                                e[row + b] = e[row + b] + vv * weights[wRow + b];
                            }
                        }
                    }
                }
            }
            // from iteration tail_b on, every policy of lane b is frozen: the same sums of the same
            // constants, so the values at tail_b repeat
            for (int j = 0; j < horizon; j++) {
                for (int s = 0; s < n; s++) {
                    int base = ni * (s + n * j);
                    for (int i = firstTail + 1; i < ni; i++) {
                        int row = (base + i) * B;
                        for (int b = 0; b < B; b++) {
                            if (i <= tail[b]) continue;
                            int from = (base + tail[b]) * B + b;
                            r[row + b] = r[from];
                            e[row + b] = e[from];
                        }
                    }
                }
            }
        }
    }

    private void selectActions(int t) {
        int B = lanes;
        int nc = jointControls;
        int off = nc * t;
        for (int b = 0; b < B; b++) {
            double[] p = actionProbabilities[b];
            double[] post = policyPosterior[b];
            for (int k = 0; k < np; k++) {
                int c = 0;
                int mult = 1;
                for (int f = 0; f < nf; f++) {
                    c += policies[((k * (T - 1) + t) * nf + f) * B + b] * mult;
                    mult *= nu[f];
                }
                p[off + c] += post[k + np * t];
            }
            double alpha = models[b].parameters().alpha();
            for (int c = 0; c < nc; c++) p[off + c] = alpha * Math.log(p[off + c]);
            SpmMath.softmax(p, off, p, off, nc);
            int[] act = actions[b];
            if (fixtures[b].actionFixed(t)) {
                for (int f = 0; f < nf; f++) act[f + nf * t] = fixtures[b].action(f, t);
            } else {
                int c = draw(b, p, off, nc);
                for (int f = 0; f < nf; f++) {
                    act[f + nf * t] = c % nu[f];
                    c /= nu[f];
                }
            }
        }
        if (moving) {
            for (int b = 0; b < B; b++) {
                for (int k = 0; k < np; k++) {
                    for (int f = 0; f < nf; f++)
                        policies[((k * (T - 1) + t) * nf + f) * B + b] = actions[b][f + nf * t];
                }
            }
            policyRows = t + 1;
            if (t + 2 < T) {
                for (int b = 0; b < B; b++) {
                    for (int k = 0; k < np; k++) {
                        for (int f = 0; f < nf; f++) {
                            policies[((k * (T - 1) + t + 1) * nf + f) * B + b] = models[b].policyControl(k, 0, f);
                        }
                    }
                }
                policyRows = t + 2;
            }
            for (int f = 0; f < nf; f++) Arrays.fill(x[f], 1.0 / ns[f]);
        }
    }

    // --- results of the last epoch run, per lane --------------------------------------------------

    /** Horizon S of the last epoch. */
    /** Lane b's last epoch, read as a single agent's (the view is made once and stays valid for the solver's life). */
    public EpochResults lane(int b) {
        if (b < 0 || b >= lanes) throw new IndexOutOfBoundsException("lane " + b + " of " + lanes);
        return laneViews[b];
    }

    /** One lane seen through {@link EpochResults}: every call forwards to the lane's entry. */
    private final class Lane implements EpochResults {
        private final int b;

        Lane(int b) {
            this.b = b;
        }

        @Override
        public double rate(int f, int i, int s, int j) {
            return BatchSolver.this.rate(b, f, i, s, j);
        }

        @Override
        public double error(int f, int i, int s, int j) {
            return BatchSolver.this.error(b, f, i, s, j);
        }

        @Override
        public double startRate(int f, int s, int j) {
            return BatchSolver.this.startRate(b, f, s, j);
        }

        @Override
        public double policyPosteriorAt(int k, int i) {
            return BatchSolver.this.policyPosteriorAt(b, k, i);
        }

        @Override
        public double precisionAt(int i) {
            return BatchSolver.this.precisionAt(b, i);
        }

        @Override
        public double policyPosterior(int k, int t) {
            return BatchSolver.this.policyPosterior(b, k, t);
        }

        @Override
        public double precision(int t) {
            return BatchSolver.this.precision(b, t);
        }

        @Override
        public int policyCount() {
            return np;
        }

        @Override
        public int outcome(int g, int t) {
            return BatchSolver.this.outcome(b, g, t);
        }

        @Override
        public int state(int f, int t) {
            return BatchSolver.this.state(b, f, t);
        }

        @Override
        public double totalFreeEnergy() {
            return BatchSolver.this.totalFreeEnergy(b);
        }

        @Override
        public double expectedFreeEnergy(int k) {
            return BatchSolver.this.expectedFreeEnergy(b, k);
        }
    }

    public int horizon() {
        return horizonEnd;
    }

    /** Lane b's policy-averaged belief of factor f, state s, time point j after iteration i (SPM's xn). */
    public double rate(int b, int f, int i, int s, int j) {
        return rates[f][(i + ni * (s + ns[f] * j)) * lanes + b];
    }

    /** Lane b's policy-averaged prediction error (SPM's vn), indices as {@link #rate}. */
    public double error(int b, int f, int i, int s, int j) {
        return errors[f][(i + ni * (s + ns[f] * j)) * lanes + b];
    }

    /** Copies lane b's last-epoch rates of factor f, laid out i + Ni*(s + Ns*j), into dst at off. */
    public void copyRates(int b, int f, double[] dst, int off) {
        copyLane(rates[f], b, dst, off);
    }

    /** Copies lane b's last-epoch errors of factor f, laid out as {@link #copyRates}. */
    public void copyErrors(int b, int f, double[] dst, int off) {
        copyLane(errors[f], b, dst, off);
    }

    /**
     * Copies every lane's last-epoch rates (dstRates[b]) and errors (dstErrors[b]) of factor f from
     * off: one pass over the lane-innermost arrays, reading them in order.
     */
    /** Lane b's policy-averaged belief about time point j at the start of the last epoch (TrialSolver.startRate). */
    public double startRate(int b, int f, int s, int j) {
        return startRates[f][(s + ns[f] * j) * lanes + b];
    }

    public void copyRatesAndErrors(int f, double[][] dstRates, double[][] dstErrors, int off) {
        copyAll(rates[f], dstRates, off);
        if (dstErrors != null) copyAll(errors[f], dstErrors, off);
    }

    private void copyAll(double[] src, double[][] dst, int off) {
        int B = lanes;
        int n = src.length / B;
        for (int e = 0; e < n; e++) {
            int row = e * B;
            for (int b = 0; b < B; b++) dst[b][off + e] = src[row + b];
        }
    }

    private void copyLane(double[] src, int b, double[] dst, int off) {
        int n = src.length / lanes;
        for (int e = 0; e < n; e++) dst[off + e] = src[e * lanes + b];
    }

    public double policyPosteriorAt(int b, int k, int i) {
        return policyPosteriorTrace[b][k + np * i];
    }

    public double precisionAt(int b, int i) {
        return precisionTrace[b][i];
    }

    public double policyPosterior(int b, int k, int t) {
        return policyPosterior[b][k + np * t];
    }

    public double precision(int b, int t) {
        return precisionByEpoch[b][t];
    }

    public double freeEnergy(int b, int k) {
        return freeEnergy[k * lanes + b];
    }

    public double expectedFreeEnergy(int b, int k) {
        return expected[b][k];
    }

    public double totalFreeEnergy(int b) {
        return totalFreeEnergy[b];
    }

    public double actionProbability(int b, int c, int t) {
        return actionProbabilities[b][c + jointControls * t];
    }

    public int jointControlCount() {
        return jointControls;
    }

    public int state(int b, int f, int t) {
        return states[b][f + nf * t];
    }

    public int outcome(int b, int g, int t) {
        return outcomes[b][g + ng * t];
    }

    public int action(int b, int f, int t) {
        return actions[b][f + nf * t];
    }

    public double averageBelief(int b, int f, int s, int j) {
        return bma[b][f][s + ns[f] * j];
    }

    public double policyBelief(int b, int f, int s, int j, int k) {
        return x[f][((k * T + j) * ns[f] + s) * lanes + b];
    }

    public boolean plausible(int b, int k) {
        return plausible[k * lanes + b];
    }

    public int stateCount(int f) {
        return ns[f];
    }

    public int factorCount() {
        return nf;
    }

    public int modalityCount() {
        return ng;
    }

    public int outcomeCount(int g) {
        return no[g];
    }

    public int policyCount() {
        return np;
    }

    public int controlCount(int f) {
        return nu[f];
    }

    public boolean movingPolicies() {
        return moving;
    }

    /** Lane b's Dirichlet learning after the last epoch, as {@link TrialSolver#finishTrial}. */
    public LearnedCounts finishTrial(int b) {
        if (epoch < T) throw new IllegalStateException("trial has run " + epoch + " of " + T + " epochs");
        return DirichletLearning.learn(models[b], outcomeVectors[b], bma[b], ns, no, T);
    }
}
