package org.neuroflux.random;

/**
 * A stream of uniformly distributed doubles in {@code [0, 1)}.
 *
 * <p>Implementations are stateful and <b>not thread-safe</b>: each simulation
 * owns its own source, so runs stay reproducible and never contend on a lock.
 */
public interface UniformSource {

    /** Returns the next uniform double in {@code [0, 1)} and advances the stream. */
    double nextUniform();
}
