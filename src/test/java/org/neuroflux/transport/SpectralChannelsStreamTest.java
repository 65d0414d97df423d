package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.export.Recording;
import org.neuroflux.export.RecordingBuilder;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.pipeline.TestModels;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.spm.SpmImport;

/** The streamed tf, theta and phase channels against the offline export of the same trials. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpectralChannelsStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LoopbackServer server;
    private String ws;

    @BeforeEach
    void start() {
        server = LoopbackServer.start();
        ws = server.ws;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void streamedTimeFrequencyThetaAndPhaseEqualTheOfflineExportLaggedByHalfAWindow() throws Exception {
        SpmImport tmaze = TestModels.tmazeTwoTrials();
        GenerativeModel[] models = tmaze.models().toArray(GenerativeModel[]::new);
        TrialTrace[] offline = new TrialRunner(models[0], SolverOptions.spm())
                .runSequence(models, tmaze.fixtures().toArray(TrialFixture[]::new), new SplitMixSource(1));
        Recording recording = new RecordingBuilder(models[0], "active-inference")
                .signals(EnumSet.of(SignalKind.TF, SignalKind.THETA, SignalKind.PHASE))
                .build(offline);

        String model = JSON.readTree(getClass().getResourceAsStream("/reference/tmaze-ai-2trials/mdp.json"))
                .get(0)
                .toString();
        String id = server.createSession(
                "{\"model\":" + model + ",\"schemes\":[\"active-inference\"],\"source\":{\"type\":\"client\"},"
                        + "\"pacing\":{\"iterationMs\":\"max\"},\"seed\":1}");
        WsClient signals =
                WsClient.connect(ws + "/ws/sessions/" + id + "/signals?channels=tf,theta,phase&format=binary");
        JsonNode header = JSON.readTree(signals.nextText());
        List<String> labels = new ArrayList<>();
        for (JsonNode ch : header.get("channels")) labels.add(ch.get("label").asText());
        assertEquals(2 * 29 + 2 + 2, labels.size(), "29 frequencies per factor, theta and phase per factor");
        JsonNode first = header.get("channels").get(0);
        String factor = first.get("factor").asText(); // SPM's import names it "factor 1"
        assertEquals("tf/" + factor + "/4Hz", labels.get(0));
        assertEquals("tf/" + factor + "/32Hz", labels.get(28));
        assertEquals("theta/" + factor, labels.get(58));
        assertEquals(4.0, first.get("frequencyHz").asDouble());
        assertEquals("a.u./s", first.get("unit").asText());
        int latency = first.get("latencyFrames").asInt();
        assertEquals(8, latency, "half of the 16-sample (250 ms) window");
        int[] column = new int[labels.size()];
        for (int c = 0; c < labels.size(); c++) {
            column[c] = recording.indexOf(labels.get(c).replace(' ', '_')); // export's names replace blanks
            assertTrue(column[c] >= 0, "offline channel " + labels.get(c));
        }
        WsClient ingest = WsClient.connect(ws + "/ws/sessions/" + id + "/observations");
        for (TrialTrace tr : offline) {
            for (int t = 0; t < 3; t++) {
                ingest.send("{\"outcomes\":[" + (tr.o[0][t] + 1) + "," + (tr.o[1][t] + 1) + "]}");
                assertEquals("ack", JSON.readTree(ingest.nextText()).get("type").asText());
            }
        }
        int total = recording.sampleCount();
        int compared = 0;
        for (int n = 0; n < total; n++) {
            java.nio.ByteBuffer b = ((java.nio.ByteBuffer) signals.next()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals(n, b.getLong(16));
            for (int c = 0; c < labels.size(); c++) {
                double streamed = b.getDouble(64 + 8 * c);
                if (n < latency) {
                    assertTrue(Double.isNaN(streamed), "no value before the transform has its window");
                    continue;
                }
                double expected = recording.value(column[c], n - latency);
                double tolerance = labels.get(c).startsWith("phase") ? 1e-9 : 1e-9 * Math.max(1, Math.abs(expected));
                assertEquals(expected, streamed, tolerance, labels.get(c) + " at sample " + (n - latency));
                compared++;
            }
        }
        assertEquals((total - latency) * labels.size(), compared);
        ingest.close();
        signals.close();
    }

    @Test
    void continuousSessionsAnalyseAtTheirOwnRate() throws Exception {
        String id = server.createSession(
                "{\"model\":\"tmaze\",\"continuous\":{\"sampleRateHz\":256},\"pacing\":{\"iterationMs\":\"max\"},\"seed\":2}");
        WsClient signals = WsClient.connect(ws + "/ws/sessions/" + id + "/signals?channels=tf,phase&factors=location");
        JsonNode header = JSON.readTree(signals.nextText());
        assertEquals(29 + 1, header.get("channelCount").asInt());
        assertEquals(32, header.get("channels").get(0).get("latencyFrames").asInt(), "a 64-sample window at 256 Hz");
        int finite = 0;
        for (int k = 0; k < 256; k++) {
            JsonNode data = JSON.readTree(signals.nextText()).get("data").get(0); // the one scheme
            if (!data.get(0).isNull()) {
                finite++;
                for (int q = 0; q < 29; q++) assertTrue(data.get(q).asDouble() >= 0, "magnitudes are non-negative");
                double phase = data.get(29).asDouble();
                assertTrue(phase > -Math.PI - 1e-12 && phase <= Math.PI + 1e-12, "phase in (-pi, pi]");
            }
        }
        assertEquals(256 - 32, finite, "values from the 33rd sample on");
        signals.close();
    }
}
