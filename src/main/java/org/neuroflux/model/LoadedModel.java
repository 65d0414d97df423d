package org.neuroflux.model;

import java.util.List;

/**
 * A model file as loaded: one model and fixture per trial (an SPM struct array has several; a
 * native file has one), the format it was read as, and the warnings raised while reading it.
 */
public record LoadedModel(
        List<GenerativeModel> models, List<TrialFixture> fixtures, ModelFormat format, List<ModelProblem> warnings) {
    public LoadedModel {
        models = List.copyOf(models);
        fixtures = List.copyOf(fixtures);
        warnings = List.copyOf(warnings);
        if (models.isEmpty() || models.size() != fixtures.size()) {
            throw new IllegalArgumentException("need one fixture per model, got " + models.size() + " models and "
                    + fixtures.size() + " fixtures");
        }
    }

    public GenerativeModel first() {
        return models.get(0);
    }
}
