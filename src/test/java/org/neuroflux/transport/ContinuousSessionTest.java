package org.neuroflux.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.neuroflux.dynamics.IntegrationMode;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.pipeline.TestModels;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;

/** Continuous-time sessions over real sockets: sampled from the ODE flow, paced per sample, equal to the offline run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContinuousSessionTest {
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
    void samplesAt256HzEqualAnOfflineContinuousRunOfTheSameOutcomes() throws Exception {
        // offline: the same flow sampled 64 times per 250 ms epoch (Ni' = 64, tau' = 4 tau), adaptive Dormand-Prince
        SpmImport tmaze = TestModels.tmazeTwoTrials();
        GenerativeModel[] models = tmaze.models().stream()
                .map(m -> m.withParameters(m.parameters().withTau(m.parameters().tau() * 4)))
                .toArray(GenerativeModel[]::new);
        SolverOptions options = SolverOptions.spm()
                .withIterations(64)
                .withIntegration(IntegrationMode.adaptive())
                .withSamplesPerIteration(4);
        TrialTrace[] offline = new TrialRunner(models[0], options)
                .runSequence(models, tmaze.fixtures().toArray(TrialFixture[]::new), new SplitMixSource(1));

        String model = JSON.readTree(getClass().getResourceAsStream("/reference/tmaze-ai-2trials/mdp.json"))
                .get(0)
                .toString();
        String id = server.createSession(
                "{\"model\":" + model + ",\"source\":{\"type\":\"client\"},\"pacing\":{\"iterationMs\":\"max\"},"
                        + "\"continuous\":{\"sampleRateHz\":256},\"seed\":1}");
        JsonNode described = JSON.readTree(server.get("/api/sessions/" + id).body());
        assertEquals(64, described.get("iterationsPerEpoch").asInt());
        assertEquals(256.0, described.get("continuous").get("sampleRateHz").asDouble());
        assertEquals(1, described.get("schemes").size(), "one flow: a continuous session defaults to one scheme");

        WsClient signals =
                WsClient.connect(ws + "/ws/sessions/" + id + "/signals?channels=rate,lfp,policy,precision,dopamine");
        JsonNode header = JSON.readTree(signals.nextText());
        assertEquals(1.0 / 256, header.get("timebase").get("iterationSeconds").asDouble());
        assertEquals(64, header.get("timebase").get("iterationsPerEpoch").asInt());
        assertEquals("adaptive", header.get("integration").get("method").asText());
        assertEquals(64, header.get("integration").get("samplesPerEpoch").asInt());
        WsClient ingest = WsClient.connect(ws + "/ws/sessions/" + id + "/observations");
        int T = 3;
        int ni = 64;
        for (int trial = 0; trial < 2; trial++) {
            for (int t = 0; t < T; t++) {
                ingest.send(
                        "{\"outcomes\":[" + (offline[trial].o[0][t] + 1) + "," + (offline[trial].o[1][t] + 1) + "]}");
                assertEquals("ack", JSON.readTree(ingest.nextText()).get("type").asText());
            }
        }
        int[] ns = {4, 2};
        int units = 3 * (4 + 2);
        double previousT = -1;
        for (int trial = 0; trial < 2; trial++) {
            TrialTrace tr = offline[trial];
            for (int t = 0; t < T; t++) {
                double[] rates = new double[ni * units];
                double[] lfps = new double[ni * units];
                for (int i = 0; i < ni; i++) {
                    JsonNode f = JSON.readTree(signals.nextText());
                    long seq = f.get("seq").asLong();
                    assertEquals((trial * T + t) * ni + i, seq);
                    assertEquals(seq / 256.0, f.get("t").asDouble(), 0, "model time n / 256 s");
                    if (previousT >= 0) assertEquals(1.0 / 256, f.get("t").asDouble() - previousT, 1e-12);
                    previousT = f.get("t").asDouble();
                    assertEquals(i, f.get("iteration").asInt());
                    JsonNode data = f.get("data").get(0); // the one scheme
                    int c = 0;
                    for (int fac = 0; fac < 2; fac++) {
                        for (int j = 0; j < T; j++) {
                            double sum = 0;
                            for (int s = 0; s < ns[fac]; s++) {
                                double v = data.get(c).asDouble();
                                rates[i * units + c] = v;
                                c++;
                                assertTrue(v >= 0 && v <= 1, "rate in [0, 1]");
                                sum += v;
                                double expected = tr.xn[fac][i + ni * (s + ns[fac] * (j + T * t))];
                                assertEquals(
                                        expected, v, 1e-12, "rate trial " + trial + " epoch " + t + " sample " + i);
                            }
                            assertEquals(1, sum, 1e-9, "beliefs on the simplex");
                        }
                    }
                    for (int u = 0; u < units; u++)
                        lfps[i * units + u] = data.get(units + u).asDouble();
                    c = 2 * units;
                    for (int k = 0; k < 5; k++)
                        assertEquals(tr.un[k + 5 * (t * ni + i)], data.get(c++).asDouble(), 1e-12, "policy");
                    assertEquals(tr.wn[t * ni + i], data.get(c).asDouble(), 1e-12, "precision");
                    // dopamine from the precision flow's derivative, not from differences between samples
                    assertEquals(tr.dn[t * ni + i], data.get(c + 1).asDouble(), 1e-12, "dopamine");
                }
                // lfp: MATLAB's gradient over the epoch's samples, per second (x 256 samples per second)
                for (int u = 0; u < units; u++) {
                    for (int i = 0; i < ni; i++) {
                        double g = i == 0
                                ? rates[units + u] - rates[u]
                                : i == ni - 1
                                        ? rates[i * units + u] - rates[(i - 1) * units + u]
                                        : (rates[(i + 1) * units + u] - rates[(i - 1) * units + u]) / 2;
                        assertEquals(256 * g, lfps[i * units + u], 1e-10, "lfp unit " + u + " sample " + i);
                    }
                }
            }
        }
        ingest.close();
        signals.close();
    }

    @Test
    void finerSamplingFollowsTheSameFlowBetweenTheCoarseSamples() {
        // the session's mapping (Ni' = 64, tau' = 4 tau) against the flow sampled at the 16 iterations (Ni = 16, tau)
        SpmImport tmaze = TestModels.tmazeTwoTrials();
        GenerativeModel[] coarseModels = tmaze.models().toArray(GenerativeModel[]::new);
        GenerativeModel[] fineModels = tmaze.models().stream()
                .map(m -> m.withParameters(m.parameters().withTau(m.parameters().tau() * 4)))
                .toArray(GenerativeModel[]::new);
        TrialFixture[] fixtures = tmaze.fixtures().toArray(TrialFixture[]::new);
        TrialTrace[] coarse = new TrialRunner(
                        coarseModels[0], SolverOptions.spm().withIntegration(IntegrationMode.adaptive()))
                .runSequence(coarseModels, fixtures, new SplitMixSource(1));
        TrialTrace[] fine = new TrialRunner(
                        fineModels[0],
                        SolverOptions.spm()
                                .withIterations(64)
                                .withIntegration(IntegrationMode.adaptive())
                                .withSamplesPerIteration(4))
                .runSequence(fineModels, fixtures, new SplitMixSource(1));
        int[] ns = {4, 2};
        int T = 3;
        int between = 0;
        int held = 0;
        for (int trial = 0; trial < 2; trial++) {
            for (int t = 0; t < T; t++) {
                for (int f = 0; f < 2; f++) {
                    for (int j = 0; j < T; j++) {
                        for (int s = 0; s < ns[f]; s++) {
                            for (int i = 0; i < 16; i++) {
                                double c = coarse[trial].xn[f][i + 16 * (s + ns[f] * (j + T * t))];
                                // sample 4i + 3 ends the same 1/64 s as iteration i: the same flows of beliefs and
                                // precision, so the same point within the adaptive tolerance
                                assertEquals(c, fine[trial].xn[f][4 * i + 3 + 64 * (s + ns[f] * (j + T * t))], 1e-6);
                                if (i == 0) continue;
                                double before = coarse[trial].xn[f][i - 1 + 16 * (s + ns[f] * (j + T * t))];
                                if (Math.abs(c - before) < 1e-3) continue;
                                double mid = fine[trial].xn[f][4 * i + 1 + 64 * (s + ns[f] * (j + T * t))];
                                between++;
                                if (Math.abs(mid - before) < 1e-9 || Math.abs(mid - c) < 1e-9) held++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(between > 20, "the flow moves between coarse samples: " + between);
        assertEquals(0, held, "samples between the coarse ones come from the ODE solution, never held");
    }

    /** Precision and dopamine of a paced-at-max client session at a sampling rate, frame by frame. */
    private double[][] precisionAndDopamine(String model, TrialTrace[] outcomesOf, double rateHz, int samples)
            throws Exception {
        String id = server.createSession(
                "{\"model\":" + model + ",\"source\":{\"type\":\"client\"},\"pacing\":{\"iterationMs\":\"max\"},"
                        + "\"continuous\":{\"sampleRateHz\":" + rateHz + "},\"seed\":1}");
        WsClient signals = WsClient.connect(ws + "/ws/sessions/" + id + "/signals?channels=precision,dopamine");
        JSON.readTree(signals.nextText()); // header
        WsClient ingest = WsClient.connect(ws + "/ws/sessions/" + id + "/observations");
        int T = 3;
        for (TrialTrace trial : outcomesOf) {
            for (int t = 0; t < T; t++) {
                ingest.send("{\"outcomes\":[" + (trial.o[0][t] + 1) + "," + (trial.o[1][t] + 1) + "]}");
                assertEquals("ack", JSON.readTree(ingest.nextText()).get("type").asText());
            }
        }
        int frames = outcomesOf.length * T * samples;
        double[][] out = new double[2][frames];
        for (int n = 0; n < frames; n++) {
            JsonNode f = JSON.readTree(signals.nextText());
            assertEquals(n, f.get("seq").asLong());
            JsonNode data = f.get("data").get(0);
            out[0][n] = data.get(0).asDouble();
            out[1][n] = data.get(1).asDouble();
        }
        ingest.close();
        signals.close();
        return out;
    }

    @Test
    void precisionAndDopamineAt256And1024HzAreOneFunctionOfModelTime() throws Exception {
        // the same outcomes into two sessions sampling the flow at 256 Hz (64 samples per 250 ms epoch) and
        // 1024 Hz (256 samples); sample i of the first is at the model time of sample 4i + 3 of the second
        SpmImport tmaze = TestModels.tmazeTwoTrials();
        TrialTrace[] outcomes = new TrialRunner(tmaze.models().get(0), SolverOptions.spm())
                .runSequence(
                        tmaze.models().toArray(GenerativeModel[]::new),
                        tmaze.fixtures().toArray(TrialFixture[]::new),
                        new SplitMixSource(1));
        String model = JSON.readTree(getClass().getResourceAsStream("/reference/tmaze-ai-2trials/mdp.json"))
                .get(0)
                .toString();
        double[][] slow = precisionAndDopamine(model, outcomes, 256, 64);
        double[][] fast = precisionAndDopamine(model, outcomes, 1024, 256);
        double precision = 0;
        double dopamine = 0;
        double phasic = 0;
        for (int n = 0; n < slow[0].length; n++) {
            precision = Math.max(precision, Math.abs(slow[0][n] - fast[0][4 * n + 3]));
            dopamine = Math.max(dopamine, Math.abs(slow[1][n] - fast[1][4 * n + 3]));
            phasic = Math.max(phasic, Math.abs(slow[1][n] - slow[0][n] / 8));
        }
        System.out.printf(
                "sessions at 256 and 1024 Hz (adaptive, atol 1e-8, rtol 1e-6): precision %.2e, dopamine %.2e apart, "
                        + "largest phasic dopamine %.3f%n",
                precision, dopamine, phasic);
        assertTrue(phasic > 0.05, "precision moves within epochs: largest phasic dopamine " + phasic);
        assertTrue(precision < 1e-7, "precision at common model times differs by " + precision);
        assertTrue(dopamine < 1e-6, "dopamine at common model times differs by " + dopamine);
    }

    @Test
    void realTimeContinuousSessionEmitsOneFrameEverySample() throws Exception {
        String id = server.createSession("{\"model\":\"tmaze\",\"continuous\":{\"sampleRateHz\":256},\"seed\":3}");
        WsClient signals = WsClient.connect(ws + "/ws/sessions/" + id + "/signals?channels=rate");
        JsonNode header = JSON.readTree(signals.nextText());
        assertEquals(256.0, header.get("nominalRateHz").asDouble(), 1e-9, "the nominal rate is the sampling rate");
        assertEquals(1000.0 / 256, header.get("pacing").asDouble(), 1e-12);
        assertEquals(1, header.get("schemes").size());
        long firstWall = 0;
        long firstSeq = 0;
        double previous = -1;
        for (int k = 0; k < 320; k++) {
            JsonNode f = JSON.readTree(signals.nextText());
            double t = f.get("t").asDouble();
            if (previous >= 0) assertEquals(1.0 / 256, t - previous, 1e-12, "consecutive samples");
            previous = t;
            if (k == 64) {
                firstWall = f.get("wallUs").asLong();
                firstSeq = f.get("seq").asLong();
            }
            if (k == 319) {
                double seconds = (f.get("wallUs").asLong() - firstWall) / 1e6;
                double expected = (f.get("seq").asLong() - firstSeq) / 256.0;
                assertTrue(
                        seconds > 0.75 * expected && seconds < 1.6 * expected,
                        "paced at 256 frames/s: " + (f.get("seq").asLong() - firstSeq) + " frames took " + seconds
                                + " s");
            }
        }
        signals.close();
    }

    @Test
    void continuousRequestsAreValidated() throws Exception {
        HttpResponse<String> both = server.postSession(
                "{\"schemes\":[\"active-inference\",\"natural-gradient\"],\"continuous\":{\"sampleRateHz\":256}}");
        assertEquals(400, both.statusCode());
        assertTrue(both.body().contains("natural-gradient has no continuous-time flow of its own"), both.body());
        HttpResponse<String> stiff =
                server.postSession("{\"schemes\":[\"euclidean\"],\"continuous\":{\"sampleRateHz\":256}}");
        assertEquals(400, stiff.statusCode());
        assertTrue(stiff.body().contains("continuous.method") && stiff.body().contains("rk4"), stiff.body());
        HttpResponse<String> slow = server.postSession("{\"continuous\":{\"sampleRateHz\":2}}");
        assertEquals(400, slow.statusCode());
        assertTrue(slow.body().contains("samples per epoch"), slow.body());
        HttpResponse<String> method =
                server.postSession("{\"continuous\":{\"sampleRateHz\":256,\"method\":\"euler\"}}");
        assertEquals(400, method.statusCode());
        // 250 Hz is not a whole number of samples per 250 ms epoch: the nearest rate that is (63 samples, 252 Hz) is
        // used
        // the two flows side by side: active inference's (natural) and the projected Euclidean one
        String id = server.createSession(
                "{\"schemes\":[\"active-inference\",\"euclidean\"],\"continuous\":{\"sampleRateHz\":250,\"method\":\"rk4\"},\"pacing\":{\"iterationMs\":\"max\"}}");
        WsClient signals = WsClient.connect(ws + "/ws/sessions/" + id + "/signals?channels=rate");
        JsonNode header = JSON.readTree(signals.nextText());
        assertEquals(252.0, header.get("integration").get("sampleRateHz").asDouble(), 1e-9);
        assertEquals(250.0, header.get("integration").get("requestedRateHz").asDouble(), 1e-9);
        assertEquals("rk4", header.get("integration").get("method").asText());
        assertEquals(0.25 / 63, header.get("timebase").get("iterationSeconds").asDouble(), 1e-15);
        assertEquals(
                "active-inference", header.get("schemes").get(0).get("name").asText());
        assertEquals("euclidean", header.get("schemes").get(1).get("name").asText());
        JsonNode f = JSON.readTree(signals.nextText());
        assertEquals(2, f.get("data").size(), "both schemes in each frame");
        signals.close();
    }
}
