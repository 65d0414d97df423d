package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

/**
 * A live session on a model that learns b, d and e carries the learned counts from trial to trial:
 * outcomes ingested over a real WebSocket give, in the second trial, the offline trace of a run that
 * started it from the first trial's counts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LearningSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void secondTrialStartsFromTheCountsTheFirstLearned() throws Exception {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/reference/tmaze-ai-learn-2trials/mdp.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SpmImport imported = new SpmModelReader().read(text, "learn");
        GenerativeModel model = imported.models().get(0);
        GenerativeModel[] models = {model, model};
        TrialFixture[] fixtures = imported.fixtures().toArray(TrialFixture[]::new);
        TrialTrace[] offline =
                new TrialRunner(model, SolverOptions.spm()).runSequence(models, fixtures, new SplitMixSource(1));
        TrialTrace fresh = new TrialRunner(model, SolverOptions.spm()).run(model, fixtures[1], new SplitMixSource(1));
        int T = 3;
        int ni = 16;
        int[] ns = {4, 2};
        double change = 0;
        for (int i = 0; i < fresh.xn[1].length; i++)
            change = Math.max(change, Math.abs(fresh.xn[1][i] - offline[1].xn[1][i]));
        assertTrue(change > 1e-3, "the learned counts change trial 2 (by " + change + ")");

        try (LoopbackServer server = LoopbackServer.start()) {
            String inline = JSON.readTree(text).get(0).toString();
            String id = server.createSession(
                    "{\"model\":" + inline + ",\"schemes\":[\"active-inference\"],\"source\":{\"type\":\"client\"},"
                            + "\"pacing\":{\"iterationMs\":\"max\"},\"seed\":1}");
            WsClient signals = WsClient.connect(server.ws + "/ws/sessions/" + id + "/signals?channels=rate");
            JSON.readTree(signals.nextText()); // the stream's description
            WsClient ingest = WsClient.connect(server.ws + "/ws/sessions/" + id + "/observations");
            for (int trial = 0; trial < 2; trial++) {
                for (int t = 0; t < T; t++) {
                    ingest.send("{\"id\":" + (trial * T + t) + ",\"outcomes\":[" + (offline[trial].o[0][t] + 1) + ","
                            + (offline[trial].o[1][t] + 1) + "]}");
                    JsonNode ack = JSON.readTree(ingest.nextText());
                    assertEquals("ack", ack.get("type").asText(), ack.toString());
                }
            }
            for (int trial = 0; trial < 2; trial++) {
                TrialTrace tr = offline[trial];
                for (int t = 0; t < T; t++) {
                    for (int i = 0; i < ni; i++) {
                        JsonNode frame = JSON.readTree(signals.nextText());
                        assertEquals(trial, frame.get("trial").asInt());
                        JsonNode data = frame.get("data").get(0); // the one scheme
                        int c = 0;
                        for (int f = 0; f < 2; f++) {
                            for (int j = 0; j < T; j++) {
                                for (int s = 0; s < ns[f]; s++) {
                                    assertEquals(
                                            tr.xn[f][i + ni * (s + ns[f] * (j + T * t))],
                                            data.get(c++).asDouble(),
                                            1e-12,
                                            "rate trial " + trial + " epoch " + t + " iteration " + i);
                                }
                            }
                        }
                    }
                }
            }
            ingest.close();
            signals.close();
        }
    }
}
