package org.neuroflux.export;

import java.util.Objects;

/**
 * A timed event of a {@link Recording}: an epoch, an outcome, an action.
 *
 * @param onsetSeconds    from the start of the recording, >= 0
 * @param durationSeconds >= 0; 0 for an instant
 * @param text            what happened (no control characters)
 */
public record Annotation(double onsetSeconds, double durationSeconds, String text) {
    public Annotation {
        Objects.requireNonNull(text, "text");
        if (!(onsetSeconds >= 0) || !(durationSeconds >= 0)) {
            throw new IllegalArgumentException(
                    "onset and duration must be >= 0, were " + onsetSeconds + ", " + durationSeconds);
        }
        if (text.chars().anyMatch(c -> c < 32))
            throw new IllegalArgumentException("annotation text has a control character: " + text);
    }
}
