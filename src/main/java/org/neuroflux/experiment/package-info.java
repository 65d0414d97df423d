/**
 * The paper's experiments: many agents, each running a sequence of trials under both update
 * schemes on paired random streams, scored by information length. May depend on {@code dynamics},
 * {@code model} and {@code random}; no streaming or I/O libraries beyond the JDK.
 */
package org.neuroflux.experiment;
