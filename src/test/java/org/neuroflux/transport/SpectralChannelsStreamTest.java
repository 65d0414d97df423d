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

/** Streamed channels against the offline export of the same trials: the same values, names and units. */
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
        TrialTrace[] offline = offlineTrials();
        Recording recording = export(offline, SignalKind.TF, SignalKind.THETA, SignalKind.PHASE);
        String id = replayingSession();
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
        WsClient ingest = replay(id, offline);
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

    /**
     * The stream and the export compute rate, LFP, precision and dopamine with the same kernels: the
     * stream's names, units and values (to 1e-12) are the export's. The one documented difference:
     * dopamine at the last iteration of a non-final epoch is one-sided in the stream, because the next
     * epoch has not run yet.
     */
    @Test
    void streamedRateLfpPrecisionAndDopamineEqualTheExportOfTheSameTrials() throws Exception {
        TrialTrace[] offline = offlineTrials();
        Recording recording =
                export(offline, SignalKind.RATE, SignalKind.LFP, SignalKind.PRECISION, SignalKind.DOPAMINE);
        String id = replayingSession();
        WsClient signals = WsClient.connect(
                ws + "/ws/sessions/" + id + "/signals?channels=rate,lfp,precision,dopamine&format=binary");
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

        WsClient ingest = replay(id, offline);
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

    /** The reference T-maze's two trials, run offline (seed 1). */
    private static TrialTrace[] offlineTrials() {
        SpmImport tmaze = TestModels.tmazeTwoTrials();
        GenerativeModel[] models = tmaze.models().toArray(GenerativeModel[]::new);
        return new TrialRunner(models[0], SolverOptions.spm())
                .runSequence(models, tmaze.fixtures().toArray(TrialFixture[]::new), new SplitMixSource(1));
    }

    private static Recording export(TrialTrace[] trials, SignalKind first, SignalKind... rest) {
        return new RecordingBuilder(TestModels.tmazeTwoTrials().models().get(0), "active-inference")
                .signals(EnumSet.of(first, rest))
                .build(trials);
    }

    /** A "max" session of the same model whose outcomes a client supplies. */
    private String replayingSession() throws Exception {
        String model = JSON.readTree(getClass().getResourceAsStream("/reference/tmaze-ai-2trials/mdp.json"))
                .get(0)
                .toString();
        return server.createSession(
                "{\"model\":" + model + ",\"schemes\":[\"active-inference\"],\"source\":{\"type\":\"client\"},"
                        + "\"pacing\":{\"iterationMs\":\"max\"},\"seed\":1}");
    }

    /** Supplies the offline trials' outcomes to the session, epoch by epoch; returns the open ingest socket. */
    private WsClient replay(String id, TrialTrace[] trials) throws Exception {
        WsClient ingest = WsClient.connect(ws + "/ws/sessions/" + id + "/observations");
        for (TrialTrace tr : trials) {
            for (int t = 0; t < tr.epochs; t++) {
                ingest.send("{\"outcomes\":[" + (tr.o[0][t] + 1) + "," + (tr.o[1][t] + 1) + "]}");
                assertEquals("ack", JSON.readTree(ingest.nextText()).get("type").asText());
            }
        }
        return ingest;
    }
}
