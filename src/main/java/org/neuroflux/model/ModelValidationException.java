package org.neuroflux.model;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a model file has one or more problems; carries all of them, not just the first. */
public final class ModelValidationException extends Exception {
    private final transient List<ModelProblem> problems;

    public ModelValidationException(List<ModelProblem> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ModelProblem> problems() { return problems; }
}
