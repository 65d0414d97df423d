package org.neuroflux.spm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** looksLikeSpm tells SPM structs from native-format JSON, which also has A and B. */
class SpmDetectionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static boolean spm(String json) throws Exception {
        return SpmModelReader.looksLikeSpm(MAPPER.readTree(json));
    }

    @Test
    void spmStructsAndStructArraysAreSpm() throws Exception {
        assertTrue(spm("{\"A\":[[[0.9,0.1],[0.1,0.9]]],\"B\":[[[1,0],[0,1]]],\"V\":[1,1,1],\"T\":4}"));
        assertTrue(
                spm("[{\"a\":[[[1,1],[1,1]]],\"B\":[[[1,0],[0,1]]]}, {\"a\":[[[1,1],[1,1]]],\"B\":[[[1,0],[0,1]]]}]"));
        assertTrue(
                spm("{\"A\":[[[1,0],[0,1]]],\"B\":{\"oops\":1}}"),
                "a broken SPM struct is still read (and refused) as SPM");
        assertTrue(
                spm("{\"a\":[[[1,1],[1,1]]],\"b\":[[[3,1],[1,3]]],\"V\":[1,1,1],\"T\":4}"),
                "counts alone, as spm_MDP_check allows");
    }

    @Test
    void nativeJsonWithNamedSectionsIsNotSpm() throws Exception {
        assertFalse(spm(
                "{\"T\":2,\"factors\":[{\"name\":\"s\",\"states\":[\"x\",\"y\"]}],\"A\":{\"o\":{\"outcome\":\"x\"}},"
                        + "\"B\":{\"s\":\"identity\"}}"));
        assertFalse(
                spm("{\"T\":2,\"A\":{\"o\":{\"outcome\":\"x\"}},\"B\":{\"s\":\"identity\"}}"),
                "A and B as mappings: native");
        assertFalse(spm("{\"modalities\":[],\"A\":[],\"B\":[]}"));
        assertFalse(spm("[1, 2]"));
    }
}
