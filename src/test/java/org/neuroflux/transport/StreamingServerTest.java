package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroflux.config.ConfigLoader;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.pipeline.TestModels;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;
import reactor.core.scheduler.Schedulers;

/** A real server on 127.0.0.1, port 0, and real WebSocket clients; every test bounded in time. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamingServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cret";
    private NeurofluxServer server;
    private String http;
    private String ws;

    @BeforeEach
    void start() {
        Map<String, String> env = new HashMap<>();
        env.put("NEUROFLUX_HOST", "127.0.0.1");
        env.put("NEUROFLUX_PORT", "0");
        env.put("NEUROFLUX_TOKEN", TOKEN);
        env.put("NEUROFLUX_ALLOWED_ORIGINS", "http://good.example");
        env.put("NEUROFLUX_LIMITS_MAX_MESSAGE_BYTES", "1024");
        env.put("NEUROFLUX_SERVER_SHUTDOWN_GRACE_MS", "2000");
        server = NeurofluxServer.start(ConfigLoader.load(null, env), Schedulers.parallel());
        http = "http://127.0.0.1:" + server.port();
        ws = "ws://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return WsClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String createSession(String body) throws Exception {
        HttpResponse<String> r = send("POST", "/api/sessions", body, "Authorization", "Bearer " + TOKEN);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private JsonNode counters(String id) throws Exception {
        return JSON.readTree(send("GET", "/api/sessions/" + id, null).body()).get("counters");
    }

    @Test
    void demoSessionStreamsBothSchemesInOrderWithBeliefsOnTheSimplex() throws Exception {
        long t0 = System.nanoTime();
        WsClient c = WsClient.connect(ws + "/ws/sessions/" + server.demoSessionId() + "/signals?channels=rate,policy");
        JsonNode header = JSON.readTree(c.nextText());
        assertEquals("header", header.get("type").asText());
        assertEquals(64.0, header.get("nominalRateHz").asDouble(), 1e-9);
        assertEquals(2, header.get("schemes").size());
        List<String> labels = new ArrayList<>();
        header.get("channels").forEach(ch -> labels.add(ch.get("label").asText()));
        assertEquals(3 * (4 + 2) + 5, labels.size());
        assertEquals("rate/location/centre/t1", labels.get(0));
        JsonNode first = JSON.readTree(c.nextText());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "first frame within a second");
        long lastSeq = -1;
        JsonNode f = first;
        for (int k = 0; k < 48; k++, f = JSON.readTree(c.nextText())) {
            long seq = f.get("seq").asLong();
            if (lastSeq >= 0) assertEquals(lastSeq + 1, seq, "in order, one message per iteration");
            lastSeq = seq;
            assertEquals(0, f.get("dropped").asLong());
            assertEquals(seq / 64.0, f.get("t").asDouble(), 1e-12);
            assertEquals(2, f.get("data").size(), "both schemes side by side in one message");
            for (JsonNode data : f.get("data")) {
                assertEquals(labels.size(), data.size());
                for (int block = 0; block < 6; block++) { // 3 time points of location (4 states), then of context (2)
                    int start = block < 3 ? block * 4 : 12 + (block - 3) * 2;
                    int n = block < 3 ? 4 : 2;
                    double sum = 0;
                    for (int s = 0; s < n; s++) {
                        double v = data.get(start + s).asDouble();
                        assertTrue(v >= 0 && v <= 1, "rate in [0, 1]");
                        sum += v;
                    }
                    assertEquals(1, sum, 1e-9, "beliefs on the simplex");
                }
                double policies = 0;
                for (int p = 18; p < 23; p++) policies += data.get(p).asDouble();
                assertEquals(1, policies, 1e-9);
            }
        }
        c.close();
    }

    @Test
    void binaryFramesCarryTheDocumentedHeader() throws Exception {
        WsClient c = WsClient.connect(ws + "/ws/sessions/" + server.demoSessionId()
                + "/signals?format=binary&channels=precision,dopamine&decimate=4");
        JsonNode header = JSON.readTree(c.nextText());
        assertEquals("binary", header.get("format").asText());
        assertEquals(16.0, header.get("nominalRateHz").asDouble(), 1e-9);
        for (int k = 0; k < 8; k++) {
            ByteBuffer b = ((ByteBuffer) c.next()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(FrameCodec.MAGIC, b.getInt(0));
            assertEquals(2, b.getShort(4), "layout version 2");
            assertEquals(2, header.get("binaryVersion").asInt(), "the header names the layout version");
            assertEquals(2, b.getShort(6), "both schemes in one message");
            assertEquals(Long.parseUnsignedLong(header.get("sessionKey").asText()), b.getLong(8));
            long seq = b.getLong(16);
            assertEquals(0, seq % 4, "decimated by 4");
            assertEquals(seq % 16, b.getShort(30));
            assertEquals(seq / 64.0, b.getDouble(32), 1e-12);
            assertEquals(2, b.getInt(56));
            assertEquals(64 + 2 * 16, b.remaining(), "2 schemes x 2 channels");
            assertTrue(b.getDouble(64) > 0, "precision of scheme 0");
            assertTrue(b.getDouble(64 + 16) > 0, "precision of scheme 1");
        }
        c.close();
    }

    @Test
    void ingestedOutcomesReproduceTheOfflineTrace() throws Exception {
        SpmImport tmaze = TestModels.tmazeTwoTrials();
        TrialTrace[] offline = new TrialRunner(tmaze.models().get(0), SolverOptions.spm())
                .runSequence(
                        tmaze.models().toArray(GenerativeModel[]::new),
                        tmaze.fixtures().toArray(TrialFixture[]::new),
                        new SplitMixSource(1));
        String model = JSON.readTree(getClass().getResourceAsStream("/reference/tmaze-ai-2trials/mdp.json"))
                .get(0)
                .toString();
        String id = createSession(
                "{\"model\":" + model + ",\"schemes\":[\"active-inference\"],\"source\":{\"type\":\"client\"},"
                        + "\"pacing\":{\"iterationMs\":\"max\"},\"seed\":1}");
        assertEquals(
                401,
                WsClient.refusal(ws + "/ws/sessions/" + id + "/signals"),
                "lossless (the max default) needs the token");
        WsClient signals = WsClient.connect(
                ws + "/ws/sessions/" + id + "/signals?channels=rate,policy,precision",
                "Authorization",
                "Bearer " + TOKEN);
        assertEquals(
                "lossless",
                JSON.readTree(signals.nextText()).get("policy").asText(),
                "max sessions default to lossless");
        WsClient ingest =
                WsClient.connect(ws + "/ws/sessions/" + id + "/observations", "Authorization", "Bearer " + TOKEN);
        int T = 3;
        int ni = 16;
        for (int trial = 0; trial < 2; trial++) {
            for (int t = 0; t < T; t++) {
                int o1 = offline[trial].o[0][t] + 1;
                int o2 = offline[trial].o[1][t] + 1;
                ingest.send("{\"id\":" + (trial * T + t) + ",\"outcomes\":[" + o1 + "," + o2 + "]}");
                JsonNode ack = JSON.readTree(ingest.nextText());
                assertEquals("ack", ack.get("type").asText(), ack.toString());
                assertEquals(trial, ack.get("trial").asInt());
                assertEquals(t, ack.get("epoch").asInt());
                assertEquals(trial * T + t, ack.get("id").asInt());
            }
        }
        int[] ns = {4, 2};
        for (int trial = 0; trial < 2; trial++) {
            TrialTrace tr = offline[trial];
            for (int t = 0; t < T; t++) {
                for (int i = 0; i < ni; i++) {
                    JsonNode f = JSON.readTree(signals.nextText());
                    assertEquals(trial, f.get("trial").asInt());
                    assertEquals(t, f.get("epoch").asInt());
                    assertEquals(i, f.get("iteration").asInt());
                    JsonNode data = f.get("data").get(0);
                    int c = 0;
                    for (int fac = 0; fac < 2; fac++) {
                        for (int j = 0; j < T; j++) {
                            for (int s = 0; s < ns[fac]; s++) {
                                double expected = tr.xn[fac][i + ni * (s + ns[fac] * (j + T * t))];
                                assertEquals(
                                        expected,
                                        data.get(c++).asDouble(),
                                        1e-12,
                                        "rate trial " + trial + " epoch " + t + " it " + i);
                            }
                        }
                    }
                    for (int k = 0; k < 5; k++)
                        assertEquals(tr.un[k + 5 * (t * ni + i)], data.get(c++).asDouble(), 1e-12, "policy");
                    assertEquals(tr.wn[t * ni + i], data.get(c).asDouble(), 1e-12, "precision");
                }
            }
        }
        ingest.close();
        signals.close();
    }

    @Test
    void badIngestMessagesAreAnsweredWhileOtherSessionsKeepStreaming() throws Exception {
        String id = createSession("{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"}}");
        long before = counters(server.demoSessionId()).get("framesEmitted").asLong();
        WsClient ingest = WsClient.connect(ws + "/ws/sessions/" + id + "/observations?access_token=" + TOKEN);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"outcomes\": [1, 2", "malformed JSON");
        cases.put("{\"outcomes\": [1]}", "wrong modality count: expected 2, got 1");
        cases.put("{\"outcomes\": [1, 4]}", "out of range 1..3");
        cases.put("{\"outcomes\": [0, 1]}", "out of range 1..5");
        cases.put("{\"outcomes\": [NaN, 1]}", "malformed JSON");
        cases.put("{\"probabilities\": [[1,0,0,0,0],[0.5,-0.5,1]]}", "must be finite and >= 0");
        cases.put("{\"values\": [1.0, 2.0]}", "values need a mapping");
        cases.put("{\"outcomes\": [\"centre\", \"jackpot\"]}", "'jackpot' is not an outcome");
        cases.put("{\"outcomes\": [1, 1], \"pad\": \"" + "x".repeat(2000) + "\"}", "message too large");
        cases.put("[1, 2]", "must be a JSON object");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            ingest.send(e.getKey());
            JsonNode reply = JSON.readTree(ingest.nextText());
            assertEquals("error", reply.get("type").asText(), e.getKey());
            assertTrue(
                    reply.get("reason").asText().contains(e.getValue()),
                    reply.get("reason").asText() + " should say " + e.getValue());
        }
        ingest.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertTrue(JSON.readTree(ingest.nextText()).get("reason").asText().contains("binary"));
        ingest.send("{\"outcomes\": [\"centre\", \"none\"]}");
        JsonNode ack = JSON.readTree(ingest.nextText());
        assertEquals("ack", ack.get("type").asText(), ack.toString());
        assertEquals(0, ack.get("epoch").asInt());
        ingest.send("{\"probabilities\": [[0,0,0,0.5,0.5],[1,0,0]]}");
        assertEquals(1, JSON.readTree(ingest.nextText()).get("epoch").asInt());
        assertEquals(11, counters(id).get("ingestRejected").asLong());
        Thread.sleep(300);
        assertTrue(
                counters(server.demoSessionId()).get("framesEmitted").asLong() > before,
                "the demo session kept streaming");
        ingest.close();
    }

    @Test
    void requestsAreRefusedBeforeTheUpgrade() throws Exception {
        String demo = server.demoSessionId();
        String client = createSession("{\"source\":{\"type\":\"client\"}}");
        assertEquals(404, WsClient.refusal(ws + "/ws/sessions/0000000000000000/signals"));
        assertEquals(404, WsClient.refusal(ws + "/ws/sessions/nope/observations"));
        assertEquals(400, WsClient.refusal(ws + "/ws/sessions/" + demo + "/signals?channels=heartbeat"));
        assertEquals(
                400,
                WsClient.refusal(ws + "/ws/sessions/" + demo + "/signals?channels=spikes"),
                "an export-only kind is no channel");
        assertEquals(400, WsClient.refusal(ws + "/ws/sessions/" + demo + "/signals?decimate=0"));
        assertEquals(400, WsClient.refusal(ws + "/ws/sessions/" + demo + "/signals?format=xml"));
        assertEquals(403, WsClient.refusal(ws + "/ws/sessions/" + demo + "/signals", "Origin", "http://evil.example"));
        assertEquals(101, WsClient.refusal(ws + "/ws/sessions/" + demo + "/signals", "Origin", "http://good.example"));
        assertEquals(401, WsClient.refusal(ws + "/ws/sessions/" + demo + "/signals?policy=lossless"));
        assertEquals(
                403,
                WsClient.refusal(
                        ws + "/ws/sessions/" + demo + "/signals?policy=lossless", "Authorization", "Bearer wrong"));
        assertEquals(
                101, WsClient.refusal(ws + "/ws/sessions/" + demo + "/signals?policy=lossless&access_token=" + TOKEN));
        assertEquals(401, WsClient.refusal(ws + "/ws/sessions/" + client + "/observations"));
        assertEquals(
                403,
                WsClient.refusal(ws + "/ws/sessions/" + client + "/observations", "Authorization", "Bearer wrong"));
        assertEquals(
                400,
                WsClient.refusal(ws + "/ws/sessions/" + demo + "/observations", "Authorization", "Bearer " + TOKEN));
        assertEquals(401, send("POST", "/api/sessions", "{}").statusCode());
        assertEquals(
                403,
                send("POST", "/api/sessions", "{}", "Authorization", "Bearer nope")
                        .statusCode());
        assertEquals(401, send("DELETE", "/api/sessions/" + client, null).statusCode());
    }

    @Test
    void slowSubscriberLosesCountedFramesWhileFastOneOnTheSameSessionLosesNone() throws Exception {
        String id = createSession("{\"pacing\":{\"iterationMs\":0.5}}");
        // a roomy buffer: the test client itself may be starved of CPU
        WsClient fast = WsClient.connect(ws + "/ws/sessions/" + id + "/signals?channels=precision&buffer=4096");
        WsClient slow = WsClient.connect(ws + "/ws/sessions/" + id + "/signals?channels=all&buffer=4", true);
        JSON.readTree(fast.nextText());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (counters(id).get("framesDropped").asLong() == 0 && System.nanoTime() < deadline) Thread.sleep(100);
        long dropped = counters(id).get("framesDropped").asLong();
        assertTrue(dropped > 0, "the slow subscriber lost frames");
        long last = -1;
        int frames = 0;
        while (!fast.messages.isEmpty() || frames < 100) {
            JsonNode f = JSON.readTree(fast.nextText());
            frames++;
            assertEquals(0, f.get("dropped").asLong(), "the fast subscriber lost nothing");
            if (last >= 0) assertEquals(last + 1, f.get("seq").asLong(), "no gaps for the fast subscriber");
            last = f.get("seq").asLong();
        }
        assertEquals(1, slow.messages.size(), "the slow client read only the header");
        slow.close();
        fast.close();
    }

    @Test
    void stalledLosslessReaderIsClosedAfterTheBudgetWhileAnotherOnTheSameSessionMissesNothing() throws Exception {
        // a fast real-time session (500 frames/s): the stalled reader's socket buffers fill within seconds,
        // and the other reader keeps up easily even on a busy machine
        String id = createSession("{\"pacing\":{\"iterationMs\":2}}");
        String auth = "&access_token=" + TOKEN;
        WsClient reader = WsClient.connect(
                ws + "/ws/sessions/" + id + "/signals?channels=precision&policy=lossless&buffer=4096" + auth);
        JSON.readTree(reader.nextText());
        WsClient stalled = WsClient.connect(
                ws + "/ws/sessions/" + id + "/signals?channels=all&format=json&policy=lossless&buffer=8" + auth, true);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((counters(id).get("subscribersStalled").asLong() == 0
                        || counters(id).get("subscribers").asLong() > 1)
                && System.nanoTime() < deadline) Thread.sleep(50);
        JsonNode c = counters(id);
        assertEquals(1, c.get("subscribersStalled").asLong(), "the stalled reader was closed");
        assertTrue(c.get("ticksStalled").asLong() > 0, "it held the session first");
        assertEquals(1, c.get("subscribers").asLong());
        assertTrue(
                new ScrapeText(send("GET", "/metrics", null).body()).sum("neuroflux_subscribers_stalled_total") >= 1,
                "counted in /metrics");
        stalled.resume();
        assertEquals(SignalSocket.CLOSE_POLICY, stalled.closed.get(20, TimeUnit.SECONDS), "closed with 1008");
        long emittedAtClose = c.get("framesEmitted").asLong();
        long last = -1;
        while (last < emittedAtClose + 200) {
            JsonNode f = JSON.readTree(reader.nextText());
            assertEquals(0, f.get("dropped").asLong());
            if (last >= 0) assertEquals(last + 1, f.get("seq").asLong(), "the other subscriber missed nothing");
            last = f.get("seq").asLong();
        }
        reader.close();
    }

    @Test
    void sessionsApiCreatesListsDescribesAndDeletes() throws Exception {
        JsonNode models = JSON.readTree(send("GET", "/api/models", null).body()).get("models");
        JsonNode tmaze = null;
        for (JsonNode m : models) if (m.get("name").asText().equals("tmaze")) tmaze = m;
        assertEquals(5, tmaze.get("policies").asInt());
        assertEquals(3, tmaze.get("T").asInt());
        assertEquals("location", tmaze.get("factors").get(0).get("name").asText());
        HttpResponse<String> cont = send(
                "POST", "/api/sessions", "{\"continuous\":{\"sampleRateHz\":0}}", "Authorization", "Bearer " + TOKEN);
        assertEquals(400, cont.statusCode());
        assertTrue(cont.body().contains("continuous.sampleRateHz"), cont.body());
        String id = createSession("{\"model\":\"tmaze\"}");
        assertTrue(send("GET", "/api/sessions", null).body().contains(id));
        JsonNode one = JSON.readTree(send("GET", "/api/sessions/" + id, null).body());
        assertEquals("generative", one.get("source").asText());
        WsClient sub = WsClient.connect(ws + "/ws/sessions/" + id + "/signals");
        sub.nextText();
        assertEquals(
                204,
                send("DELETE", "/api/sessions/" + id, null, "Authorization", "Bearer " + TOKEN)
                        .statusCode());
        assertEquals(1000, sub.closed.get(10, TimeUnit.SECONDS));
        assertEquals(404, send("GET", "/api/sessions/" + id, null).statusCode());
        JsonNode health = JSON.readTree(send("GET", "/health", null).body());
        assertEquals("UP", health.get("status").asText());
    }

    @Test
    void generativeSessionsOfOneModelStepInTheDemosCohortOthersAlone() throws Exception {
        String first = createSession("{\"model\":\"tmaze\"}");
        String second = createSession("{\"model\":\"tmaze\",\"seed\":9}");
        String client = createSession("{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"}}");
        for (String id : new String[] {first, second})
            assertTrue(
                    JSON.readTree(send("GET", "/api/sessions/" + id, null).body())
                            .get("batched")
                            .asBoolean(),
                    id);
        assertFalse(JSON.readTree(send("GET", "/api/sessions/" + client, null).body())
                .get("batched")
                .asBoolean());
        // the demo session (tmaze, both schemes) and the two new ones share one batch per scheme
        JsonNode batches = JSON.readTree(send("GET", "/health", null).body()).get("batches");
        assertEquals(1, batches.get("cohorts").asInt(), batches.toString());
        assertEquals(3, batches.get("sessions").asInt(), batches.toString());
        WsClient sub = WsClient.connect(ws + "/ws/sessions/" + second + "/signals");
        sub.nextText(); // header
        JsonNode frame = JSON.readTree(sub.nextText());
        assertEquals(2, frame.get("data").size(), "a batched session streams like any other: " + frame);
    }

    @Test
    void shutdownDrainsAndClosesSocketsWith1001() throws Exception {
        WsClient c = WsClient.connect(ws + "/ws/sessions/" + server.demoSessionId() + "/signals");
        c.nextText();
        c.nextText();
        server.stop();
        assertEquals(1001, c.closed.get(10, TimeUnit.SECONDS));
    }
}
