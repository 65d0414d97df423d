/**
 * Synthesised electrophysiology (docs/signals.md): firing rates, membrane potentials, local field
 * potentials, time-frequency responses and theta phase, spike rasters, ERPs and mismatch responses,
 * computed from the belief trajectories SPM's solver produces.
 *
 * <p>Plain Java kernels on primitive {@code double[]} slices with caller-owned outputs, as in
 * {@code org.neuroflux.math}: nothing here allocates per sample, so a streaming pipeline can call the
 * same code one epoch (or one sample) at a time. The only project type used is the seeded
 * {@link org.neuroflux.random.UniformSource} that drives spike sampling. No Reactor, Netty or
 * Micrometer.
 */
package org.neuroflux.signal;
