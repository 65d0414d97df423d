package org.neuroflux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.neuroflux.config.NeurofluxConfig;

/** Live sessions run single-level models only so far: a deep model is refused with a message, not half-run. */
class DeepModelSessionRequestTest {
    @Test
    void aDeepModelIsRefusedForLiveSessionsWithAMessage() throws Exception {
        ModelCatalog catalog = ModelCatalog.load(Path.of("config/models"));
        assertTrue(
                catalog.entry("oddball-sequence").model().subordinate() != null, "the catalog lists the deep example");
        SessionRequests requests = new SessionRequests(catalog, NeurofluxConfig.defaults());
        BadRequestException e = assertThrows(
                BadRequestException.class,
                () -> requests.parse(new ObjectMapper().readTree("{\"model\":\"oddball-sequence\"}")));
        assertEquals(400, e.status());
        assertTrue(
                e.problems().get(0).contains("deep (hierarchical) model")
                        && e.problems().get(0).contains("offline"),
                e.problems().toString());
        assertEquals(
                "oddball",
                requests.parse(new ObjectMapper().readTree("{\"model\":\"oddball\"}"))
                        .modelName());
    }
}
