/**
 * The paper's experiments: many agents, each running a sequence of trials under both update
 * schemes on paired random streams, scored by information length.
 */
package org.neuroflux.experiment;
