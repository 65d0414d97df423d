package org.neuroflux.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SplitMixSourceTest {

    // Produced by a standalone Python transcription of SplitMix64 (state += gamma,
    // two xor-shift-multiply rounds, final xor-shift, all mod 2^64), seed 0;
    // doubles are (v >> 11) * 2.0**-53 printed with repr().
    private static final long[] SEED0_RAW = {
        0xe220a8397b1dcdafL, 0x6e789e6aa1b965f4L, 0x06c45d188009454fL, 0xf88bb8a8724c81ecL, 0x1b39896a51a8749bL
    };
    private static final double[] SEED0_UNIFORM = {
        0.8833108082136426, 0.43152799704850997, 0.026433771592597743, 0.9708819781538285, 0.10634669156721244
    };

    @Test
    void rawOutputForSeedZeroMatchesReference() {
        SplitMixSource source = new SplitMixSource(0);
        for (int i = 0; i < SEED0_RAW.length; i++) {
            assertEquals(SEED0_RAW[i], source.next64(), "output " + i);
        }
    }

    @Test
    void uniformsForSeedZeroMatchReference() {
        SplitMixSource source = new SplitMixSource(0);
        for (int i = 0; i < SEED0_UNIFORM.length; i++) {
            assertEquals(SEED0_UNIFORM[i], source.nextUniform(), 0.0, "draw " + i);
        }
    }

    @Test
    void sameSeedGivesSameSequence() {
        SplitMixSource a = new SplitMixSource(-123456789L);
        SplitMixSource b = new SplitMixSource(-123456789L);
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.nextUniform(), b.nextUniform(), 0.0, "draw " + i);
        }
    }

    @Test
    void differentSeedsGiveDifferentSequences() {
        SplitMixSource a = new SplitMixSource(1);
        SplitMixSource b = new SplitMixSource(2);
        int equal = 0;
        for (int i = 0; i < 100; i++) {
            if (a.nextUniform() == b.nextUniform()) {
                equal++;
            }
        }
        assertEquals(0, equal, "coincident draws are astronomically unlikely");
    }
}
