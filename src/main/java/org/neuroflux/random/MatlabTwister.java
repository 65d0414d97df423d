package org.neuroflux.random;

/**
 * MATLAB's default generator as set by {@code rng(seed)}: the Mersenne Twister
 * MT19937 (Matsumoto &amp; Nishimura, reference code mt19937ar) seeded with
 * {@code init_genrand(seed)}, where each {@code rand} is {@code genrand_res53()}.
 *
 * <p>The same stream is produced by numpy's legacy
 * {@code RandomState(seed).random_sample()}, which the tests use as the oracle.
 * Not thread-safe; no allocation per draw.
 */
public final class MatlabTwister implements UniformSource {

    /** Largest allowed seed: MATLAB seeds are unsigned 32-bit integers. */
    public static final long MAX_SEED = 0xFFFF_FFFFL;

    // MT19937 parameters from the published definition.
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    // State words hold unsigned 32-bit values in Java ints (bit patterns are identical).
    private final int[] mt = new int[N];
    private int mti;

    /**
     * Seeds the generator like MATLAB's {@code rng(seed)}.
     *
     * @param seed unsigned 32-bit seed, {@code 0 <= seed <= 4294967295}
     * @throws IllegalArgumentException if the seed is outside that range
     */
    public MatlabTwister(long seed) {
        if (seed < 0 || seed > MAX_SEED) {
            throw new IllegalArgumentException(
                    "MATLAB seed " + seed + " out of range, expected 0 <= seed <= " + MAX_SEED);
        }
        initGenrand((int) seed);
    }

    /** mt19937ar {@code init_genrand}: Knuth-style linear recurrence over the state. */
    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            int prev = mt[i - 1];
            // int multiplication wraps mod 2^32, exactly as the C code's unsigned arithmetic.
            mt[i] = 1812433253 * (prev ^ (prev >>> 30)) + i;
        }
        mti = N;
    }

    /** Regenerates all N state words at once (the "twist"). */
    private void twist() {
        int kk = 0;
        for (; kk < N - M; kk++) {
            int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        for (; kk < N - 1; kk++) {
            int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        mti = 0;
    }

    /** {@code genrand_int32} as a raw bit pattern; unsigned shifts keep it exact. */
    private int nextRaw() {
        if (mti >= N) {
            twist();
        }
        int y = mt[mti++];
        // Tempering.
        y ^= (y >>> 11);
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= (y >>> 18);
        return y;
    }

    /** Next {@code genrand_int32} output as an unsigned value in {@code [0, 2^32)}. */
    public long nextInt32() {
        return Integer.toUnsignedLong(nextRaw());
    }

    /** {@code genrand_res53}: 27 + 26 random bits combined into a 53-bit double. */
    @Override
    public double nextUniform() {
        int a = nextRaw() >>> 5;
        int b = nextRaw() >>> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }
}
