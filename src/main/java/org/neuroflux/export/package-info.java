/** Writers of simulation results in tidy tabular formats (JSON Lines, CSV). */
package org.neuroflux.export;
