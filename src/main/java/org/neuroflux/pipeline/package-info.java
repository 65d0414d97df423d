/**
 * Sessions: the shared pacing clock ({@link org.neuroflux.pipeline.PacingClock}), a session's scheme
 * ensemble, its counters, its subscribers with their bounded buffers and policies, and the layout of
 * the frames they share. Request parsing and ingest decoding also live here, so the transport sees
 * only this package's types. Architecture: docs/architecture.md.
 */
package org.neuroflux.pipeline;
