package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.neuroflux.cluster.ClusterHarness.awaitOwners;
import static org.neuroflux.cluster.ClusterHarness.awaitTrue;
import static org.neuroflux.cluster.ClusterHarness.create;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.cluster.ClusterHarness.Instance;
import org.neuroflux.cluster.ClusterHarness.Ws;

/**
 * The scale-out check with real processes: three instances against a real KRaft broker,
 * 200 sessions (half generative, half fed observations through an instance that does not own
 * them), each watched through an instance that neither owns it nor is about to die. The owner of
 * the most sessions is killed with kill -9: within 15 s every one of its sessions streams again
 * from a survivor, after a resumed notice naming it, and no subscriber ever sees a jump in
 * {@code seq} that neither a resumed notice nor a counted drop explains.
 */
@Tag("slow")
@Tag("kafka")
class ClusterScaleTest {
    private static final int PARTITIONS = 12;
    private static final int PER_KIND = 100;
    private static final int DECIMATE = 16; // one frame per epoch per subscriber: the test client stays light

    @TempDir
    Path dir;

    /** What one subscriber saw: frames in order, notices, and any unexplained jump. */
    private static final class Watch {
        final String session;
        long lastSeq = -1;
        long lastDropped;
        int frames;
        JsonNode pendingNotice;
        JsonNode lastNotice;
        long noticeNanos;
        long firstFrameAfterNoticeNanos;
        final List<String> holes = new ArrayList<>();

        Watch(String session) {
            this.session = session;
        }

        synchronized void accept(JsonNode m) {
            String type = m.path("type").asText();
            if (type.equals("resumed")) {
                pendingNotice = m;
                lastNotice = m;
                noticeNanos = System.nanoTime();
                firstFrameAfterNoticeNanos = 0;
                return;
            }
            if (!type.equals("frame")) return;
            long seq = m.get("seq").asLong();
            long dropped = m.path("dropped").asLong();
            if (pendingNotice != null) {
                if (seq < pendingNotice.get("seq").asLong())
                    holes.add("the first frame after the notice " + pendingNotice + " has seq " + seq);
                pendingNotice = null;
                firstFrameAfterNoticeNanos = System.nanoTime();
            } else if (lastSeq >= 0 && seq != lastSeq + DECIMATE && dropped == lastDropped) {
                holes.add("seq " + lastSeq + " then " + seq + " without a notice or a counted drop");
            }
            lastSeq = seq;
            lastDropped = dropped;
            frames++;
        }

        synchronized int frames() {
            return frames;
        }

        synchronized boolean resumedSince(long nanos) {
            return lastNotice != null && noticeNanos >= nanos && firstFrameAfterNoticeNanos != 0;
        }
    }

    @Test
    void twoHundredSessionsOnThreeInstancesStreamAgainWithinFifteenSecondsOfKillingTheBusiestOwner() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"));
                ClusterHarness cluster = new ClusterHarness(dir, kafka.bootstrapServers(), "scale", PARTITIONS)) {
            List<Instance> instances = List.of(cluster.serve("a"), cluster.serve("b"), cluster.serve("c"));
            List<String> generative = new ArrayList<>();
            List<String> clientDriven = new ArrayList<>();
            for (int i = 0; i < PER_KIND; i++) {
                generative.add(create(instances.get(i % 3), "{\"model\":\"tmaze\",\"seed\":" + (1000 + i) + "}"));
                clientDriven.add(
                        create(instances.get((i + 1) % 3), "{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"}}"));
            }
            List<String> sessions = new ArrayList<>(generative);
            sessions.addAll(clientDriven);
            Map<String, String> owners = awaitOwners(instances, sessions, Duration.ofSeconds(120));
            Map<String, Integer> owned = new HashMap<>();
            for (String o : owners.values()) owned.merge(o, 1, Integer::sum);
            assertEquals(3, owned.size(), "every instance owns sessions: " + owned);
            String busiest = owned.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
            Instance victim = instances.stream()
                    .filter(i -> i.id().equals(busiest))
                    .findFirst()
                    .orElseThrow();

            // every session watched (and fed) through an instance that neither owns it nor will die
            Map<String, Watch> watches = new HashMap<>();
            List<Ws> sockets = new ArrayList<>();
            Map<String, Ws> feeds = new HashMap<>();
            for (String s : sessions) {
                Instance via = instances.stream()
                        .filter(i -> !i.id().equals(owners.get(s)) && i != victim)
                        .findFirst()
                        .orElseThrow();
                Watch w = new Watch(s);
                watches.put(s, w);
                sockets.add(Ws.connect(
                        via.ws("/ws/sessions/" + s + "/signals?channels=precision&decimate=" + DECIMATE), w::accept));
                if (clientDriven.contains(s))
                    feeds.put(s, Ws.connect(via.ws("/ws/sessions/" + s + "/observations"), m -> {}));
            }
            AtomicBoolean feeding = new AtomicBoolean(true);
            Thread feeder = new Thread(
                    () -> {
                        // one observation per session a little slower than the epochs consume them (250 ms)
                        for (int k = 0; feeding.get(); k++) {
                            for (Ws f : feeds.values()) f.send("{\"id\":" + k + ",\"outcomes\":[1,1]}");
                            try {
                                Thread.sleep(300);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "observation-feeder");
            feeder.setDaemon(true);
            feeder.start();
            try {
                awaitTrue(
                        () -> watches.values().stream().allMatch(w -> w.frames() >= 3),
                        Duration.ofSeconds(90),
                        "every subscriber receives frames through its non-owner");

                List<String> moved = new ArrayList<>();
                for (String s : sessions) if (owners.get(s).equals(busiest)) moved.add(s);
                long killedAt = System.nanoTime();
                ClusterHarness.kill(victim);
                awaitTrue(
                        () -> moved.stream().allMatch(s -> watches.get(s).resumedSince(killedAt)),
                        Duration.ofSeconds(15),
                        "every one of the killed owner's " + moved.size()
                                + " sessions streams again after a resumed notice");
                double seconds = (System.nanoTime() - killedAt) / 1e9;
                System.out.printf(
                        "kill -9 of %s: its %d sessions streaming again after %.1f s%n",
                        busiest, moved.size(), seconds);
                for (String s : moved) {
                    JsonNode notice = watches.get(s).lastNotice;
                    assertTrue(!notice.get("owner").asText().equals(busiest), "a survivor resumed it: " + notice);
                }
                // every session still streams, and nobody saw a silent hole
                Map<String, Integer> counts = new HashMap<>();
                for (String s : sessions) counts.put(s, watches.get(s).frames());
                awaitTrue(
                        () -> sessions.stream().allMatch(s -> watches.get(s).frames() >= counts.get(s) + 2),
                        Duration.ofSeconds(30),
                        "all 200 sessions go on streaming");
                List<String> holes = new ArrayList<>();
                for (Watch w : watches.values())
                    synchronized (w) {
                        for (String h : w.holes) holes.add(w.session + ": " + h);
                    }
                assertEquals(List.of(), holes, "no hole without a notice");
            } finally {
                feeding.set(false);
                feeder.interrupt();
                feeder.join(TimeUnit.SECONDS.toMillis(5));
                for (Ws s : sockets) s.close();
                for (Ws f : feeds.values()) f.close();
            }
        }
    }
}
