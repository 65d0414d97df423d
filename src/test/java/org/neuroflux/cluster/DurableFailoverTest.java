package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.cluster.ClusterHarness.Instance;
import org.neuroflux.cluster.ClusterHarness.Ws;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.pipeline.FrameLayout;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

/**
 * State that survives (docs/cluster.md, "State at epoch boundaries"): two {@code serve} processes
 * and a real KRaft broker; the owner of a generative and a client-driven session is killed with
 * kill -9. Everything the owners committed to the signals topic is read back and checked:
 *
 * <ul>
 *   <li>the generative session's frames, before and after the failover, equal bit for bit (every
 *       stored channel) those of an uninterrupted in-process run with the same seed, by sequence;
 *   <li>the client-driven session (a model that learns b, d and e, over two trials) applies each
 *       acknowledged observation exactly once: its rates equal the offline {@link TrialRunner}
 *       trace to 1e-12, and no epoch is run twice;
 *   <li>each session's records never skip or repeat a sequence number except right after a
 *       {@code resumed} notice naming the survivor, which is also what a subscriber on the survivor
 *       sees.
 * </ul>
 */
@Tag("slow")
@Tag("kafka")
class DurableFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 4;
    private static final String PREFIX = "du";

    @TempDir
    Path dir;

    private ClusterHarness cluster; // the test's instances, stopped after it

    @AfterEach
    void stopInstances() {
        if (cluster != null) cluster.close();
    }

    @Test
    void afterKillNineTheSurvivorResumesGenerativeFramesBitForBitAndAppliesEachObservationOnce() throws Exception {
        LearningClient learning = learningClient();
        GenerativeModel model = learning.model();
        TrialTrace[] offline = learning.offline();
        String clientRequest = learning.request();

        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"));
                CommittedSignals log = new CommittedSignals(kafka.bootstrapServers(), PREFIX, PARTITIONS)) {
            Instance a = serve("a", kafka.bootstrapServers());
            Instance b = serve("b", kafka.bootstrapServers());
            Map<String, Instance> byId = Map.of("a", a, "b", b);

            awaitBalanced(a, b); // no partition moves while sessions are placed
            // a generative session, and a client session on the same owner (created until one is)
            Map<String, String> requests = new HashMap<>();
            String generative = create(a, "{\"model\":\"tmaze\",\"seed\":4242}", requests);
            String victimId = awaitOwners(List.of(a, b), List.of(generative)).get(generative);
            String client = null;
            for (int i = 0; i < 12 && client == null; i++) {
                String c = create(a, clientRequest, requests);
                if (awaitOwners(List.of(a, b), List.of(c)).get(c).equals(victimId)) client = c;
            }
            assertNotNull(client, "a client session on " + victimId);
            Instance victim = byId.get(victimId);
            Instance survivor = victim == a ? b : a;

            // a subscriber on the survivor, and observations through the survivor
            Ws sub = Ws.connect(survivor.ws("/ws/sessions/" + generative + "/signals?channels=rate"));
            assertEquals("header", sub.next(Duration.ofSeconds(20)).get("type").asText());
            Ws obs = Ws.connect(survivor.ws("/ws/sessions/" + client + "/observations"));
            int T = 3;
            for (int k = 0; k < 4; k++) observe(obs, offline, k, T);
            log.awaitFrames(client, 4 * 16 - 1, Duration.ofSeconds(30)); // 4 epochs committed
            log.awaitFrames(generative, 120, Duration.ofSeconds(30));
            // the 5th: applied and committed with its state just before the kill (its offset may not be
            // committed yet: the survivor must not apply it again); the 6th: acknowledged, likely not applied
            observe(obs, offline, 4, T);
            log.awaitFrames(client, 5 * 16 - 1, Duration.ofSeconds(30));
            observe(obs, offline, 5, T);

            assertEquals(
                    Map.of(generative, victimId, client, victimId),
                    awaitOwners(List.of(a, b), List.of(generative, client)),
                    "both still on the instance about to be killed");
            long killedAt = System.nanoTime();
            victim.process().destroyForcibly();
            assertTrue(victim.process().waitFor(10, TimeUnit.SECONDS));

            // the subscriber on the survivor: the notice names it, then frames from the notice's seq
            JsonNode notice = null;
            long firstAfter = -1;
            while (firstAfter < 0) {
                JsonNode m = sub.next(Duration.ofSeconds(20));
                if (m.get("type").asText().equals("resumed")) notice = m;
                else if (notice != null) firstAfter = m.get("seq").asLong();
            }
            double seconds = (System.nanoTime() - killedAt) / 1e9;
            System.out.printf("kill -9 to the first resumed frame through the survivor: %.1f s%n", seconds);
            assertEquals(survivor.id(), notice.get("owner").asText(), notice.toString());
            assertEquals(notice.get("seq").asLong(), firstAfter, "the first frame after the notice has its seq");
            assertTrue(notice.get("seq").asLong() > 0, "resumed from its state, not from its definition: " + notice);
            sub.close();

            obs.close();
            log.awaitFrames(client, 6 * 16 - 1, Duration.ofSeconds(30));
            long resumedAt =
                    checkSequence(log.records(generative), survivor.id()).sequence();
            log.awaitFrames(generative, resumedAt + 2 * 48, Duration.ofSeconds(30));
            Thread.sleep(1500); // room for a wrongly repeated epoch to show
            System.out.println(
                    "survivor's cluster block: " + get(survivor, "/health").get("cluster"));
            // the survivor's cluster meters moved: it owns every session, gained partitions, committed states
            String metrics = ClusterHarness.HTTP
                    .send(
                            HttpRequest.newBuilder(URI.create(survivor.http("/metrics")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertEquals(
                    requests.size(), sample(metrics, "neuroflux_cluster_sessions_owned{"), 0, "owns every session");
            assertTrue(
                    sample(metrics, "neuroflux_cluster_rebalances_total{app=\"neuroflux\",change=\"assigned\"}") >= 1);
            double commits = sample(metrics, "neuroflux_cluster_state_commit_seconds_count{");
            assertTrue(commits > 100, "transactions timed");
            System.out.printf(
                    "survivor's transactions: %.0f, mean %.1f ms, slowest of the recent window %.1f ms%n",
                    commits,
                    1000 * sample(metrics, "neuroflux_cluster_state_commit_seconds_sum{") / commits,
                    1000 * sample(metrics, "neuroflux_cluster_state_commit_seconds_max{"));

            int compared = checkGenerative(log, generative, requests.get(generative), survivor.id(), resumedAt);
            assertTrue(compared >= 2 * 2 * 48, "two trials of both schemes compared after the failover: " + compared);
            checkClient(log, client, model, offline, survivor.id());
        }
    }

    /**
     * A rolling restart (SIGTERM, start again, one instance at a time) loses nothing: each session
     * moves with its last committed state, its partitions handed over only once that state and its
     * frames are committed; frames stay bit for bit, observations applied once.
     */
    @Test
    void aRollingRestartOfAllThreeInstancesLosesNothing() throws Exception {
        LearningClient learning = learningClient();
        GenerativeModel model = learning.model();
        TrialTrace[] offline = learning.offline();
        String clientRequest = learning.request();
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"));
                CommittedSignals log = new CommittedSignals(kafka.bootstrapServers(), PREFIX, PARTITIONS)) {
            Instance[] instances = {
                serve("a", kafka.bootstrapServers()),
                serve("b", kafka.bootstrapServers()),
                serve("c", kafka.bootstrapServers())
            };
            awaitBalanced(instances);
            Map<String, String> requests = new HashMap<>();
            String generative = create(instances[0], "{\"model\":\"tmaze\",\"seed\":777}", requests);
            String client = create(instances[0], clientRequest, requests);
            awaitOwners(List.of(instances), List.of(generative, client));
            int T = 3;
            int k = 0;
            for (int restart = 0; restart < instances.length; restart++) {
                Instance other = instances[(restart + 1) % instances.length];
                try (Ws obs = Ws.connect(other.ws("/ws/sessions/" + client + "/observations"))) {
                    for (int n = 0; n < 2; n++) observe(obs, offline, k++, T);
                }
                log.awaitFrames(client, k * 16L - 1, Duration.ofSeconds(30));
                log.awaitFrames(generative, 100L * (restart + 1), Duration.ofSeconds(30));
                Instance old = instances[restart];
                old.process().destroy(); // SIGTERM: hands its partitions over, then exits
                assertTrue(old.process().waitFor(30, TimeUnit.SECONDS), old.id() + " exits on SIGTERM");
                assertEquals(143, old.process().exitValue(), old.id() + " ended by SIGTERM");
                instances[restart] = serve(old.id(), kafka.bootstrapServers());
                awaitBalanced(instances);
                awaitOwners(List.of(instances), List.of(generative, client));
            }
            log.awaitFrames(client, 6 * 16 - 1, Duration.ofSeconds(30)); // two observations before each restart
            long last = 0;
            for (Object r : log.records(generative))
                if (r instanceof SignalRecord.Frame f) last = Math.max(last, f.sequence());
            log.awaitFrames(generative, last + 48, Duration.ofSeconds(30));
            Thread.sleep(1500); // room for a wrongly repeated epoch to show
            String owner = awaitOwners(List.of(instances), List.of(generative)).get(generative);
            checkGenerative(log, generative, requests.get(generative), null, 0);
            checkClient(log, client, model, offline, null);
            System.out.println("rolling restart: generative notices at "
                    + log.records(generative).stream()
                            .filter(r -> r instanceof SignalRecord.Resumed)
                            .toList()
                    + ", owner now " + owner);
        }
    }

    /**
     * Every committed frame of a generative session equals the uninterrupted in-process run's, bit
     * for bit; its sequence has no silent hole. Returns the frames compared from {@code from} on.
     */
    private static int checkGenerative(CommittedSignals log, String session, String request, String owner, long from)
            throws Exception {
        checkSequence(log.records(session), owner);
        return log.checkGenerative(session, request, from);
    }

    /** No hole or repeat without a notice, and a last notice naming {@code owner} (if not null) resumed from state. */
    private static SignalRecord.Resumed checkSequence(List<Object> records, String owner) {
        return CommittedSignals.checkSequence(records, owner, true);
    }

    /** A client session of the learning model ran each of its six epochs once, its rates the offline trace's. */
    private static void checkClient(
            CommittedSignals log, String session, GenerativeModel model, TrialTrace[] offline, String owner) {
        List<Object> cl = log.records(session);
        checkSequence(cl, owner);
        FrameLayout layout = new FrameLayout(model);
        int rate = layout.offset(SignalKind.RATE);
        int ni = 16;
        int T = 3;
        Set<Long> epochs = new HashSet<>();
        long last = -1;
        for (Object r : cl) {
            if (!(r instanceof SignalRecord.Frame f)) continue;
            last = Math.max(last, f.sequence());
            epochs.add(f.trial() * T + f.epoch());
            TrialTrace tr = offline[(int) f.trial()];
            for (int fa = 0; fa < layout.factorCount(); fa++) {
                int ns = layout.stateCount(fa);
                for (int j = 0; j < T; j++)
                    for (int s = 0; s < ns; s++)
                        assertEquals(
                                tr.xn[fa][f.iteration() + ni * (s + ns * (j + T * f.epoch()))],
                                f.values()[rate + layout.perFactorIndex(fa, s, j)],
                                1e-12,
                                "rate of frame " + f.sequence() + " (trial " + f.trial() + ", epoch " + f.epoch()
                                        + ")");
            }
        }
        assertEquals(6, epochs.size(), "all six acknowledged observations applied: " + epochs);
        assertEquals(6 * 16 - 1, last, "none applied twice: the last frame is the 96th");
    }

    /** The value of the first sample whose line starts with {@code prefix} in a Prometheus scrape. */
    private static double sample(String scrape, String prefix) {
        for (String line : scrape.split("\n"))
            if (line.startsWith(prefix)) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        return fail("no sample " + prefix + " in the scrape");
    }

    private static void observe(Ws obs, TrialTrace[] offline, int k, int T) throws Exception {
        TrialTrace tr = offline[k / T];
        obs.send("{\"id\":" + k + ",\"outcomes\":[" + (tr.o[0][k % T] + 1) + "," + (tr.o[1][k % T] + 1) + "]}");
        JsonNode ack = obs.next(Duration.ofSeconds(20));
        assertEquals("ack", ack.get("type").asText(), ack.toString());
        assertEquals(k, ack.get("id").intValue());
    }

    /**
     * The client session both tests drive: the learning model (b, d and e learned), active inference,
     * seed 1, and its offline trace over the model's two fixed trials, whose outcomes the tests send.
     */
    private record LearningClient(GenerativeModel model, TrialTrace[] offline, String request) {}

    private LearningClient learningClient() throws Exception {
        String learning = learningModelJson();
        SpmImport imported = new SpmModelReader().read(learning, "learn");
        GenerativeModel model = imported.models().get(0);
        TrialTrace[] offline = new TrialRunner(model, SolverOptions.spm())
                .runSequence(
                        new GenerativeModel[] {model, model},
                        imported.fixtures().toArray(TrialFixture[]::new),
                        new SplitMixSource(1));
        String request = "{\"model\":" + JSON.readTree(learning).get(0)
                + ",\"schemes\":[\"active-inference\"],\"source\":{\"type\":\"client\"},\"seed\":1}";
        return new LearningClient(model, offline, request);
    }

    private String learningModelJson() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/reference/tmaze-ai-learn-2trials/mdp.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // --- instances and HTTP (ClusterHarness) ----------------------------------------------------

    private Instance serve(String id, String bootstrap) throws Exception {
        if (cluster == null) cluster = new ClusterHarness(dir, bootstrap, PREFIX, PARTITIONS);
        return cluster.serve(id);
    }

    private static String create(Instance via, String body, Map<String, String> requests) throws Exception {
        String id = ClusterHarness.create(via, body);
        requests.put(id, body);
        return id;
    }

    private static JsonNode get(Instance via, String path) throws Exception {
        return ClusterHarness.get(via, path).body();
    }

    private static Map<String, String> awaitOwners(List<Instance> instances, List<String> sessions) throws Exception {
        return ClusterHarness.awaitOwners(instances, sessions, Duration.ofSeconds(60));
    }

    /** Waits until every instance owns partitions, and together all of them, for two looks in a row. */
    private static void awaitBalanced(Instance... instances) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int stable = 0;
        while (stable < 2) {
            if (System.nanoTime() > deadline) fail("the owners' group did not settle within 60 s");
            int total = 0;
            boolean each = true;
            for (Instance i : instances) {
                int owned = get(i, "/health")
                        .path("cluster")
                        .path("ownedPartitions")
                        .size();
                total += owned;
                each &= owned > 0;
            }
            stable = each && total == PARTITIONS ? stable + 1 : 0;
            Thread.sleep(500);
        }
    }
}
