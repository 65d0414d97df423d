/**
 * Seedable uniform random streams and categorical sampling. Depends on the JDK only; no Reactor,
 * Netty or Micrometer.
 *
 * <p>Two generators implement {@link org.neuroflux.random.UniformSource}; each
 * simulation owns one (they are not thread-safe), so a seed fully determines a run.
 * <ul>
 *   <li>{@link org.neuroflux.random.MatlabTwister} ({@code matlab}) reproduces
 *       MATLAB's default generator after {@code rng(seed)}: the Mersenne Twister
 *       MT19937 seeded with {@code init_genrand(seed)} for an unsigned 32-bit
 *       seed ({@code 0 <= seed < 2^32}), each draw built from two 32-bit outputs
 *       with 53-bit resolution ({@code genrand_res53}). Its output matches
 *       MATLAB's {@code rand} (and numpy's {@code RandomState(seed)}) bit for bit.</li>
 *   <li>{@link org.neuroflux.random.SplitMixSource} ({@code splitmix}) is the
 *       default for runs that need not match MATLAB: SplitMix64 (Steele, Lea &amp;
 *       Flood 2014), seeded with any 64-bit value, each draw the top 53 bits of
 *       one 64-bit output scaled by 2^-53.</li>
 * </ul>
 * {@link org.neuroflux.random.RandomStreamKind} selects a generator by name, and
 * {@link org.neuroflux.random.CategoricalSampler} turns a uniform draw into a
 * category exactly as MATLAB's {@code find(rand < cumsum(p), 1)}.
 */
package org.neuroflux.random;
