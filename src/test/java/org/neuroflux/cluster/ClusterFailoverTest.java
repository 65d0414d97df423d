package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code neuroflux serve} processes in cluster mode kafka against a real KRaft broker: sessions
 * created through one instance are spread over both owners; a subscriber and an observations
 * socket on the instance that does not own a session are served through Kafka; after the owner is
 * killed with kill -9, its sessions run again on the survivor within 15 s, and the subscriber gets
 * a resumed notice naming the survivor before the frames of the restarted session.
 */
@Tag("slow")
@Tag("kafka")
class ClusterFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final int PARTITIONS = 6;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** One instance: its process, port and log. */
    private record Instance(String id, Process process, int port, Path log) {
        String http(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        String ws(String path) {
            return "ws://127.0.0.1:" + port + path;
        }
    }

    @Test
    void sessionsSpreadStreamThroughTheNonOwnerAndMoveToTheSurvivorWhenTheirOwnerIsKilled() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"))) {
            Instance a = serve("a", kafka.bootstrapServers());
            Instance b = serve("b", kafka.bootstrapServers());
            Map<String, Instance> byId = Map.of("a", a, "b", b);

            // creates through a: answered once the broker has the definition
            List<String> generative = new ArrayList<>();
            for (int i = 0; i < 8; i++) generative.add(create(a, "{\"model\":\"tmaze\",\"seed\":" + (100 + i) + "}"));
            String client = create(a, "{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"}}");

            // both instances own some: wait until every session runs on exactly one and both own some
            Map<String, String> owners = awaitOwners(List.of(a, b), generative, Duration.ofSeconds(90));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (new HashSet<>(owners.values()).size() < 2 && System.nanoTime() < deadline) {
                String more = create(a, "{\"model\":\"tmaze\"}");
                generative.add(more);
                owners = awaitOwners(List.of(a, b), generative, Duration.ofSeconds(30));
            }
            assertEquals(Set.of("a", "b"), new HashSet<>(owners.values()), "sessions spread over both: " + owners);
            // /health: the two instances own every partition between them, each exactly once
            Set<Integer> partitions = new HashSet<>();
            int ownedSessions = 0;
            for (Instance i : List.of(a, b)) {
                JsonNode cluster = get(i, "/health", true).body.get("cluster");
                assertEquals(i.id(), cluster.get("instanceId").asText());
                for (JsonNode p : cluster.get("ownedPartitions"))
                    assertTrue(partitions.add(p.intValue()), cluster.toString());
                ownedSessions += cluster.get("ownedSessions").intValue();
            }
            assertEquals(PARTITIONS, partitions.size());
            assertEquals(generative.size() + 1, ownedSessions, "every session runs once");
            // the list on either instance names every session and its owner
            JsonNode listed = get(b, "/api/sessions", true).body.get("sessions");
            assertEquals(generative.size() + 1, listed.size(), listed.toString());
            for (JsonNode d : listed)
                if (owners.containsKey(d.get("id").asText()))
                    assertEquals(
                            owners.get(d.get("id").asText()), d.get("owner").asText(), d.toString());

            // a session of b, watched through a
            String watched = null;
            for (String id : generative) if (owners.get(id).equals("b")) watched = id;
            assertNotNull(watched);
            JsonNode remote = get(a, watched).body;
            assertEquals("remote", remote.get("state").asText(), remote.toString());
            assertEquals("b", remote.get("owner").asText(), remote.toString());
            Ws sub = Ws.connect(a.ws("/ws/sessions/" + watched + "/signals"));
            JsonNode header = sub.next(Duration.ofSeconds(20));
            assertEquals("header", header.get("type").asText(), header.toString());
            assertEquals(watched, header.get("session").asText());
            long last = -1;
            for (int i = 0; i < 40; i++) {
                JsonNode f = sub.next(Duration.ofSeconds(20));
                assertEquals("frame", f.get("type").asText(), f.toString());
                long seq = f.get("seq").asLong();
                assertTrue(seq > last, "seq increases through Kafka: " + seq + " after " + last);
                assertEquals(2, f.get("data").size(), "both schemes of every frame");
                last = seq;
            }

            // observations through the non-owner of the client session, acked once the broker has them
            String clientOwner = awaitOwners(List.of(a, b), List.of(client), Duration.ofSeconds(30))
                    .get(client);
            Instance ingestVia = clientOwner.equals("a") ? b : a;
            Ws obs = Ws.connect(ingestVia.ws("/ws/sessions/" + client + "/observations"));
            for (int i = 0; i < 3; i++) obs.send("{\"id\":" + i + ",\"outcomes\":[1,1]}");
            for (int i = 0; i < 3; i++) {
                JsonNode ack = obs.next(Duration.ofSeconds(20));
                assertEquals("ack", ack.get("type").asText(), ack.toString());
                assertEquals(i, ack.get("id").intValue());
                assertTrue(ack.get("offset").asLong() >= 0, ack.toString());
            }
            Instance ownerOfClient = byId.get(clientOwner);
            awaitTrue(
                    () -> get(ownerOfClient, client)
                                    .body
                                    .path("counters")
                                    .path("epochs")
                                    .asLong()
                            >= 3,
                    Duration.ofSeconds(20),
                    "the owner applies the 3 observations");
            obs.close();

            // kill -9 the owner of the watched session
            List<String> ofB = new ArrayList<>();
            for (String id : generative) if (owners.get(id).equals("b")) ofB.add(id);
            long killedAt = System.nanoTime();
            b.process().destroyForcibly();
            assertTrue(b.process().waitFor(10, TimeUnit.SECONDS));

            // the subscriber on a: the notice names a, then the session streams again from seq 0
            JsonNode notice = null;
            long afterNotice = -1;
            while (System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(15)) {
                JsonNode m = sub.next(Duration.ofSeconds(15));
                if (m.get("type").asText().equals("resumed")) {
                    notice = m;
                    continue;
                }
                assertEquals("frame", m.get("type").asText(), m.toString());
                long seq = m.get("seq").asLong();
                if (notice == null) {
                    assertTrue(seq > last, "before the notice, frames of the old owner only go on: " + seq);
                    last = seq;
                } else if (afterNotice < 0) {
                    assertEquals(notice.get("seq").asLong(), seq, "the first frame after the notice has its seq");
                    afterNotice = seq;
                } else {
                    assertTrue(seq > afterNotice, "seq increases after the notice");
                    afterNotice = seq;
                    if (seq >= 16) break;
                }
            }
            assertNotNull(notice, "a resumed notice within 15 s of the kill");
            assertEquals("a", notice.get("owner").asText(), notice.toString());
            assertTrue(afterNotice >= 16, "frames flow again after the notice; last seq " + afterNotice);
            double failoverSeconds = (System.nanoTime() - killedAt) / 1e9;
            System.out.printf("kill -9 to a resumed session streaming 16 frames through a: %.1f s%n", failoverSeconds);

            // every session of b runs on a now, and a owns every partition
            JsonNode cluster = get(a, "/health", true).body.get("cluster");
            assertEquals(PARTITIONS, cluster.get("ownedPartitions").size(), cluster.toString());
            assertEquals(generative.size() + 1, cluster.get("ownedSessions").intValue(), cluster.toString());
            for (String id : ofB) {
                Reply r = get(a, id);
                assertEquals(200, r.status, id);
                assertEquals("a", r.body.get("owner").asText(), r.body.toString());
                assertTrue(!r.body.get("state").asText().equals("remote"), r.body.toString());
            }
            sub.close();
        }
    }

    // --- processes -------------------------------------------------------------------------------

    private Instance serve(String id, String bootstrap) throws Exception {
        Path log = dir.resolve("serve-" + id + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "org.neuroflux.cli.Main",
                        "serve",
                        "--port",
                        "0"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = new HashMap<>();
        env.put("NEUROFLUX_HOST", "127.0.0.1");
        env.put("NEUROFLUX_DEMO_ENABLED", "false");
        env.put("NEUROFLUX_CLUSTER_MODE", "kafka");
        env.put("NEUROFLUX_CLUSTER_BOOTSTRAP_SERVERS", bootstrap);
        env.put("NEUROFLUX_CLUSTER_TOPIC_PREFIX", "fo");
        env.put("NEUROFLUX_CLUSTER_INSTANCE_ID", id);
        env.put("NEUROFLUX_CLUSTER_PARTITIONS", Integer.toString(PARTITIONS));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        Matcher m = awaitLog(p, log, Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        Instance instance = new Instance(id, p, Integer.parseInt(m.group(1)), log);
        awaitTrue(
                () -> get(instance, "/health", true)
                        .body
                        .path("broker")
                        .path("reachable")
                        .asBoolean(),
                Duration.ofSeconds(60),
                "instance " + id + " reaches the broker");
        return instance;
    }

    private static Matcher awaitLog(Process p, Path log, Pattern pattern) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher m = pattern.matcher(text);
            if (m.find()) return m;
            if (!p.isAlive()) fail("serve exited with " + p.exitValue() + ":\n" + text);
            Thread.sleep(100);
        }
        return fail("no log line matched " + pattern);
    }

    // --- HTTP ------------------------------------------------------------------------------------

    private record Reply(int status, JsonNode body) {}

    private static String create(Instance via, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(via.http("/api/sessions")))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static Reply get(Instance via, String session) throws Exception {
        return get(via, "/api/sessions/" + session, true);
    }

    private static Reply get(Instance via, String path, boolean raw) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(via.http(path)))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    /**
     * Session -> owner, once each of {@code sessions} runs on exactly one instance (state not
     * "remote" there) and every instance names that owner.
     */
    private static Map<String, String> awaitOwners(List<Instance> instances, List<String> sessions, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String why = "";
        while (System.nanoTime() < deadline) {
            Map<String, String> owners = new HashMap<>();
            why = "";
            for (String s : sessions) {
                Set<String> local = new HashSet<>();
                Set<String> named = new HashSet<>();
                for (Instance i : instances) {
                    Reply r = get(i, s);
                    if (r.status != 200) continue;
                    if (!r.body.get("state").asText().equals("remote")) local.add(i.id());
                    named.add(r.body.path("owner").asText("?"));
                }
                if (local.size() == 1 && named.equals(local))
                    owners.put(s, local.iterator().next());
                else why += s + ": runs on " + local + ", owner named " + named + "; ";
            }
            if (owners.size() == sessions.size()) return owners;
            Thread.sleep(250);
        }
        return fail("sessions not each on one owner within " + timeout + ": " + why);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) return;
            Thread.sleep(200);
        }
        fail(what + ": not within " + timeout);
    }

    // --- WebSocket -------------------------------------------------------------------------------

    /** A text-message WebSocket client (both sockets here speak JSON text). */
    private static final class Ws implements WebSocket.Listener {
        private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private WebSocket socket;

        static Ws connect(String uri) {
            Ws w = new Ws();
            w.socket = HTTP.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(15))
                    .buildAsync(URI.create(uri), w)
                    .orTimeout(20, TimeUnit.SECONDS)
                    .join();
            return w;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String message) {
            socket.sendText(message, true).orTimeout(10, TimeUnit.SECONDS).join();
        }

        JsonNode next(Duration timeout) throws Exception {
            String m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) fail("no message within " + timeout);
            return JSON.readTree(m);
        }

        void close() {
            socket.abort();
        }
    }
}
