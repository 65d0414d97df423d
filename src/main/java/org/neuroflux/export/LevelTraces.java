package org.neuroflux.export;

import java.util.ArrayList;
import java.util.List;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;

/**
 * A deep model's run split by level, for recordings and figures labelled by level: level 1 is the
 * top; level k+1 holds the lower trials of level k in the order they ran (one per epoch of level k).
 */
public final class LevelTraces {
    private LevelTraces() {}

    /** The model of each level, top first: one entry for a single-level model. */
    public static List<GenerativeModel> models(GenerativeModel top) {
        List<GenerativeModel> out = new ArrayList<>();
        for (GenerativeModel m = top;
                m != null;
                m = m.subordinate() == null ? null : m.subordinate().model()) out.add(m);
        return out;
    }

    /** The trials of each level, top first, as many levels as {@link #models} of the model run. */
    public static List<TrialTrace[]> trials(TrialTrace[] top) {
        List<TrialTrace[]> out = new ArrayList<>();
        TrialTrace[] level = top;
        while (level.length > 0) {
            out.add(level);
            List<TrialTrace> next = new ArrayList<>();
            for (TrialTrace tr : level) if (tr.lower != null) next.addAll(List.of(tr.lower));
            level = next.toArray(TrialTrace[]::new);
        }
        return out;
    }

    /** "dir/name.level2.edf" for "dir/name.edf" and level 2. */
    public static java.nio.file.Path fileOf(java.nio.file.Path file, int level) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String leveled =
                dot > 0 ? name.substring(0, dot) + ".level" + level + name.substring(dot) : name + ".level" + level;
        return file.resolveSibling(leveled);
    }
}
