/**
 * The command line (picocli): {@code serve}, {@code simulate}, {@code experiment}, {@code validate},
 * {@code export}, {@code figures}, {@code record}, {@code loadtest} and {@code healthcheck}, each
 * parsing its options, calling the packages that do the work, and mapping failures to exit codes
 * (0 success, 2 user error, 1 internal error). The composition root: it may depend on every other
 * project package, and none depends on it.
 */
package org.neuroflux.cli;
