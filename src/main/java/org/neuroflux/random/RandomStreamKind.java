package org.neuroflux.random;

import java.util.Locale;

/** The uniform streams a run can select by name. */
public enum RandomStreamKind {

    /** {@link MatlabTwister}: bit-exact with MATLAB's {@code rng(seed); rand}. */
    MATLAB {
        @Override
        public UniformSource create(long seed) {
            return new MatlabTwister(seed); // validates 0 <= seed < 2^32
        }
    },

    /** {@link SplitMixSource}: the default for runs that need not match MATLAB. */
    SPLITMIX {
        @Override
        public UniformSource create(long seed) {
            return new SplitMixSource(seed);
        }
    };

    /** Creates a fresh, independently owned stream seeded with {@code seed}. */
    public abstract UniformSource create(long seed);

    /**
     * Parses a stream name, case-insensitively: {@code matlab} or {@code splitmix}.
     *
     * @throws IllegalArgumentException for any other name (including null)
     */
    public static RandomStreamKind parse(String name) {
        if (name != null) {
            // Locale.ROOT so e.g. a Turkish default locale cannot break "MATLAB".
            String key = name.toLowerCase(Locale.ROOT);
            for (RandomStreamKind kind : values()) {
                if (kind.name().toLowerCase(Locale.ROOT).equals(key)) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown random stream '" + name + "', expected one of: matlab, splitmix");
    }
}
