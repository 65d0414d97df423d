package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.pipeline.ModelCatalog;
import org.neuroflux.random.SplitMixSource;

/**
 * A live session of the two-level example (config/models/oddball-sequence.yaml) streams both
 * timescales over a real WebSocket: in every higher epoch the lower level's whole trial first (level 2
 * frames, many per higher epoch), then the higher level's Ni iterations (level 1), on one clock, and
 * the values are the offline trace of the same seed (TrialRunner with its lower level) to 1e-12.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeepSessionStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NI = 16;

    @Test
    void bothLevelsStreamInTheOfflineOrderWithTheOfflineValues() throws Exception {
        GenerativeModel model = ModelCatalog.load(Path.of("config/models"))
                .entry("oddball-sequence")
                .model();
        GenerativeModel tones = model.subordinate().model();
        long seed = 7;
        TrialTrace[] offline = new TrialRunner(model, SolverOptions.spm())
                .runSequence(
                        new GenerativeModel[] {model, model},
                        new TrialFixture[] {free(model), free(model)},
                        new SplitMixSource(seed));
        try (LoopbackServer server = LoopbackServer.start()) {
            // one subscriber per session (a "max" session runs as soon as its first lossless subscriber joins),
            // two sessions of the same seed: one streams JSON, the other binary
            String body = "{\"model\":\"oddball-sequence\",\"schemes\":[\"active-inference\"],"
                    + "\"pacing\":{\"iterationMs\":\"max\"},\"seed\":" + seed + "}";
            String query = "/signals?channels=rate,precision&policy=lossless&buffer=64";
            WsClient json = WsClient.connect(server.ws + "/ws/sessions/" + server.createSession(body) + query);
            WsClient binary = WsClient.connect(
                    server.ws + "/ws/sessions/" + server.createSession(body) + query + "&format=binary");
            JsonNode header = JSON.readTree(json.nextText());
            JSON.readTree(binary.nextText());
            assertEquals(2, header.get("levels").size(), header.toString());
            int lowerStart = 2 * 3 + 1; // top: regime (2 states) x 3 time points, then precision
            int n2 = 0;
            for (int f = 0; f < tones.factorCount(); f++)
                n2 += tones.factors().get(f).stateCount() * tones.epochs();
            n2 += 1;
            assertEquals(lowerStart + n2, header.get("channelCount").asInt(), header.toString());
            JsonNode channels = header.get("channels");
            assertEquals(
                    "rate/regime/standards/t1", channels.get(0).get("label").asText());
            assertEquals(1, channels.get(0).get("level").asInt());
            assertEquals(
                    "level2/rate/run/standard/t1",
                    channels.get(lowerStart).get("label").asText());
            assertEquals("run", channels.get(lowerStart).get("factor").asText());
            assertEquals(2, channels.get(lowerStart).get("level").asInt());

            long seq = 0;
            int lowerFramesSeen = 0;
            for (int trial = 0; trial < 2; trial++) {
                TrialTrace tr = offline[trial];
                for (int t = 0; t < model.epochs(); t++) {
                    TrialTrace low = tr.lower[t];
                    int run = low.epochs;
                    for (int tau = 0; tau < run; tau++) {
                        for (int i = 0; i < NI; i++, seq++, lowerFramesSeen++) {
                            JsonNode frame = JSON.readTree(json.nextText());
                            String where = "trial " + trial + " epoch " + t + " lower epoch " + tau + " it " + i;
                            assertFrame(frame, seq, trial, tau, i, 2, where);
                            JsonNode data = frame.get("data").get(0);
                            for (int c = 0; c < lowerStart; c++)
                                assertTrue(data.get(c).isNull(), where);
                            int c = lowerStart;
                            for (int f = 0; f < tones.factorCount(); f++) {
                                int ns = tones.factors().get(f).stateCount();
                                for (int j = 0; j < tones.epochs(); j++) {
                                    for (int s = 0; s < ns; s++, c++) {
                                        if (j >= run) {
                                            assertTrue(data.get(c).isNull(), where);
                                            continue;
                                        }
                                        assertEquals(
                                                low.xn[f][i + NI * (s + ns * (j + run * tau))],
                                                data.get(c).asDouble(),
                                                1e-12,
                                                where);
                                    }
                                }
                            }
                            double w = low.policies > 1 ? low.wn[tau * NI + i] : low.w[tau];
                            assertEquals(w, data.get(c).asDouble(), 1e-12, where);
                            assertBinary(binary, seq, 2, frame);
                        }
                    }
                    for (int i = 0; i < NI; i++, seq++) {
                        JsonNode frame = JSON.readTree(json.nextText());
                        String where = "trial " + trial + " epoch " + t + " it " + i;
                        assertFrame(frame, seq, trial, t, i, 1, where);
                        JsonNode data = frame.get("data").get(0);
                        int c = 0;
                        for (int j = 0; j < model.epochs(); j++) {
                            for (int s = 0; s < 2; s++, c++) {
                                assertEquals(
                                        tr.xn[0][i + NI * (s + 2 * (j + model.epochs() * t))],
                                        data.get(c).asDouble(),
                                        1e-12,
                                        where);
                            }
                        }
                        for (int k = lowerStart; k < data.size(); k++)
                            assertTrue(data.get(k).isNull(), where);
                        assertBinary(binary, seq, 1, frame);
                    }
                }
            }
            assertTrue(lowerFramesSeen >= 2 * model.epochs() * NI, "several lower frames per higher epoch");
            json.close();
            binary.close();
        }
    }

    @Test
    void aSubscriberAsksForOneLevel() throws Exception {
        GenerativeModel model = ModelCatalog.load(Path.of("config/models"))
                .entry("oddball-sequence")
                .model();
        TrialTrace offline = new TrialRunner(model, SolverOptions.spm()).run(model, free(model), new SplitMixSource(5));
        try (LoopbackServer server = LoopbackServer.start()) {
            String body = "{\"model\":\"oddball-sequence\",\"schemes\":[\"ai\",\"ng\"],"
                    + "\"pacing\":{\"iterationMs\":\"max\"},\"seed\":5}";
            String query = "/signals?channels=rate&policy=lossless&levels=";
            String first = server.ws + "/ws/sessions/" + server.createSession(body) + query;
            assertEquals(400, WsClient.refusal(first + "3"), "a level the model does not have");
            WsClient top = WsClient.connect(first + "1");
            WsClient lower = WsClient.connect(server.ws + "/ws/sessions/" + server.createSession(body) + query + "2");
            JsonNode topHeader = JSON.readTree(top.nextText());
            JsonNode lowerHeader = JSON.readTree(lower.nextText());
            assertEquals(2 * 3, topHeader.get("channelCount").asInt(), topHeader.toString());
            assertEquals(2 * 4 + 4 * 4, lowerHeader.get("channelCount").asInt(), lowerHeader.toString());
            long seq = 0;
            for (int t = 0; t < model.epochs(); t++) {
                for (int i = 0; i < offline.lower[t].epochs * NI; i++, seq++) {
                    JsonNode f = JSON.readTree(lower.nextText());
                    assertEquals(seq, f.get("seq").asLong());
                    assertEquals(2, f.get("level").asInt());
                }
                for (int i = 0; i < NI; i++, seq++) {
                    JsonNode f = JSON.readTree(top.nextText());
                    assertEquals(seq, f.get("seq").asLong(), "the top level's frames only, on the shared clock");
                    assertEquals(1, f.get("level").asInt());
                    assertEquals(
                            offline.xn[0][i + NI * (2 * (model.epochs() * t))],
                            f.get("data").get(0).get(0).asDouble(),
                            1e-12);
                }
            }
            top.close();
            lower.close();
            String single = server.createSession("{\"model\":\"oddball\",\"pacing\":{\"iterationMs\":\"max\"}}");
            assertEquals(
                    400,
                    WsClient.refusal(server.ws + "/ws/sessions/" + single + "/signals?levels=2"),
                    "a single-level model has no level 2");
        }
    }

    @Test
    void schemesOfADeepSessionShareTheLongestLowerRunTheFirstAsOffline() throws Exception {
        GenerativeModel model = ModelCatalog.load(Path.of("config/models"))
                .entry("oddball-sequence")
                .model();
        TrialTrace ai = new TrialRunner(model, SolverOptions.spm()).run(model, free(model), new SplitMixSource(11));
        try (LoopbackServer server = LoopbackServer.start()) {
            String id = server.createSession("{\"model\":\"oddball-sequence\",\"schemes\":[\"ai\",\"ng\"],"
                    + "\"pacing\":{\"iterationMs\":\"max\"},\"seed\":11}");
            WsClient ws = WsClient.connect(
                    server.ws + "/ws/sessions/" + id + "/signals?channels=rate&policy=lossless&levels=2");
            JSON.readTree(ws.nextText());
            JsonNode next = JSON.readTree(ws.nextText());
            for (int t = 0; t < model.epochs(); t++) {
                TrialTrace low = ai.lower[t];
                int own = low.epochs * NI; // scheme 0 (active inference) runs as offline
                int frames = 0;
                long first = next.get("seq").asLong();
                while (next.get("seq").asLong() == first + frames) {
                    JsonNode ai0 = next.get("data").get(0);
                    if (frames < own) {
                        int i = frames % NI;
                        int tau = frames / NI;
                        assertEquals(
                                low.xn[0][i + NI * 2 * low.epochs * tau], // run (2 states), t1
                                ai0.get(0).asDouble(),
                                1e-12);
                    } else {
                        assertTrue(ai0.get(0).isNull(), "NaN past a scheme's own lower trial");
                    }
                    assertTrue(next.get("data").get(1).get(0).isNumber() || frames >= own, "natural gradient too");
                    frames++;
                    next = JSON.readTree(ws.nextText());
                }
                assertTrue(frames >= own && frames % NI == 0, "lower frames " + frames + " >= " + own);
            }
            ws.close();
        }
    }

    private static TrialFixture free(GenerativeModel m) {
        return TrialFixture.free(m.factorCount(), m.modalityCount(), m.epochs());
    }

    private static void assertFrame(JsonNode frame, long seq, int trial, int epoch, int it, int level, String where) {
        assertEquals(seq, frame.get("seq").asLong(), where);
        assertEquals(trial, frame.get("trial").asInt(), where);
        assertEquals(epoch, frame.get("epoch").asInt(), where);
        assertEquals(it, frame.get("iteration").asInt(), where);
        assertEquals(level, frame.get("level").asInt(), where);
        assertEquals(seq / 64.0, frame.get("t").asDouble(), 0, where);
    }

    /** The binary frame of the same iteration: level at offset 60, the same values (NaN for null). */
    private static void assertBinary(WsClient binary, long seq, int level, JsonNode frame) throws Exception {
        ByteBuffer b = ((ByteBuffer) binary.next()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(FrameCodec.VERSION, b.getShort(4));
        assertEquals(seq, b.getLong(16));
        assertEquals(level, b.getInt(60));
        JsonNode data = frame.get("data").get(0);
        assertEquals(data.size(), b.getInt(56));
        for (int c = 0; c < data.size(); c++) {
            double v = b.getDouble(64 + 8 * c);
            if (data.get(c).isNull()) assertTrue(Double.isNaN(v), "binary channel " + c);
            else assertEquals(data.get(c).asDouble(), v, 0, "binary channel " + c);
        }
    }
}
