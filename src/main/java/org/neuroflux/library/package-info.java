/**
 * Finding and loading model files: format detection (SPM JSON or the native format) and the
 * library of shipped models by name. Used by the command line and the server alike. May depend on
 * {@code model} (and its {@code model.spec} reader), {@code spm} and Jackson.
 */
package org.neuroflux.library;
