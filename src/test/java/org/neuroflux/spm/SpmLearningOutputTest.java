package org.neuroflux.spm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;

/** spm-json writes learned c and Fc (no SPM reference exists for them) in SPM's layouts, and carries c over trials. */
class SpmLearningOutputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void preferenceCountsAreWrittenAsNoByTAndCarriedToTheNextTrial() throws Exception {
        ObjectNode mdp;
        try (InputStream in = getClass().getResourceAsStream("/reference/tmaze-ai-onpolicy/mdp.json")) {
            mdp = (ObjectNode) MAPPER.readTree(in);
        }
        mdp.remove("C");
        // c{1}: one column (repeated over T by the reader, as SPM repeats it); c{2}: one column per epoch
        mdp.set("c", MAPPER.valueToTree(List.of(new double[] {2, 1, 1, 1, 1}, new double[][] {
            {1, 1, 1}, {4, 4, 4}, {0, 0, 0}
        })));
        SpmImport imported = new SpmModelReader().read("[" + mdp + "," + mdp + "]", "c.json");
        GenerativeModel[] models = imported.models().toArray(GenerativeModel[]::new);
        TrialTrace[] traces = new TrialRunner(models[0], SolverOptions.spm())
                .runSequence(models, imported.fixtures().toArray(TrialFixture[]::new), new SplitMixSource(1));
        JsonNode out = SpmOutputWriter.write(traces);
        JsonNode c1 = out.get(0).get("c");
        assertEquals(2, c1.size(), "one array per modality");
        assertEquals(5, c1.get(0).size(), "c{1} is No x T: 5 rows");
        assertEquals(3, c1.get(0).get(0).size(), "of T = 3 columns");
        assertEquals(2, out.get(0).get("Fc").size(), "Fc is 1 x G");
        int o = traces[0].o[1][1]; // reward at t = 2 (fixed: none)
        double before = o == 2 ? 0 : (o == 1 ? 4 : 1);
        assertEquals(
                before == 0 ? 0 : before + 1,
                c1.get(1).get(o).get(1).asDouble(),
                0,
                "c{2}(o, 2) gained eta = 1 where > 0");
        // trial 2 starts from trial 1's c: its counts at the same entry gain again
        JsonNode c2 = out.get(1).get("c");
        int o2 = traces[1].o[1][1];
        assertEquals(
                c1.get(1).get(o2).get(1).asDouble() + (before == 0 ? 0 : 1),
                c2.get(1).get(o2).get(1).asDouble(),
                0);
        assertTrue(out.get(1).get("Fc").get(1).asDouble() < 0, "the learned counts moved away from the prior");
    }
}
