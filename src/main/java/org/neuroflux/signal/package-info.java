/**
 * Synthesised electrophysiology (docs/signals.md): firing rates, membrane potentials, local field
 * potentials, time-frequency responses and theta phase, spike rasters, ERPs, mismatch responses and
 * dopamine, computed from the belief trajectories SPM's solver produces; the project's one vocabulary
 * of signals ({@link org.neuroflux.signal.SignalKind}: label, unit, description), shared by the live
 * stream and the exports; and the project's one time base
 * ({@link org.neuroflux.signal.Timebase#SPM_ITERATION_SECONDS}, one iteration = 1/64 s). May depend on
 * {@code math} (the log floor) and {@code random} (the seeded
 * {@link org.neuroflux.random.UniformSource} that drives spike sampling) only; no Reactor, Netty or
 * Micrometer.
 *
 * <p>Plain Java kernels on primitive {@code double[]} slices with caller-owned outputs, as in
 * {@code org.neuroflux.math}: nothing here allocates per sample, so a streaming pipeline can call the
 * same code one epoch (or one sample) at a time.
 */
package org.neuroflux.signal;
