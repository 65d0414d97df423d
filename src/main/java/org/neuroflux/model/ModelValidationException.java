package org.neuroflux.model;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a model file has one or more problems; carries all of them, not just the first. */
public final class ModelValidationException extends Exception {
    private final transient List<ModelProblem> problems;
    private final boolean tooLarge;

    public ModelValidationException(List<ModelProblem> problems) {
        this(problems, false);
    }

    /** @param tooLarge whether a {@link ModelLimits} bound was exceeded */
    public ModelValidationException(List<ModelProblem> problems, boolean tooLarge) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
        this.tooLarge = tooLarge;
    }

    /** True when the model exceeds a {@link ModelLimits} bound (answered 413 over HTTP). */
    public boolean tooLarge() {
        return tooLarge;
    }

    public List<ModelProblem> problems() {
        return problems;
    }
}
