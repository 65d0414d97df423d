package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroflux.dynamics.Scheme;

/**
 * Every scheme the server knows is listed by /api/models and runs side by side in one session on
 * the same outcomes, each with its information length in both conventions, and its meters tagged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreeSchemeSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LoopbackServer server;

    @BeforeEach
    void start() {
        server = LoopbackServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void allSchemesRunSideBySideOnTheSameOutcomes() throws Exception {
        JsonNode listed = JSON.readTree(server.get("/api/models").body()).get("schemes");
        List<String> names = new ArrayList<>();
        listed.forEach(s -> names.add(s.get("name").asText()));
        assertEquals(java.util.Arrays.stream(Scheme.values()).map(Scheme::label).toList(), names);

        String id = server.createSession("{\"model\":\"tmaze\",\"schemes\":" + JSON.writeValueAsString(names)
                + ",\"pacing\":{\"iterationMs\":\"max\"},\"seed\":3}");
        WsClient signals = WsClient.connect(server.ws + "/ws/sessions/" + id
                + "/signals?channels=outcome,infolength,infolength-whole-path&format=json&policy=lossless");
        JsonNode header = JSON.readTree(signals.nextText());
        assertEquals(names.size(), header.get("schemes").size());
        List<Integer> outcome = new ArrayList<>();
        List<Integer> stored = new ArrayList<>();
        List<Integer> wholePath = new ArrayList<>();
        for (int c = 0; c < header.get("channels").size(); c++) {
            String type = header.get("channels").get(c).get("type").asText();
            (type.equals("outcome") ? outcome : type.equals("infolength") ? stored : wholePath).add(c);
        }
        assertEquals(2, stored.size());
        assertEquals(2, wholePath.size());
        // one frame per iteration carries every scheme: data[e] is scheme e of the header's list
        for (int e = 0; e < names.size(); e++)
            assertEquals(names.get(e), header.get("schemes").get(e).get("name").asText());
        List<JsonNode> frames = new ArrayList<>();
        while (frames.size() < 16 * 3)
            frames.add(JSON.readTree(signals.nextText()).get("data")); // three epochs
        signals.close();
        for (JsonNode data : frames) {
            assertEquals(names.size(), data.size(), "every scheme in every frame");
            for (int e = 0; e < names.size(); e++) {
                for (int c : outcome)
                    assertEquals(
                            data.get(0).get(c).asDouble(),
                            data.get(e).get(c).asDouble(),
                            0,
                            "same outcomes: " + names.get(e));
            }
        }
        for (int e = 0; e < names.size(); e++) {
            JsonNode last = frames.get(47).get(e);
            double length = 0;
            double whole = 0;
            for (int c : stored) length += last.get(c).asDouble();
            for (int c : wholePath) whole += last.get(c).asDouble();
            assertTrue(
                    whole > length && length > 0,
                    names.get(e) + ": whole path " + whole + " beyond the stored " + length);
        }
        String metrics = server.get("/metrics").body();
        assertTrue(
                metrics.contains("neuroflux_information_length_whole_path_total{")
                        && metrics.contains("scheme=\"euclidean\""),
                "euclidean meters and the whole-path counter are exported");
    }
}
