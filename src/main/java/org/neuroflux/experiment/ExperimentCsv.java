package org.neuroflux.experiment;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.neuroflux.model.GenerativeModel;

/**
 * The experiment's CSV: one row per (agent, trial, scheme, solver settings). Information length in
 * both conventions: info_length (the authors', stored iterates) and info_length_whole_path (each
 * epoch's first step counted too); efficiency likewise. Sequences over epochs are written as
 * 1-based indices joined by ';' (SPM's convention), vectors of numbers likewise.
 */
public final class ExperimentCsv {
    private ExperimentCsv() {}

    public static void write(Writer w, List<AgentTrial> rows, GenerativeModel model, long seed) throws IOException {
        List<String> header = new ArrayList<>(List.of("agent", "trial", "scheme", "solver", "seed", "info_length"));
        for (var f : model.factors()) header.add("info_length_" + name(f.name()));
        header.add("info_length_whole_path");
        for (var f : model.factors()) header.add("info_length_whole_path_" + name(f.name()));
        header.add("efficiency");
        header.add("efficiency_whole_path");
        for (var f : model.factors()) header.add("state_" + name(f.name()));
        for (var f : model.factors()) header.add("action_" + name(f.name()));
        for (var g : model.modalities()) header.add("outcome_" + name(g.name()));
        header.add("hit");
        if (model.learnsInitialStates()) for (var f : model.factors()) header.add("d_" + name(f.name()));
        header.add("policy_posterior_epoch1");
        for (var f : model.factors()) header.add("final_belief_" + name(f.name()));
        w.write(String.join(",", header));
        w.write('\n');
        StringBuilder sb = new StringBuilder();
        for (AgentTrial r : rows) {
            sb.setLength(0);
            sb.append(r.agent())
                    .append(',')
                    .append(r.trial())
                    .append(',')
                    .append(r.scheme())
                    .append(',')
                    .append(r.solver())
                    .append(',')
                    .append(seed + r.agent());
            sb.append(',').append(r.infoLength());
            for (double v : r.infoLengthPerFactor()) sb.append(',').append(v);
            sb.append(',').append(r.infoLengthWholePath());
            for (double v : r.infoLengthWholePathPerFactor()) sb.append(',').append(v);
            sb.append(',').append(r.efficiency()).append(',').append(r.efficiencyWholePath());
            for (int[] s : r.states()) sb.append(',').append(indices(s));
            for (int[] u : r.actions()) sb.append(',').append(indices(u));
            for (int[] o : r.outcomes()) sb.append(',').append(indices(o));
            sb.append(',').append(r.hit() ? 1 : 0);
            if (model.learnsInitialStates())
                for (double[] d : r.learnedInitialCounts()) sb.append(',').append(numbers(d));
            sb.append(',').append(numbers(r.policyPosteriorEpoch1()));
            for (double[] x : r.finalBeliefs()) sb.append(',').append(numbers(x));
            w.write(sb.append('\n').toString());
        }
    }

    private static String name(String s) {
        return s.replaceAll("[^A-Za-z0-9]+", "_");
    }

    private static String indices(int[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ";").append(v[i] + 1);
        return sb.toString();
    }

    private static String numbers(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ";").append(v[i]);
        return sb.toString();
    }
}
