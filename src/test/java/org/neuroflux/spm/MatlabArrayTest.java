package org.neuroflux.spm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** jsonencode's layout, with the README's own check: reshape(1:12, [2 3 2]). */
class MatlabArrayTest {
    @Test
    void threeDimensionalArrayNestsWithTheFirstIndexOutermost() throws Exception {
        double[] data = new double[12];
        for (int i = 0; i < 12; i++) data[i] = i + 1;
        String json = new MatlabArray(new int[] {2, 3, 2}, data).toJson().toString();
        assertEquals("[[[1.0,7.0],[3.0,9.0],[5.0,11.0]],[[2.0,8.0],[4.0,10.0],[6.0,12.0]]]", json);
        var node = new ObjectMapper().readTree(json);
        assertArrayEquals(new int[] {2, 3, 2}, MatlabArray.shapeOf(node));
        assertArrayEquals(data, MatlabArray.read(node, new int[] {2, 3, 2}), 0);
    }

    @Test
    void vectorsAreFlatAndTrailingSingletonsDropped() {
        assertEquals(
                "[1.0,2.0,3.0]",
                new MatlabArray(new int[] {1, 3}, new double[] {1, 2, 3})
                        .toJson()
                        .toString());
        assertEquals(
                "[1.0,2.0,3.0]",
                new MatlabArray(new int[] {3, 1, 1}, new double[] {1, 2, 3})
                        .toJson()
                        .toString());
        assertEquals(
                "5.0",
                new MatlabArray(new int[] {1, 1}, new double[] {5}).toJson().toString());
        // README rule: any array with at most one dimension > 1 is written flat, whatever its rank
        assertEquals(
                "[1.0,2.0]",
                new MatlabArray(new int[] {1, 1, 2}, new double[] {1, 2})
                        .toJson()
                        .toString());
        assertEquals(
                "[[1.0,3.0],[2.0,4.0]]",
                new MatlabArray(new int[] {2, 2, 1}, new double[] {1, 2, 3, 4})
                        .toJson()
                        .toString());
    }
}
