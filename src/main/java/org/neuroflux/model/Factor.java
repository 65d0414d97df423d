package org.neuroflux.model;

import java.util.List;
import java.util.Objects;

/**
 * A hidden-state factor: its name, the names of its states and of its control states.
 *
 * @param name     factor name, e.g. "location"
 * @param states   state names, at least one
 * @param controls control-state names, at least one (a factor nobody controls has one)
 */
public record Factor(String name, List<String> states, List<String> controls) {
    public Factor {
        Objects.requireNonNull(name, "name");
        states = List.copyOf(states);
        controls = List.copyOf(controls);
        if (states.isEmpty()) throw new IllegalArgumentException("factor '" + name + "' needs at least one state");
        if (controls.isEmpty()) throw new IllegalArgumentException("factor '" + name + "' needs at least one control");
    }

    /** Number of states, Ns_f. */
    public int stateCount() {
        return states.size();
    }

    /** Number of control states, Nu_f. */
    public int controlCount() {
        return controls.size();
    }
}
