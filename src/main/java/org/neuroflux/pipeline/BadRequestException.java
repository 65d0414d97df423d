package org.neuroflux.pipeline;

import java.util.List;

/** A client request that cannot be served as sent: answered with 400 (or the given status) and every problem. */
public final class BadRequestException extends RuntimeException {
    private final int status;
    private final List<String> problems;

    public BadRequestException(int status, List<String> problems) {
        super(String.join("; ", problems));
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public BadRequestException(String problem) {
        this(400, List.of(problem));
    }

    public int status() {
        return status;
    }

    public List<String> problems() {
        return problems;
    }
}
