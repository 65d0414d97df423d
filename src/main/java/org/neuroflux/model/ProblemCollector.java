package org.neuroflux.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects problems and warnings while a model is read, so that a user sees all of them at once
 * (Micrometer's {@code checkAll} style) instead of fixing one error per run.
 */
public final class ProblemCollector {
    private final String source;
    private final List<ModelProblem> errors = new ArrayList<>();
    private final List<ModelProblem> warnings = new ArrayList<>();
    private boolean tooLarge;

    public ProblemCollector(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    public void error(String path, String message) {
        errors.add(new ModelProblem(source, path, message));
    }

    /** An error that a {@link ModelLimits} bound was exceeded (HTTP answers 413 rather than 400). */
    public void tooLarge(String path, String message) {
        tooLarge = true;
        error(path, message);
    }

    public void warn(String path, String message) {
        warnings.add(new ModelProblem(source, path, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public List<ModelProblem> errors() {
        return List.copyOf(errors);
    }

    public List<ModelProblem> warnings() {
        return List.copyOf(warnings);
    }

    /** Throws if any error was collected. */
    public void throwIfErrors() throws ModelValidationException {
        if (!errors.isEmpty()) throw new ModelValidationException(errors, tooLarge);
    }
}
