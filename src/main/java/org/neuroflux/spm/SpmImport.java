package org.neuroflux.spm;

import java.util.List;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.TrialFixture;

/**
 * An SPM MDP struct (one trial) or struct array (consecutive trials) as read from jsonencode
 * output: one model and one fixture per trial, and the warnings (such as normalised columns).
 */
public record SpmImport(List<GenerativeModel> models, List<TrialFixture> fixtures, List<ModelProblem> warnings) {
    public SpmImport {
        models = List.copyOf(models);
        fixtures = List.copyOf(fixtures);
        warnings = List.copyOf(warnings);
    }

    public int trials() {
        return models.size();
    }
}
