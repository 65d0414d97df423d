/**
 * Finding and loading model files: format detection (SPM JSON or the native format) and the
 * library of shipped models by name. Used by the command line and the server alike.
 */
package org.neuroflux.library;
