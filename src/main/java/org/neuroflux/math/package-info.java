/**
 * Numerical kernels on primitive {@code double[]}, written to reproduce SPM's MATLAB helpers
 * operation for operation (same summation order, same floors), so that results agree with SPM to
 * the last few ulps. No allocation; callers own every output array. The floor of every logarithm,
 * {@link org.neuroflux.math.SpmMath#LOG_FLOOR}, is defined here once. Depends on the JDK only: every
 * other package may use it.
 */
package org.neuroflux.math;
