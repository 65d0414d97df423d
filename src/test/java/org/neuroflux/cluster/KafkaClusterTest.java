package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.config.NeurofluxConfig.ClusterConfig;

/** Topic creation and the record formats against a real KRaft broker (KafkaBroker). */
@Tag("slow")
@Tag("kafka")
class KafkaClusterTest {
    @TempDir
    static Path dir;

    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dir.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close(); // not left running beside the rest of the suite
    }

    private static ClusterConfig cluster(String prefix, int partitions, int replication) {
        return new ClusterConfig("kafka", broker.bootstrapServers(), prefix, "test-1", partitions, replication);
    }

    private static Admin admin() {
        return Admin.create(new KafkaClients(broker.bootstrapServers(), "test-admin").admin());
    }

    @Test
    void connectorCreatesTheTopicsWithTheConfiguredPartitionsAndReportsTheBroker() throws Exception {
        try (ClusterConnector connector = ClusterConnector.start(cluster("created", 6, 1), "test-1");
                Admin admin = admin()) {
            assertTrue(connector.awaitUp(Duration.ofSeconds(60)), () -> "not up: " + connector.status());
            Map<String, Object> health = connector.get();
            assertEquals(true, health.get("reachable"));
            assertEquals("UP", health.get("state"));
            assertEquals(1, health.get("brokers"));
            assertEquals(admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS), health.get("clusterId"));
            ClusterTopics topics = ClusterTopics.withPrefix("created");
            Map<String, TopicDescription> described =
                    admin.describeTopics(topics.all()).allTopicNames().get(10, TimeUnit.SECONDS);
            for (String t : topics.all())
                assertEquals(6, described.get(t).partitions().size(), t);
            List<ConfigResource> resources = new ArrayList<>();
            for (String t : topics.all()) resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t));
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(resources).all().get(10, TimeUnit.SECONDS);
            for (String t : topics.all()) {
                String expected = t.equals(topics.sessions()) || t.equals(topics.state()) ? "compact" : "delete";
                assertEquals(
                        expected,
                        configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t))
                                .get("cleanup.policy")
                                .value(),
                        t);
            }
        }
    }

    @Test
    void bootstrapIsIdempotentAndRefusesAnotherPartitionCount() throws Exception {
        ClusterTopics topics = ClusterTopics.withPrefix("again");
        try (Admin admin = admin()) {
            TopicBootstrap.Outcome first = new TopicBootstrap(topics, 3, 1).ensure(admin);
            assertEquals(topics.all().stream().sorted().toList(), first.created());
            TopicBootstrap.Outcome second = new TopicBootstrap(topics, 3, 1).ensure(admin);
            assertEquals(List.of(), second.created());
            assertEquals(topics.all(), second.existing());
            TopicBootstrap.PartitionMismatch e = assertThrows(
                    TopicBootstrap.PartitionMismatch.class, () -> new TopicBootstrap(topics, 5, 1).ensure(admin));
            assertTrue(
                    e.getMessage().contains("cluster.partitions = 5")
                            && e.getMessage().contains("again.signals has 3"),
                    e.getMessage());
        }
    }

    @Test
    void moreReplicasThanBrokersIsReportedAsMisconfiguredAndRetried() throws Exception {
        try (ClusterConnector connector = ClusterConnector.start(cluster("toomany", 2, 3), "test-1")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (connector.status().state() != BrokerStatus.State.MISCONFIGURED && System.nanoTime() < deadline)
                Thread.sleep(50);
            BrokerStatus s = connector.status();
            assertEquals(BrokerStatus.State.MISCONFIGURED, s.state(), s.toString());
            assertTrue(s.error().contains("InvalidReplicationFactorException"), s.error());
            assertTrue(!s.reachable());
        }
    }

    /**
     * The owner's cycle in small: an ingest acknowledged by the broker, then one transaction that
     * consumes it (offsets through the group) and writes the frames it produced and a notice.
     * read_committed readers of the session's partition see that transaction's records and never
     * those of an aborted one, which a read_uncommitted reader does see.
     */
    @Test
    void recordsRoundTripThroughCommittedTransactionsOnTheSessionsPartition() throws Exception {
        int partitions = 4;
        ClusterTopics topics = ClusterTopics.withPrefix("txn");
        try (Admin admin = admin()) {
            new TopicBootstrap(topics, partitions, 1).ensure(admin);
        }
        KafkaClients clients = new KafkaClients(broker.bootstrapServers(), "test-1");
        String id = "session-42";
        int partition = ClusterTopics.partitionOf(id, partitions);
        SessionDefinition definition =
                new SessionDefinition(id, "{\"model\":\"tmaze\",\"source\":{\"type\":\"client\"}}", 7, 1, "test-1");
        ObservationRecord observation =
                new ObservationRecord(99, new int[] {1, -1}, new double[][] {null, {0.125, 0.875}});
        try (KafkaProducer<String, byte[]> ingest = new KafkaProducer<>(clients.acknowledgingProducer())) {
            RecordMetadata m = ingest.send(
                            new ProducerRecord<>(topics.sessions(), id, SessionDefinitionCodec.encode(definition)))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(partition, m.partition(), "the producer's partitioner agrees with ClusterTopics.partitionOf");
            m = ingest.send(new ProducerRecord<>(topics.observations(), id, ObservationCodec.encode(observation)))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(partition, m.partition());
        }

        SignalRecord.Frame committedFrame = new SignalRecord.Frame(1, 64, 0, 1, 0, 0, 1.0, 5, RecordCodecsTest.AWKWARD);
        SignalRecord.Frame abortedFrame = new SignalRecord.Frame(0, 65, 0, 1, 1, 0, 65 / 64.0, 6, new double[] {-1});
        Map<String, Object> ownerConsumer = clients.committedConsumer("owner", "txn-owners");
        try (KafkaConsumer<String, byte[]> owner = new KafkaConsumer<>(ownerConsumer);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.transactionalProducer("txn"))) {
            producer.initTransactions();
            owner.subscribe(List.of(topics.observations()));
            List<ConsumerRecord<String, byte[]>> got = poll(owner, 1);
            ConsumerRecord<String, byte[]> in = got.get(0);
            ObservationRecord applied = ObservationCodec.decode(in.value());
            RecordCodecsTest.assertBits(observation.probabilities()[1], applied.probabilities()[1]);

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(
                    topics.signals(), id, SignalRecordCodec.encode(new SignalRecord.Resumed("test-1", 64, 1000))));
            producer.send(new ProducerRecord<>(
                    topics.signals(),
                    id,
                    SignalRecordCodec.encode(new SignalRecord.FrameBatch(List.of(committedFrame)))));
            producer.sendOffsetsToTransaction(
                    Map.of(new TopicPartition(in.topic(), in.partition()), new OffsetAndMetadata(in.offset() + 1)),
                    owner.groupMetadata());
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(
                    topics.signals(),
                    id,
                    SignalRecordCodec.encode(new SignalRecord.FrameBatch(List.of(abortedFrame)))));
            producer.flush();
            producer.abortTransaction();
        }
        try (Admin admin = admin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("txn-owners")
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS)
                    .get(new TopicPartition(topics.observations(), partition));
            assertEquals(1, committed.offset(), "the consumed observation's offset committed with the transaction");
        }

        List<SignalRecord> committed = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> subscriber =
                new KafkaConsumer<>(clients.committedConsumer("subscriber", null))) {
            TopicPartition tp = new TopicPartition(topics.signals(), partition);
            subscriber.assign(List.of(tp));
            subscriber.seekToBeginning(List.of(tp));
            for (ConsumerRecord<String, byte[]> r : poll(subscriber, 2)) {
                assertEquals(id, r.key());
                committed.add(SignalRecordCodec.decode(r.value()));
            }
            // the aborted batch (and its abort marker) lie past the committed ones: nothing more arrives
            assertEquals(List.of(), subscriber.poll(Duration.ofSeconds(2)).records(tp));
        }
        assertEquals(new SignalRecord.Resumed("test-1", 64, 1000), committed.get(0));
        SignalRecord.Frame back = assertInstanceOf(SignalRecord.FrameBatch.class, committed.get(1))
                .frames()
                .get(0);
        assertEquals(64L, back.sequence());
        RecordCodecsTest.assertBits(committedFrame.values(), back.values());

        Map<String, Object> uncommitted = clients.committedConsumer("uncommitted", null);
        uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(uncommitted)) {
            TopicPartition tp = new TopicPartition(topics.signals(), partition);
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, byte[]>> all = poll(reader, 3);
            SignalRecord.Frame aborted = ((SignalRecord.FrameBatch)
                            SignalRecordCodec.decode(all.get(2).value()))
                    .frames()
                    .get(0);
            assertEquals(65L, aborted.sequence(), "the aborted batch was written, and only read_committed hides it");
        }

        try (KafkaConsumer<String, byte[]> table = new KafkaConsumer<>(clients.committedConsumer("sessions", null))) {
            TopicPartition tp = new TopicPartition(topics.sessions(), partition);
            table.assign(List.of(tp));
            table.seekToBeginning(List.of(tp));
            assertEquals(
                    definition,
                    SessionDefinitionCodec.decode(poll(table, 1).get(0).value()));
        }
    }

    private static List<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> consumer, int count) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (out.size() < count && System.nanoTime() < deadline)
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        assertEquals(count, out.size(), "records read within 60 s");
        return out;
    }

    /**
     * Creates and deletes written through ClusterWriter (acknowledged by the broker) reach every
     * instance's sessions table: a table started later reads what is there, then follows new ones; a
     * record that does not decode is counted and skipped.
     */
    @Test
    void sessionsTableFollowsCreatesAndDeletesAndSkipsCorruptRecords() throws Exception {
        ClusterTopics topics = ClusterTopics.withPrefix("table");
        try (Admin admin = admin()) {
            new TopicBootstrap(topics, 3, 1).ensure(admin);
        }
        KafkaClients clients = new KafkaClients(broker.bootstrapServers(), "test-1");
        try (ClusterWriter writer = new ClusterWriter(clients, topics)) {
            for (int i = 0; i < 5; i++) writer.create(definition("s" + i)).get(30, TimeUnit.SECONDS);
            RecordMetadata deleted = writer.delete("s2").get(30, TimeUnit.SECONDS);
            assertEquals(ClusterTopics.partitionOf("s2", 3), deleted.partition());
            writer.observe("s1", new ObservationRecord(1, new int[] {0}, new double[][] {null}))
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(clients.acknowledgingProducer())) {
            raw.send(new ProducerRecord<>(
                            topics.sessions(), "bad", "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        SessionsTable.Listener listener = new SessionsTable.Listener() {
            @Override
            public void created(SessionDefinition d) {
                events.add("+" + d.id());
            }

            @Override
            public void deleted(String id) {
                events.add("-" + id);
            }
        };
        try (SessionsTable table = SessionsTable.start(clients, topics, listener);
                ClusterWriter writer = new ClusterWriter(clients, topics)) {
            assertTrue(table.awaitCaughtUp(Duration.ofSeconds(60)), "caught up");
            assertEquals(
                    java.util.Set.of("s0", "s1", "s3", "s4"),
                    java.util.Set.copyOf(
                            table.all().stream().map(SessionDefinition::id).toList()));
            assertEquals(1, table.corruptRecords());
            assertEquals(definition("s3"), table.get("s3").orElseThrow());
            assertTrue(events.contains("-s2") && events.indexOf("+s2") < events.indexOf("-s2"), events.toString());

            writer.create(definition("s5")).get(30, TimeUnit.SECONDS);
            writer.delete("s0").get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((table.get("s5").isEmpty() || table.get("s0").isPresent()) && System.nanoTime() < deadline)
                Thread.sleep(50);
            assertTrue(table.get("s5").isPresent() && table.get("s0").isEmpty(), events.toString());
            assertEquals(4, table.size());
        }
    }

    private static SessionDefinition definition(String id) {
        return new SessionDefinition(
                id, "{\"model\":\"tmaze\",\"seed\":" + id.length() + "}", id.hashCode(), 1_796_000_000_000L, "test-1");
    }

    /**
     * A new owner's restore: the last committed state of each session of the partition, never one
     * from an aborted transaction, and nothing of a deleted session.
     */
    @Test
    void restoreReadsTheLastCommittedStateOfEachSession() throws Exception {
        int partitions = 2;
        ClusterTopics topics = ClusterTopics.withPrefix("restore");
        try (Admin admin = admin()) {
            new TopicBootstrap(topics, partitions, 1).ensure(admin);
        }
        KafkaClients clients = new KafkaClients(broker.bootstrapServers(), "owner-1");
        Map<String, Long> expected = new java.util.HashMap<>(); // session -> nextSequence of its last committed state
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.transactionalProducer("restore"))) {
            producer.initTransactions();
            for (int epoch = 1; epoch <= 3; epoch++) {
                producer.beginTransaction();
                for (int i = 0; i < 200; i++) {
                    String id = "s" + i;
                    long seq = epoch * 16L;
                    producer.send(new ProducerRecord<>(
                            topics.state(),
                            id,
                            StateRecordCodec.encode(new StateRecord(seq, epoch, 0, 0, "owner-1", new byte[3000]))));
                    expected.put(id, seq);
                }
                producer.commitTransaction();
            }
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) producer.send(new ProducerRecord<>(topics.state(), "s" + i, null)); // deleted
            for (int i = 0; i < 10; i++) expected.remove("s" + i);
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 200; i++)
                producer.send(new ProducerRecord<>(
                        topics.state(),
                        "s" + i,
                        StateRecordCodec.encode(new StateRecord(999, 9, 0, 0, "zombie", new byte[10]))));
            producer.flush();
            producer.abortTransaction();
        }
        StateRestore restore = new StateRestore(clients, topics);
        int total = 0;
        for (int p = 0; p < partitions; p++) {
            long start = System.nanoTime();
            Map<String, StateRecord> states = restore.read(p, Duration.ofSeconds(60));
            System.out.printf(
                    "restored %d sessions of partition %d in %.0f ms%n",
                    states.size(), p, (System.nanoTime() - start) / 1e6);
            for (Map.Entry<String, StateRecord> e : states.entrySet()) {
                assertEquals(p, ClusterTopics.partitionOf(e.getKey(), partitions));
                assertEquals(expected.get(e.getKey()), e.getValue().nextSequence(), e.getKey());
                assertEquals("owner-1", e.getValue().owner());
                assertEquals(3000, e.getValue().engine().length);
            }
            total += states.size();
        }
        assertEquals(expected.size(), total, "every live session restored once, no deleted one");
    }

    /**
     * A dead owner's open transaction holds back read_committed readers of the partition, the new
     * owner's frames included; initialising a producer with the dead owner's transactional id aborts
     * it at once. The dead owner's transaction timeout is 15 minutes here, so only the fencing can
     * release the reader within the test.
     */
    @Test
    void fencingADeadOwnersTransactionalIdReleasesReadCommittedReaders() throws Exception {
        ClusterTopics topics = ClusterTopics.withPrefix("fence");
        try (Admin admin = admin()) {
            new TopicBootstrap(topics, 1, 1).ensure(admin);
        }
        KafkaClients dead = new KafkaClients(broker.bootstrapServers(), "dead-1");
        KafkaClients next = new KafkaClients(broker.bootstrapServers(), "next-1");
        Map<String, Object> deadProducer = dead.transactionalProducer("fence");
        deadProducer.put(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15 * 60 * 1000);
        KafkaProducer<String, byte[]> zombie = new KafkaProducer<>(deadProducer);
        TopicPartition tp = new TopicPartition(topics.signals(), 0);
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(next.committedConsumer("subscriber", null));
                KafkaProducer<String, byte[]> owner = new KafkaProducer<>(next.transactionalProducer("fence"))) {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(
                            topics.signals(), "s", SignalRecordCodec.encode(new SignalRecord.Resumed("dead-1", 1, 1))))
                    .get(30, TimeUnit.SECONDS);
            // the owner "dies" here: its transaction stays open

            owner.initTransactions();
            owner.beginTransaction();
            owner.send(new ProducerRecord<>(
                    topics.signals(), "s", SignalRecordCodec.encode(new SignalRecord.Resumed("next-1", 1, 2))));
            owner.commitTransaction();

            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            assertEquals(0, reader.poll(Duration.ofSeconds(3)).count(), "held back behind the open transaction");

            try (KafkaProducer<String, byte[]> fencer = new KafkaProducer<>(dead.transactionalProducer("fence"))) {
                fencer.initTransactions(); // bumps the epoch of dead-1's id: its open transaction is aborted
            }
            List<ConsumerRecord<String, byte[]>> got = poll(reader, 1);
            assertEquals(
                    new SignalRecord.Resumed("next-1", 1, 2),
                    SignalRecordCodec.decode(got.get(0).value()),
                    "the new owner's notice, and never the dead owner's");
        } finally {
            zombie.close(Duration.ZERO);
        }
    }
}
