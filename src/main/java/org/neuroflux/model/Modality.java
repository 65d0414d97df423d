package org.neuroflux.model;

import java.util.List;
import java.util.Objects;

/**
 * An outcome modality: its name and the names of its outcomes.
 *
 * @param name     modality name, e.g. "reward"
 * @param outcomes outcome names, at least one
 */
public record Modality(String name, List<String> outcomes) {
    public Modality {
        Objects.requireNonNull(name, "name");
        outcomes = List.copyOf(outcomes);
        if (outcomes.isEmpty())
            throw new IllegalArgumentException("modality '" + name + "' needs at least one outcome");
    }

    /** Number of outcomes, No_g. */
    public int outcomeCount() {
        return outcomes.size();
    }

    /** 0-based index of the named outcome, or -1. */
    public int indexOf(String outcome) {
        return outcomes.indexOf(outcome);
    }
}
