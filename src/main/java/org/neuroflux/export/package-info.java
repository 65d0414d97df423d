/**
 * Writers of simulation results: tidy JSON Lines and CSV of the belief traces
 * ({@link org.neuroflux.export.TidyTraceWriter}), and synthesised electrophysiology
 * ({@link org.neuroflux.export.Recording}, built by {@link org.neuroflux.export.RecordingBuilder}) as
 * EDF+ ({@link org.neuroflux.export.EdfWriter}) or tidy tables ({@link org.neuroflux.export.SignalTableWriter}).
 * May depend on {@code signal}, {@code dynamics}, {@code model}, {@code math} and {@code random}; the
 * signal kernels are {@code signal}'s, never recomputed here. No Reactor, Netty or Micrometer.
 */
package org.neuroflux.export;
