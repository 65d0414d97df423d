/**
 * Server configuration: defaults, the YAML file ({@code config/application.yaml}), environment
 * overrides and validation, as immutable records; an invalid setting fails with its name, value and
 * what was expected. Depends on the JDK and Jackson only, so every layer may read it.
 */
package org.neuroflux.config;
