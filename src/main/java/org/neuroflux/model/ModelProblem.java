package org.neuroflux.model;

/**
 * One problem found in a model file.
 *
 * @param source  file name (or "inline")
 * @param path    field path inside the file, e.g. {@code A[2]} or {@code factors[0].states}
 * @param message what is wrong: the value found and what was expected
 */
public record ModelProblem(String source, String path, String message) {
    @Override
    public String toString() {
        return source + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
