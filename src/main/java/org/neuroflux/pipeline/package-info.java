/**
 * Streaming sessions (Project Reactor): pacing real-time and as-fast-as-possible runs, applying
 * ingested observations, running each scheme's solver, laying out signal frames and broadcasting
 * them to subscribers with per-subscriber backpressure and counted drops. May depend on
 * {@code dynamics}, {@code model}, {@code signal}, {@code random}, {@code metrics}, the model-file
 * readers ({@code library}, {@code spm}), Reactor and Micrometer; never on {@code transport} or Netty.
 */
package org.neuroflux.pipeline;
