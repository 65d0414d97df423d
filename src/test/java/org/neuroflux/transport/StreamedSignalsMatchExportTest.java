package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

/**
 * The stream and the export compute rate, LFP, precision and dopamine with the same kernels: a live
 * session replaying the outcomes of an offline run streams the export's values (same names, units and
 * numbers to 1e-12). The one documented difference: dopamine at the last iteration of a non-final epoch
 * is one-sided in the stream, because the next epoch has not run yet.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamedSignalsMatchExportTest {
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
    void streamedRateLfpPrecisionAndDopamineEqualTheExportOfTheSameTrials() throws Exception {
        SpmImport tmaze = TestModels.tmazeTwoTrials();
        GenerativeModel[] models = tmaze.models().toArray(GenerativeModel[]::new);
        TrialTrace[] offline = new TrialRunner(models[0], SolverOptions.spm())
                .runSequence(models, tmaze.fixtures().toArray(TrialFixture[]::new), new SplitMixSource(1));
        Recording recording = new RecordingBuilder(models[0], "active-inference")
                .signals(EnumSet.of(SignalKind.RATE, SignalKind.LFP, SignalKind.PRECISION, SignalKind.DOPAMINE))
                .build(offline);

        String model = JSON.readTree(getClass().getResourceAsStream("/reference/tmaze-ai-2trials/mdp.json"))
                .get(0)
                .toString();
        String id = server.createSession(
                "{\"model\":" + model + ",\"schemes\":[\"active-inference\"],\"source\":{\"type\":\"client\"},"
                        + "\"pacing\":{\"iterationMs\":\"max\"},\"seed\":1}");
        WsClient signals = WsClient.connect(
                server.ws + "/ws/sessions/" + id + "/signals?channels=rate,lfp,precision,dopamine&format=binary");
        JsonNode header = JSON.readTree(signals.nextText());
        List<String> labels = new ArrayList<>();
        int[] column = new int[header.get("channelCount").asInt()];
        for (JsonNode ch : header.get("channels")) {
            String label = ch.get("label").asText();
            int c = recording.indexOf(label.replace(' ', '_')); // export's names replace blanks
            assertTrue(c >= 0, "offline channel " + label);
            SignalKind kind = recording.channel(c).kind();
            assertEquals(kind.label(), ch.get("type").asText(), label);
            assertEquals(kind.unit(), ch.get("unit").asText(), label + ": one unit per kind");
            column[labels.size()] = c;
            labels.add(label);
        }
        assertEquals(column.length, labels.size());
        assertTrue(labels.contains("dopamine") && labels.stream().anyMatch(l -> l.startsWith("lfp/")));

        WsClient ingest = WsClient.connect(server.ws + "/ws/sessions/" + id + "/observations");
        for (TrialTrace tr : offline) {
            for (int t = 0; t < tr.epochs; t++) {
                ingest.send("{\"outcomes\":[" + (tr.o[0][t] + 1) + "," + (tr.o[1][t] + 1) + "]}");
                assertEquals("ack", JSON.readTree(ingest.nextText()).get("type").asText());
            }
        }
        int ni = recording.timebase().samplesPerEpoch();
        int precision = recording.indexOf("precision");
        int epochEdges = 0;
        for (int n = 0; n < recording.sampleCount(); n++) {
            ByteBuffer b = ((ByteBuffer) signals.next()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(n, b.getLong(16));
            int k = recording.trialOf(n);
            boolean lastOfInnerEpoch = n % ni == ni - 1 && n + 1 < recording.trialStart(k) + recording.trialLength(k);
            for (int c = 0; c < labels.size(); c++) {
                double streamed = b.getDouble(64 + 8 * c);
                double expected = recording.value(column[c], n);
                if (labels.get(c).equals("dopamine") && lastOfInnerEpoch) {
                    double w = recording.value(precision, n);
                    expected = 8 * (w - recording.value(precision, n - 1)) + w / 8; // one-sided
                    epochEdges++;
                }
                assertEquals(expected, streamed, 1e-12, labels.get(c) + " at sample " + n);
            }
        }
        assertEquals(2 * 2, epochEdges, "two inner epoch ends in each of the two trials");
        ingest.close();
        signals.close();
    }
}
