package org.neuroflux.spm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.neuroflux.dynamics.InformationLength;
import org.neuroflux.dynamics.TrialTrace;

/**
 * Writes trial traces with spm_MDP_VB_X's output field names and jsonencode's layouts (1-based
 * indices), plus the information-length fields of the reference cases: one object per trial. A level
 * with a subordinate also gets {@code O} (its outcome likelihoods, a G x T cell written column-major)
 * and {@code mdp} (the lower level's trial at each epoch, written the same way, with the {@code D} it
 * received).
 * Information length comes in two conventions (see InformationLength): the authors' (stored
 * iterates: info_length, epoch_arc_length, ...) and the whole path (each epoch's first step from
 * its reset belief counted too: the fields ending in _whole_path).
 */
public final class SpmOutputWriter {
    private static final JsonNodeFactory NF = JsonNodeFactory.instance;

    private SpmOutputWriter() {}

    /** One object for one trial, a list of objects (each with "trial") for several. */
    public static JsonNode write(TrialTrace[] traces) {
        if (traces.length == 1) return write(traces[0]);
        ArrayNode list = NF.arrayNode();
        for (int i = 0; i < traces.length; i++) {
            ObjectNode o = write(traces[i]);
            o.put("trial", i + 1);
            list.add(o);
        }
        return list;
    }

    public static ObjectNode write(TrialTrace tr) {
        ObjectNode o = NF.objectNode();
        int ni = tr.iterations;
        int T = tr.epochs;
        int np = tr.policies;
        int nf = tr.states.length;
        o.put("Ni", ni);
        o.put("T", T);
        ArrayNode xn = o.putArray("xn");
        ArrayNode vn = o.putArray("vn");
        for (int f = 0; f < nf; f++) {
            xn.add(arr(tr.xn[f], ni, tr.states[f], T, T));
            vn.add(arr(tr.vn[f], ni, tr.states[f], T, T));
        }
        int keptEpochs = tr.movingPolicies ? T - 1 : T; // SPM drops U-policies' last epoch of R and un
        if (np > 1) {
            o.set("un", arr(java.util.Arrays.copyOf(tr.un, np * ni * keptEpochs), np, ni * keptEpochs));
            o.set("wn", arr(tr.wn, ni * T, 1));
            o.set("dn", arr(tr.dn, ni * T, 1));
        } else {
            o.put("un", 0);
            o.putArray("wn");
            o.putArray("dn");
        }
        int S = tr.timePoints; // X, Q (and a single policy's R) keep T time points when a lower level stops early
        ArrayNode x = o.putArray("X");
        for (int f = 0; f < nf; f++) x.add(arr(tr.X[f], tr.states[f], S));
        int[] pDims = new int[nf + 1];
        System.arraycopy(tr.controls, 0, pDims, 0, nf);
        pDims[nf] = Math.max(1, T - 1); // SPM's P starts as zeros([Nu 1]): after one epoch it is all zeros
        double[] pData =
                T > 1 ? tr.P : new double[java.util.Arrays.stream(tr.controls).reduce(1, (a, b) -> a * b)];
        o.set("P", new MatlabArray(pDims, pData).toJson());
        if (np > 1) {
            o.set("R", arr(java.util.Arrays.copyOf(tr.R, np * keptEpochs), np, keptEpochs));
        } else {
            int cols = tr.movingPolicies ? S - 1 : S; // SPM: u = ones(1, T) for a single policy
            double[] ones = new double[cols];
            java.util.Arrays.fill(ones, 1);
            o.set("R", arr(ones, 1, cols));
        }
        o.set("F", arr(tr.F, np, T));
        o.set("G", arr(tr.G, np, T));
        o.set("H", arr(tr.H, 1, T));
        if (np > 1) o.set("w", arr(tr.w, 1, T));
        else o.put("w", tr.w[0]);
        ArrayNode q = o.putArray("Q");
        for (int f = 0; f < nf; f++) q.add(arr(tr.Q[f], tr.states[f], S, np));
        o.set("o", ints(tr.o));
        o.set("s", ints(tr.s));
        o.set("u", ints(tr.u));
        if (tr.learned != null && tr.learned.initialCounts() != null) {
            ArrayNode d = o.putArray("d");
            for (double[] c : tr.learned.initialCounts()) d.add(arr(c, c.length, 1));
            o.set("Fd", arr(tr.learned.initialEnergy(), 1, nf));
        }
        if (tr.learned != null && tr.learned.likelihoodCounts() != null) {
            ArrayNode a = o.putArray("a");
            double[][] counts = tr.learned.likelihoodCounts();
            for (int g = 0; g < counts.length; g++) {
                int[] dims = new int[nf + 1];
                dims[0] = tr.outcomeCountOf(g);
                System.arraycopy(tr.states, 0, dims, 1, nf);
                a.add(new MatlabArray(dims, counts[g]).toJson());
            }
            o.set("Fa", arr(tr.learned.likelihoodEnergy(), 1, counts.length));
        }
        if (tr.learned != null) writeLearned(o, tr);
        double total = 0;
        double[] perFactor = new double[nf];
        for (int f = 0; f < nf; f++) {
            perFactor[f] = InformationLength.pooledChordLength(tr.xn[f], ni);
            total += perFactor[f];
        }
        o.put("info_length", total);
        o.set("info_length_per_factor", arr(perFactor, 1, nf));
        // the whole path: each epoch's first step (its reset belief to its first iterate) counted too
        double wholeTotal = 0;
        double[] wholePerFactor = new double[nf];
        for (int f = 0; f < nf; f++) {
            wholePerFactor[f] = InformationLength.pooledFirstSteps(tr.xn[f], tr.x0[f], ni) + perFactor[f];
            wholeTotal += wholePerFactor[f];
        }
        o.put("info_length_whole_path", wholeTotal);
        o.set("info_length_whole_path_per_factor", arr(wholePerFactor, 1, nf));
        double[] fr = new double[T];
        ArrayNode frTau = NF.arrayNode();
        for (int j = 0; j < T; j++) {
            ArrayNode row = frTau.addArray();
            for (int t = 0; t < T; t++) {
                if (InformationLength.computed(tr.xn[0], ni, tr.states[0], T, j, t)) {
                    row.add(InformationLength.epochDistanceByAcos(tr.xn[0], ni, tr.states[0], T, j, t));
                } else {
                    row.addNull();
                }
            }
        }
        for (int t = 0; t < T; t++) fr[t] = InformationLength.epochDistanceByAcos(tr.xn[0], ni, tr.states[0], T, t, t);
        o.set("fr_distance", arr(fr, 1, T));
        // per epoch and time point: exact arc length L travelled, chord length, and efficiency d_FR / L
        ArrayNode arcs = o.putArray("epoch_arc_length");
        ArrayNode chords = o.putArray("epoch_chord_length");
        ArrayNode efficiency = o.putArray("epoch_efficiency");
        ArrayNode wholeArcs = o.putArray("epoch_arc_length_whole_path");
        ArrayNode wholeEfficiency = o.putArray("epoch_efficiency_whole_path");
        for (int f = 0; f < nf; f++) {
            ArrayNode af = arcs.addArray();
            ArrayNode cf = chords.addArray();
            ArrayNode ef = efficiency.addArray();
            ArrayNode wf = wholeArcs.addArray();
            ArrayNode wef = wholeEfficiency.addArray();
            for (int j = 0; j < T; j++) {
                ArrayNode ar = af.addArray();
                ArrayNode cr = cf.addArray();
                ArrayNode er = ef.addArray();
                ArrayNode wr = wf.addArray();
                ArrayNode wer = wef.addArray();
                for (int t = 0; t < T; t++) {
                    if (!InformationLength.computed(tr.xn[f], ni, tr.states[f], T, j, t)) {
                        ar.addNull();
                        cr.addNull();
                        er.addNull();
                        wr.addNull();
                        wer.addNull();
                        continue;
                    }
                    double whole =
                            InformationLength.epochArcLengthWholePath(tr.xn[f], tr.x0[f], ni, tr.states[f], T, j, t);
                    wr.add(whole);
                    if (whole > 0)
                        wer.add(InformationLength.epochDistanceWholePath(tr.xn[f], tr.x0[f], ni, tr.states[f], T, j, t)
                                / whole);
                    else wer.addNull();
                    double arc = InformationLength.epochArcLength(tr.xn[f], ni, tr.states[f], T, j, t);
                    ar.add(arc);
                    cr.add(InformationLength.epochChordLength(tr.xn[f], ni, tr.states[f], T, j, t));
                    if (arc > 0) er.add(InformationLength.epochDistance(tr.xn[f], ni, tr.states[f], T, j, t) / arc);
                    else er.addNull();
                }
            }
        }
        o.set("fr_distance_tau_epoch", T == 1 ? frTau.get(0).get(0) : frTau);
        writeLevels(o, tr);
        return o;
    }

