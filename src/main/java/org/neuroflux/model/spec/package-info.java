/**
 * The native model format (YAML or JSON, docs/model-format.md): named factors, modalities and
 * policies read into a validated {@link org.neuroflux.model.GenerativeModel}, with every problem
 * reported by file, path and expected value. May depend on {@code model} and Jackson only.
 */
package org.neuroflux.model.spec;
