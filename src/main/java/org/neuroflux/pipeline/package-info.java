/**
 * Sessions: the shared pacing clock ({@link org.neuroflux.pipeline.PacingClock}), a session's scheme
 * ensemble, its counters, its subscribers with their bounded buffers and policies, and the layout of
 * the frames they share. Request parsing and ingest decoding also live here, so the transport sees
 * only this package's types. May depend on {@code dynamics}, {@code model},
 * {@code signal}, {@code random}, {@code metrics}, the model-file readers ({@code library},
 * {@code spm}), Reactor and Micrometer; never on {@code transport} or Netty. Architecture:
 * docs/architecture.md.
 */
package org.neuroflux.pipeline;
