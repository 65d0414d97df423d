package org.neuroflux.random;

/**
 * SplitMix64 (Steele, Lea &amp; Flood, OOPSLA 2014): a 64-bit counter advanced by
 * the golden gamma and passed through a bijective mixing function. Used as the
 * default generator for runs that need not match MATLAB: tiny state, fast, and
 * any {@code long} is a valid seed. Not thread-safe.
 */
public final class SplitMixSource implements UniformSource {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    /** @param seed any 64-bit value; it is the initial counter state */
    public SplitMixSource(long seed) {
        this.state = seed;
    }

    /** The counter: a new source made with it as the seed continues exactly where this one is. */
    public long state() {
        return state;
    }

    /** Next raw 64-bit output. */
    public long next64() {
        state += GOLDEN_GAMMA;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Top 53 bits scaled by 2^-53, so every value is an exact multiple of 2^-53 in [0, 1). */
    @Override
    public double nextUniform() {
        return (next64() >>> 11) * 0x1.0p-53;
    }
}
