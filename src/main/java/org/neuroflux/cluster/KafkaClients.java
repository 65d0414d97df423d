package org.neuroflux.cluster;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The settings of every Kafka client an instance opens, in one place (docs/cluster.md, "Clients").
 * Keys are session ids as UTF-8 strings; values are the byte arrays of the record codecs.
 */
public final class KafkaClients {
    /** How long an admin call (probe, topic creation) may take before it counts as a failure. */
    public static final int ADMIN_TIMEOUT_MS = 5000;

    private final String bootstrapServers;
    private final String instanceId;

    public KafkaClients(String bootstrapServers, String instanceId) {
        this.bootstrapServers = bootstrapServers;
        this.instanceId = instanceId;
    }

    public String bootstrapServers() { return bootstrapServers; }

    public String instanceId() { return instanceId; }

    /** The admin client of the probe and of topic creation: short timeouts, so an absent broker is reported quickly. */
    public Map<String, Object> admin() {
        Map<String, Object> p = common("admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MS);
        p.put(AdminClientConfig.RETRIES_CONFIG, 0);
        return p;
    }

    /**
     * The producer of creates and ingests on the receiving instance: idempotent, acks=all, so a
     * client is acknowledged only once every in-sync replica has the record.
     */
    public Map<String, Object> acknowledgingProducer() {
        Map<String, Object> p = common("ingest");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /**
     * The owner's transactional producer: frames, state and consumed offsets commit together.
     * The transactional id is stable per instance; a zombie owner is fenced by the consumer
     * group's generation, which {@code sendOffsetsToTransaction} carries (exactly-once v2).
     */
    public Map<String, Object> transactionalProducer(String topicPrefix) {
        Map<String, Object> p = acknowledgingProducer();
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId("owner"));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topicPrefix + "-" + instanceId);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return p;
    }

    /**
     * A read_committed consumer: sees records of committed transactions only (and every
     * non-transactional record). {@code groupId} null: no group, partitions assigned by hand
     * (subscribers, the sessions table); otherwise the owners' group.
     */
    public Map<String, Object> committedConsumer(String purpose, String groupId) {
        Map<String, Object> p = common(purpose);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        if (groupId != null) p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        return p;
    }

    private Map<String, Object> common(String purpose) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(purpose));
        // an absent broker is retried at most every 5 s instead of flooding the log every second
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000);
        return p;
    }

    private String clientId(String purpose) { return "neuroflux-" + instanceId + "-" + purpose; }
}
