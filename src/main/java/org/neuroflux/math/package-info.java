/**
 * Numerical kernels on primitive {@code double[]}, written to reproduce SPM's MATLAB helpers
 * operation for operation (same summation order, same floors), so that results agree with SPM to
 * the last few ulps. No allocation; callers own every output array.
 */
package org.neuroflux.math;