    /** b, Fb, c, Fc, e and Fe where learned: b{f} (Ns, Ns, Nu), c{g} (No, T), e (Np, 1); energies (1, n). */
    private static void writeLearned(ObjectNode o, TrialTrace tr) {
        var learned = tr.learned;
        if (learned.transitionCounts() != null) {
            ArrayNode b = o.putArray("b");
            for (int f = 0; f < tr.states.length; f++) {
                b.add(arr(learned.transitionCounts()[f], tr.states[f], tr.states[f], tr.controls[f]));
            }
            o.set("Fb", arr(learned.transitionEnergy(), 1, tr.states.length));
        }
        if (learned.preferenceCounts() != null) {
            ArrayNode c = o.putArray("c");
            for (int g = 0; g < tr.outcomeCounts.length; g++)
                c.add(arr(learned.preferenceCounts()[g], tr.outcomeCounts[g], tr.epochs));
            o.set("Fc", arr(learned.preferenceEnergy(), 1, tr.outcomeCounts.length));
        }
        if (learned.policyCounts() != null) {
            o.set("e", arr(learned.policyCounts(), tr.policies, 1));
            o.put("Fe", learned.policyEnergy()[0]);
        }
    }

    /** D received (a subordinate level's trial); O and mdp (a level with a subordinate). */
    private static void writeLevels(ObjectNode o, TrialTrace tr) {
        if (tr.receivedPrior != null) {
            ArrayNode d = o.putArray("D");
            for (double[] prior : tr.receivedPrior) d.add(arr(prior, prior.length, 1));
        }
        if (tr.lower == null) return;
        ArrayNode mdp = o.putArray("mdp");
        for (TrialTrace lower : tr.lower) mdp.add(write(lower));
        ArrayNode likelihoods = o.putArray("O");
        int ng = tr.outcomeCounts.length;
        for (int t = 0; t < tr.epochs; t++) {
            for (int g = 0; g < ng; g++) {
                int no = tr.outcomeCounts[g];
                likelihoods.add(
                        arr(java.util.Arrays.copyOfRange(tr.outcomeLikelihoods[g], no * t, no * (t + 1)), no, 1));
            }
        }
    }

    private static JsonNode arr(double[] data, int... dims) {
        return new MatlabArray(dims, data).toJson();
    }

    private static JsonNode ints(int[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        double[] data = new double[r * c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) data[i + r * j] = rows[i][j] + 1;
        if (data.length == 0) return NF.arrayNode();
        return new MatlabArray(new int[] {r, c}, data).toJson();
    }
}
