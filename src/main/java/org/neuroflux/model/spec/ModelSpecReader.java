package org.neuroflux.model.spec;

import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;

/** Reads neuroflux's native model format (YAML, or the same structure in JSON). */
public final class ModelSpecReader {
    public LoadedModel read(String text, String source) throws ModelValidationException {
        throw new ModelValidationException(java.util.List.of(new ModelProblem(source, "", "the native format is not implemented yet")));
    }
}
