package org.neuroflux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.neuroflux.config.NeurofluxConfig;

/**
 * A two-level model runs live with the generative source in discrete time; a client or replay source
 * and continuous time are refused for it with a message naming the field, not half-run.
 */
class DeepModelSessionRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDeepModelRunsLiveWithTheGenerativeSource() throws Exception {
        ModelCatalog catalog = ModelCatalog.load(Path.of("config/models"));
        assertNotNull(catalog.entry("oddball-sequence").model().subordinate(), "the catalog lists the deep example");
        SessionRequests requests = new SessionRequests(catalog, NeurofluxConfig.defaults());
        SessionSpec spec = requests.parse(JSON.readTree("{\"model\":\"oddball-sequence\"}"));
        assertEquals("oddball-sequence", spec.modelName());
        assertEquals(SourceType.GENERATIVE, spec.source());
    }

    @Test
    void aClientSourceOrContinuousTimeIsRefusedForADeepModel() throws Exception {
        SessionRequests requests =
                new SessionRequests(ModelCatalog.load(Path.of("config/models")), NeurofluxConfig.defaults());
        BadRequestException client = assertThrows(
                BadRequestException.class,
                () -> requests.parse(
                        JSON.readTree("{\"model\":\"oddball-sequence\",\"source\":{\"type\":\"client\"}}")));
        assertEquals(400, client.status());
        assertTrue(
                client.problems().get(0).startsWith("source.type: is client")
                        && client.problems().get(0).contains("generative source only"),
                client.problems().toString());
        BadRequestException continuous = assertThrows(
                BadRequestException.class,
                () -> requests.parse(JSON.readTree("{\"model\":\"oddball-sequence\",\"schemes\":[\"ai\"],"
                        + "\"continuous\":{\"sampleRateHz\":256}}")));
        assertTrue(
                continuous.problems().get(0).startsWith("continuous:"),
                continuous.problems().toString());
        assertEquals(
                "oddball",
                requests.parse(JSON.readTree("{\"model\":\"oddball\",\"source\":{\"type\":\"client\"}}"))
                        .modelName());
    }
}
