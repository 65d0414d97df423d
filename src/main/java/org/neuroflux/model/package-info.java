/**
 * Discrete state-space generative models (SPM's POMDP: A, B, C, D, E, policies, Dirichlet counts),
 * as immutable, validated values, and the problems found while loading them. Depends on the JDK
 * only (its {@code model.spec} reader adds Jackson); no Reactor, Netty or Micrometer.
 *
 * <p>Arrays are stored flat in MATLAB's column-major order, so that a model read from SPM keeps
 * SPM's linear indices: {@code A[g]} has dimensions (No_g, Ns_1, ..., Ns_F) with the outcome index
 * fastest; {@code B[f]} is (Ns_f, Ns_f, Nu_f) indexed (to, from, control). All indices held by this
 * package are 0-based; the SPM and native readers translate from their 1-based files.
 */
package org.neuroflux.model;
