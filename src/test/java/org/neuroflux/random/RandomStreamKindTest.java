package org.neuroflux.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RandomStreamKindTest {

    @Test
    void parsesNamesCaseInsensitively() {
        assertEquals(RandomStreamKind.MATLAB, RandomStreamKind.parse("matlab"));
        assertEquals(RandomStreamKind.MATLAB, RandomStreamKind.parse("MatLab"));
        assertEquals(RandomStreamKind.SPLITMIX, RandomStreamKind.parse("splitmix"));
        assertEquals(RandomStreamKind.SPLITMIX, RandomStreamKind.parse("SPLITMIX"));
    }

    @Test
    void rejectsUnknownNameWithHelpfulMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RandomStreamKind.parse("x"));
        assertEquals("unknown random stream 'x', expected one of: matlab, splitmix", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RandomStreamKind.parse(""));
        assertThrows(IllegalArgumentException.class, () -> RandomStreamKind.parse(null));
    }

    @Test
    void createsSeededGenerators() {
        UniformSource matlab = RandomStreamKind.MATLAB.create(1);
        assertInstanceOf(MatlabTwister.class, matlab);
        assertEquals(0.417022004702574, matlab.nextUniform(), 0.0);

        UniformSource splitmix = RandomStreamKind.SPLITMIX.create(0);
        assertInstanceOf(SplitMixSource.class, splitmix);
        assertEquals(0.8833108082136426, splitmix.nextUniform(), 0.0);
    }

    @Test
    void matlabCreateValidatesSeedRange() {
        assertThrows(IllegalArgumentException.class, () -> RandomStreamKind.MATLAB.create(-1));
        assertThrows(IllegalArgumentException.class, () -> RandomStreamKind.MATLAB.create(1L << 32));
        // SplitMix accepts any long.
        assertInstanceOf(SplitMixSource.class, RandomStreamKind.SPLITMIX.create(-1));
    }
}
