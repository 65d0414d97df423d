package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ownership by Kafka: two members of the owners' group, one in its own JVM, split the partitions;
 * the directory names the owner of each; when the other member is killed with SIGKILL, or leaves on
 * SIGTERM, its partitions come back to the survivor, which hears of each one.
 */
@Tag("slow")
@Tag("kafka")
class OwnershipTest {
    private static final int PARTITIONS = 6;
    private static final Set<Integer> ALL = Set.of(0, 1, 2, 3, 4, 5);

    @TempDir
    Path dir;

    @Test
    void partitionsMoveToTheSurvivorWhenAMemberIsKilledOrLeaves() throws Exception {
        String prefix = "own";
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"));
                Admin admin = Admin.create(new KafkaClients(broker.bootstrapServers(), "check").admin())) {
            new TopicBootstrap(ClusterTopics.withPrefix(prefix), PARTITIONS, 1).ensure(admin);
            OwnerDirectory directory = new OwnerDirectory(prefix);
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            try (PartitionOwnership a = PartitionOwnership.join(
                    new KafkaClients(broker.bootstrapServers(), "a"), prefix, new PartitionOwnership.Listener() {
                        @Override
                        public void assigned(Set<Integer> partitions) {
                            events.add("assigned " + partitions);
                        }

                        @Override
                        public void revoked(Set<Integer> partitions, boolean lost) {
                            events.add((lost ? "lost " : "revoked ") + partitions);
                        }
                    })) {
                await("a owns every partition", () -> a.owned().equals(ALL));

                Path bLog = dir.resolve("b-1.log");
                Process b = member(broker, prefix, bLog);
                try {
                    await(
                            "a and b split the partitions",
                            () -> !a.owned().isEmpty()
                                    && a.owned().size() < PARTITIONS
                                    && read(bLog).contains("assigned "));
                    Map<Integer, String> owners = awaitDirectory(admin, directory);
                    Set<Integer> ofA = new HashSet<>(), ofB = new HashSet<>();
                    owners.forEach((p, owner) -> (owner.equals("a") ? ofA : ofB).add(p));
                    assertEquals(Set.of("a", "b"), Set.copyOf(owners.values()), owners.toString());
                    assertEquals(a.owned(), ofA, "the directory agrees with a's own view");
                    assertTrue(
                            events.stream().anyMatch(e -> e.startsWith("revoked ")),
                            "a gave up partitions in a rebalance: " + events);

                    long killed = System.nanoTime();
                    b.destroyForcibly()
                            .waitFor(30, TimeUnit.SECONDS); // kill -9: no leave, the coordinator must time b out
                    await(
                            "a owns every partition after b was killed",
                            () -> a.owned().equals(ALL));
                    System.out.printf(
                            "ownership failover after kill -9: %.1f s (session timeout 6 s)%n",
                            (System.nanoTime() - killed) / 1e9);
                    assertTrue(events.get(events.size() - 1).startsWith("assigned "), events.toString());
                    assertEquals(ofB, parse(events.get(events.size() - 1)), "a was handed exactly b's partitions");
                } finally {
                    b.destroyForcibly();
                }

                Path b2Log = dir.resolve("b-2.log");
                Process b2 = member(broker, prefix, b2Log);
                try {
                    await(
                            "a and a restarted b split the partitions again",
                            () -> a.owned().size() < PARTITIONS && read(b2Log).contains("assigned "));
                    long stopped = System.nanoTime();
                    // SIGTERM: b leaves the group, so its partitions move without waiting for the session timeout
                    b2.destroy();
                    assertTrue(b2.waitFor(30, TimeUnit.SECONDS), "b exits on SIGTERM");
                    await("a owns every partition after b left", () -> a.owned().equals(ALL));
                    System.out.printf(
                            "ownership handover after SIGTERM: %.1f s%n", (System.nanoTime() - stopped) / 1e9);
                    assertTrue(
                            read(b2Log).contains("revoked "),
                            "b heard its partitions revoked as it left:\n" + read(b2Log));
                } finally {
                    b2.destroyForcibly();
                }
            }
        }
    }

    private static Process member(KafkaBroker broker, String prefix, Path log) throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                OwnershipMemberMain.class.getName(),
                broker.bootstrapServers(),
                prefix,
                "b");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static Map<Integer, String> awaitDirectory(Admin admin, OwnerDirectory directory) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<Integer, String> owners = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                owners = directory.owners(admin);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)) throw e;
            }
            if (owners.keySet().equals(ALL) && owners.containsValue("a") && owners.containsValue("b")) return owners;
            Thread.sleep(200);
        }
        return fail("the directory never showed both members owning all partitions: " + owners);
    }

    private static Set<Integer> parse(String event) {
        Set<Integer> out = new HashSet<>();
        String list = event.substring(event.indexOf('[') + 1, event.indexOf(']'));
        for (String s : list.split(",")) if (!s.isBlank()) out.add(Integer.parseInt(s.trim()));
        return out;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail(what + ": not within 90 s");
            Thread.sleep(50);
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
