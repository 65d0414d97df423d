/**
 * Writers of simulation results: tidy JSON Lines and CSV of the belief traces
 * ({@link org.neuroflux.export.TidyTraceWriter}), and synthesised electrophysiology
 * ({@link org.neuroflux.export.Recording}, built by {@link org.neuroflux.export.RecordingBuilder}) as
 * EDF+ ({@link org.neuroflux.export.EdfWriter}) or tidy tables ({@link org.neuroflux.export.SignalTableWriter}).
 */
package org.neuroflux.export;
