package org.neuroflux.pipeline;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

/** The T-maze of the reference case tmaze-ai-2trials (both trials, with their fixed s, o, u). */
public final class TestModels {
    private TestModels() {}

    public static SpmImport tmazeTwoTrials() {
        try (InputStream in = TestModels.class.getResourceAsStream("/reference/tmaze-ai-2trials/mdp.json")) {
            return new SpmModelReader().read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "tmaze-ai-2trials");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
