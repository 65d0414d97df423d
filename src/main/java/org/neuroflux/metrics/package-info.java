/**
 * Micrometer meters of the service: one catalogue ({@link NeurofluxMeters}) naming every meter,
 * and binders that resolve meters once (per session and scheme, never per frame). Tags stay
 * low-cardinality: scheme, model, factor, reason; a per-session tag only when switched on, capped.
 */
package org.neuroflux.metrics;
