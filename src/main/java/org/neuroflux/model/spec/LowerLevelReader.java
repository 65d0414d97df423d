package org.neuroflux.model.spec;

import java.util.List;
import java.util.Map;
import org.neuroflux.model.Subordinate;
import org.neuroflux.model.TrialFixture;

/**
 * Reads {@code lower}: a deep model's lower level, a whole model in this format (read with every
 * check, and which may have its own {@code lower}), and {@code link}, which maps this level's outcomes
 * to the lower level's initial states (SPM's MDP.MDP and MDP.link; docs/model-format.md, "Deep models").
 */
final class LowerLevelReader {
    private static final List<String> FIELDS = List.of("model", "link");
    private static final List<String> LINK_FIELDS = List.of("modality", "factor", "map", "matrix");

    private final ModelSpecReader reader;
    private final Vocabulary higher;

    LowerLevelReader(ModelSpecReader reader, Vocabulary higher) {
        this.reader = reader;
        this.higher = higher;
    }

    /** The lower level, or null after reporting its problems. */
    Subordinate read(SpecNode node, String defaultName) {
        if (!node.mapping("a mapping with model (the lower level, a model in this format) and link", FIELDS, FIELDS))
            return null;
        ModelSpecReader.Level low = reader.readLevel(node.field("model"), defaultName, node.problems());
        if (low == null) return null;
        Vocabulary lower = low.names();
        int nf = lower.factors().size();
        int ng = higher.modalities().size();
        double[][] links = new double[nf * ng][];
        boolean[] given = new boolean[nf];
        for (int f = 0; f < nf; f++) given[f] = low.fixture().states()[f][0] != TrialFixture.FREE;
        List<SpecNode> entries = node.field("link").list("a list of links {modality, factor, map or matrix}");
        if (entries == null) return null;
        if (entries.isEmpty())
            node.field("link")
                    .error("is empty; expected at least one link from a modality of this level to a lower factor");
        boolean ok = !entries.isEmpty();
        for (SpecNode e : entries) {
            if (!e.mapping(
                    "a link: {modality: <this level's modality>, factor: <a lower factor>, map: {outcome: state} or matrix}",
                    LINK_FIELDS,
                    List.of("modality", "factor"))) {
                ok = false;
                continue;
            }
            int g = Vocabulary.lookup(e.field("modality"), higher.modalityNames(), "a modality of this level");
            int f = Vocabulary.lookup(e.field("factor"), lower.factorNames(), "a factor of the lower level");
            if (g < 0 || f < 0) {
                ok = false;
                continue;
            }
            if (links[f + nf * g] != null) {
                e.error("links " + higher.modality(g).name() + " to "
                        + lower.factor(f).name() + " a second time");
                ok = false;
                continue;
            }
            double[] link = e.field("map").present() == e.field("matrix").present() ? null : link(e, f, g, lower);
            if (link == null) {
                if (e.field("map").present() == e.field("matrix").present())
                    e.error("needs exactly one of map and matrix");
                ok = false;
                continue;
            }
            if (!given[f] && !namesOneStatePerOutcome(e, link, f, g, lower)) ok = false;
            links[f + nf * g] = link;
        }
        return ok ? new Subordinate(low.model(), low.fixture(), links, given) : null;
    }

    /** link{f,g} (lower states x this level's outcomes, column-major) from map or matrix; null after a problem. */
    private double[] link(SpecNode e, int f, int g, Vocabulary lower) {
        List<String> outcomes = higher.modality(g).outcomes();
        int ns = lower.factor(f).states().size();
        int no = outcomes.size();
        double[] link = new double[ns * no];
        SpecNode map = e.field("map");
        if (map.present()) {
            if (!map.isMapping()) {
                map.error("is " + map.kind() + "; expected a mapping from outcomes of "
                        + higher.modality(g).name() + " to states of "
                        + lower.factor(f).name());
                return null;
            }
            boolean ok = true;
            for (Map.Entry<String, SpecNode> entry : map.entries()) {
                int o = outcomes.indexOf(entry.getKey());
                if (o < 0) {
                    map.error("names '" + entry.getKey() + "'; expected an outcome of "
                            + higher.modality(g).name() + ": " + SpecNode.choices(outcomes));
                    ok = false;
                    continue;
                }
                int s = lower.state(f, entry.getValue());
                if (s < 0) ok = false;
                else link[s + ns * o] = 1;
            }
            return ok ? link : null;
        }
        SpecNode matrix = e.field("matrix");
        List<SpecNode> rows = matrix.list(
                "a list of " + ns + " rows (one per state of " + lower.factor(f).name() + "), each of " + no
                        + " numbers (one per outcome of " + higher.modality(g).name() + ")");
        if (rows == null) return null;
        if (rows.size() != ns) {
            matrix.error("has " + rows.size() + " rows; expected " + ns + " (one per state of "
                    + lower.factor(f).name() + ")");
            return null;
        }
        boolean ok = true;
        for (int s = 0; s < ns; s++) {
            List<SpecNode> cols = rows.get(s).list("a list of " + no + " numbers >= 0");
            if (cols == null || cols.size() != no) {
                if (cols != null)
                    rows.get(s)
                            .error("has " + cols.size() + " entries; expected " + no + " (one per outcome of "
                                    + higher.modality(g).name() + ")");
                ok = false;
                continue;
            }
            for (int o = 0; o < no; o++) {
                Double v = cols.get(o).nonNegative("a finite number >= 0");
                if (v == null) ok = false;
                else link[s + ns * o] = v;
            }
        }
        return ok ? link : null;
    }

    /** Where the link names the lower level's true initial state, each outcome must name exactly one. */
    private boolean namesOneStatePerOutcome(SpecNode e, double[] link, int f, int g, Vocabulary lower) {
        int ns = lower.factor(f).states().size();
        List<String> outcomes = higher.modality(g).outcomes();
        for (int o = 0; o < outcomes.size(); o++) {
            int named = 0;
            for (int s = 0; s < ns; s++) if (link[s + ns * o] != 0) named++;
            if (named != 1) {
                e.error("maps outcome '" + outcomes.get(o) + "' to " + named + " states of "
                        + lower.factor(f).name()
                        + "; the lower level's true initial state comes from the link, so each outcome must name exactly one"
                        + " (or fix the lower level's initial state in its trial.states)");
                return false;
            }
        }
        return true;
    }
}
