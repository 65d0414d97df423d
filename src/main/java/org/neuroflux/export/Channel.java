package org.neuroflux.export;

import java.util.Objects;
import org.neuroflux.signal.SignalKind;

/**
 * One channel of a {@link Recording}.
 *
 * @param kind        what the channel holds
 * @param name        unique long name for tidy tables, e.g. "lfp/location/centre/t1"
 * @param label       unique EDF label of at most 16 ASCII characters, e.g. "LFP f1s1t1"
 * @param description what and where, for EDF's transducer field, e.g. "location=centre tau=1"
 * @param factor      0-based factor, or -1 for trial-wide signals (dopamine, precision)
 * @param state       0-based state of a unit channel, or -1
 * @param tau         0-based time point of a unit channel, or -1
 * @param frequencyHz frequency of a TF channel, else NaN
 */
public record Channel(
        SignalKind kind,
        String name,
        String label,
        String description,
        int factor,
        int state,
        int tau,
        double frequencyHz) {
    public Channel {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
        if (label.length() > 16 || !label.chars().allMatch(c -> c >= 32 && c < 127)) {
            throw new IllegalArgumentException(
                    "EDF label must be at most 16 printable ASCII characters: '" + label + "'");
        }
    }

    /** Physical unit (the kind's). */
    public String unit() {
        return kind.unit();
    }
}
