package org.neuroflux.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A measurement, not a test (docs/cluster.md, "How it scales"): the owner's transaction as the
 * design has it, against a real broker started by KafkaBroker. Every {@code intervalMs} one
 * transaction carries {@code epochs} session epochs, each a frame batch (2 schemes x 16 iterations
 * of T-maze frames, 67 values) plus a 4 kB state record. Reports the commit time and the latency from
 * a frame's creation to a read_committed reader receiving it.
 * Run: {@code java -cp target/test-classes:target/classes:<test classpath> org.neuroflux.cluster.TransactionLatency [epochs] [intervalMs] [transactions]}
 */
public final class TransactionLatency {
    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int intervalMs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int transactions = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int partitions = 6;
        Path dir = Files.createTempDirectory("neuroflux-txn-latency-");
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            ClusterTopics topics = ClusterTopics.withPrefix("bench");
            KafkaClients clients = new KafkaClients(broker.bootstrapServers(), "bench-1");
            try (Admin admin = Admin.create(clients.admin())) {
                new TopicBootstrap(topics, partitions, 1).ensure(admin);
            }
            Histogram commit = new Histogram(3), visible = new Histogram(3);
            AtomicBoolean done = new AtomicBoolean();
            long[] bytes = new long[1];
            Thread reader = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(clients.committedConsumer("reader", null))) {
                    List<TopicPartition> tps = new java.util.ArrayList<>();
                    for (int p = 0; p < partitions; p++) tps.add(new TopicPartition(topics.signals(), p));
                    c.assign(tps);
                    c.seekToEnd(tps);
                    for (TopicPartition tp : tps) c.position(tp);
                    while (!done.get()) {
                        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                            long now = System.currentTimeMillis() * 1000;
                            SignalRecord.FrameBatch b = (SignalRecord.FrameBatch) SignalRecordCodec.decode(r.value());
                            visible.recordValue(
                                    Math.max(0, now - b.frames().get(0).wallClockMicros()));
                        }
                    }
                }
            });
            reader.start();
            Thread.sleep(2000);
            SignalRecordCodec.BatchEncoder encoder = new SignalRecordCodec.BatchEncoder();
            double[] values = new double[67];
            byte[] state = new byte[4096];
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.transactionalProducer("bench"))) {
                producer.initTransactions();
                long next = System.nanoTime();
                for (int t = 0; t < transactions; t++) {
                    long wall = System.currentTimeMillis() * 1000;
                    long start = System.nanoTime();
                    producer.beginTransaction();
                    for (int e = 0; e < epochs; e++) {
                        String id = "session-" + ((t * epochs + e) % 1000);
                        encoder.begin();
                        for (int i = 0; i < 16; i++)
                            for (int s = 0; s < 2; s++)
                                encoder.frame(s, t * 16L + i, 0, 0, i, 0, 0, wall, values, values.length);
                        byte[] batch = encoder.finish();
                        bytes[0] += batch.length + state.length;
                        producer.send(new ProducerRecord<>(topics.signals(), id, batch));
                        producer.send(new ProducerRecord<>(topics.state(), id, state));
                    }
                    producer.commitTransaction();
                    commit.recordValue((System.nanoTime() - start) / 1000);
                    next += TimeUnit.MILLISECONDS.toNanos(intervalMs);
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
            Thread.sleep(2000);
            done.set(true);
            reader.join(10_000);
            double seconds = transactions * intervalMs / 1000.0;
            System.out.printf(
                    "%d transactions of %d epochs every %d ms (%.1f MB/s offered)%n",
                    transactions, epochs, intervalMs, bytes[0] / seconds / 1e6);
            System.out.printf(
                    "commit     p50 %.1f ms  p99 %.1f ms  p999 %.1f ms  max %.1f ms%n",
                    commit.getValueAtPercentile(50) / 1e3,
                    commit.getValueAtPercentile(99) / 1e3,
                    commit.getValueAtPercentile(99.9) / 1e3,
                    commit.getMaxValue() / 1e3);
            System.out.printf(
                    "visible    p50 %.1f ms  p99 %.1f ms  p999 %.1f ms  (%d batches read)%n",
                    visible.getValueAtPercentile(50) / 1e3,
                    visible.getValueAtPercentile(99) / 1e3,
                    visible.getValueAtPercentile(99.9) / 1e3,
                    visible.getTotalCount());
        }
    }

    private TransactionLatency() {}
}
