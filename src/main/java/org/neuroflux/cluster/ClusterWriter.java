package org.neuroflux.cluster;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What any instance writes for the requests it receives (docs/cluster.md, "Any instance serves any
 * session"): creates and deletes to the sessions topic, ingests to the observations topic. Each
 * future completes once every in-sync replica has the record (acks=all), and only then may the
 * client be told yes; it fails with the broker's reason otherwise. Thread-safe; never blocks the
 * caller except when the producer's buffer is full.
 */
public final class ClusterWriter implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final ClusterTopics topics;

    public ClusterWriter(KafkaClients clients, ClusterTopics topics) {
        this.producer = new KafkaProducer<>(clients.acknowledgingProducer());
        this.topics = topics;
    }

    public CompletableFuture<RecordMetadata> create(SessionDefinition definition) {
        return send(
                new ProducerRecord<>(topics.sessions(), definition.id(), SessionDefinitionCodec.encode(definition)));
    }

    /** A tombstone: the session's owner stops it, and compaction removes its definition. */
    public CompletableFuture<RecordMetadata> delete(String sessionId) {
        return send(new ProducerRecord<>(topics.sessions(), sessionId, null));
    }

    public CompletableFuture<RecordMetadata> observe(String sessionId, ObservationRecord observation) {
        return send(new ProducerRecord<>(topics.observations(), sessionId, ObservationCodec.encode(observation)));
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) acked.completeExceptionally(error);
                else acked.complete(metadata);
            });
        } catch (RuntimeException e) { // e.g. the producer is closed, or the record too large
            acked.completeExceptionally(e);
        }
        return acked;
    }

    @Override
    public void close() {
        producer.close();
    }
}
