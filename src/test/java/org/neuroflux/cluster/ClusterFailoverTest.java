package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuroflux.cluster.ClusterHarness.awaitOwners;
import static org.neuroflux.cluster.ClusterHarness.awaitTrue;
import static org.neuroflux.cluster.ClusterHarness.create;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import org.neuroflux.cluster.ClusterHarness.Reply;
import org.neuroflux.cluster.ClusterHarness.Ws;

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

    private ClusterHarness cluster; // the test's instances, stopped after it

    @AfterEach
    void stopInstances() {
        if (cluster != null) cluster.close();
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
                JsonNode cluster = get(i, "/health", true).body().get("cluster");
                assertEquals(i.id(), cluster.get("instanceId").asText());
                for (JsonNode p : cluster.get("ownedPartitions"))
                    assertTrue(partitions.add(p.intValue()), cluster.toString());
                ownedSessions += cluster.get("ownedSessions").intValue();
            }
            assertEquals(PARTITIONS, partitions.size());
            assertEquals(generative.size() + 1, ownedSessions, "every session runs once");
            // the list on either instance names every session and its owner
            JsonNode listed = get(b, "/api/sessions", true).body().get("sessions");
            assertEquals(generative.size() + 1, listed.size(), listed.toString());
            for (JsonNode d : listed)
                if (owners.containsKey(d.get("id").asText()))
                    assertEquals(
                            owners.get(d.get("id").asText()), d.get("owner").asText(), d.toString());

            // a session of b, watched through a
            String watched = null;
            for (String id : generative) if (owners.get(id).equals("b")) watched = id;
            assertNotNull(watched);
            JsonNode remote = get(a, watched).body();
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
                                    .body()
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
            JsonNode cluster = get(a, "/health", true).body().get("cluster");
            assertEquals(PARTITIONS, cluster.get("ownedPartitions").size(), cluster.toString());
            assertEquals(generative.size() + 1, cluster.get("ownedSessions").intValue(), cluster.toString());
            for (String id : ofB) {
                Reply r = get(a, id);
                assertEquals(200, r.status(), id);
                assertEquals("a", r.body().get("owner").asText(), r.body().toString());
                assertTrue(
                        !r.body().get("state").asText().equals("remote"),
                        r.body().toString());
            }
            sub.close();
        }
    }

    // --- instances and HTTP (ClusterHarness) ----------------------------------------------------

    private Instance serve(String id, String bootstrap) throws Exception {
        if (cluster == null) cluster = new ClusterHarness(dir, bootstrap, "fo", PARTITIONS);
        return cluster.serve(id);
    }

    private static Reply get(Instance via, String session) throws Exception {
        return ClusterHarness.get(via, "/api/sessions/" + session);
    }

    private static Reply get(Instance via, String path, boolean raw) throws Exception {
        return ClusterHarness.get(via, path);
    }
}
