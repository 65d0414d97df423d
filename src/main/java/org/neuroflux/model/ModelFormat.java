package org.neuroflux.model;

/** The two model file formats neuroflux reads. */
public enum ModelFormat {
    /** An MDP struct or struct array as MATLAB/Octave jsonencode writes it. */
    SPM_JSON,
    /** neuroflux's own format, in YAML or JSON: named factors, states, outcomes and policies. */
    NATIVE
}
