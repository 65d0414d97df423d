/**
 * Micrometer meters of the service: one catalogue ({@link NeurofluxMeters}) naming every meter,
 * and binders that resolve meters once (per session and scheme, never per frame). Tags stay
 * low-cardinality: scheme, model, factor, reason; a per-session tag only when switched on, capped.
 * May depend on Micrometer (and its Prometheus registry) and the JDK, no other project package, so
 * that {@code pipeline} and {@code transport} can both use it.
 */
package org.neuroflux.metrics;
