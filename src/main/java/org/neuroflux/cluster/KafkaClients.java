package org.neuroflux.cluster;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
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

    private static final String OWNER = "owner";

    private final String bootstrapServers;
    private final String instanceId;

    public KafkaClients(String bootstrapServers, String instanceId) {
        this.bootstrapServers = bootstrapServers;
        this.instanceId = instanceId;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * The admin client of the probe, topic creation and owner lookup: every call ends within
     * {@link #ADMIN_TIMEOUT_MS} (retriable errors such as a coordinator still loading are retried
     * within it), so an absent broker is reported quickly.
     */
    public Map<String, Object> admin() {
        Map<String, Object> p = common("admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ADMIN_TIMEOUT_MS);
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
        return transactionalProducer(topicPrefix, instanceId, OWNER);
    }

    /**
     * A producer under another instance's transactional id, only to initialise it: that aborts the
     * open transaction a killed owner left, at once, and fences the owner's producer (docs/cluster.md,
     * "A dead owner's open transaction").
     */
    public Map<String, Object> fencingProducer(String topicPrefix, String previousOwner) {
        return transactionalProducer(topicPrefix, previousOwner, "fence");
    }

    private Map<String, Object> transactionalProducer(String topicPrefix, String owner, String purpose) {
        Map<String, Object> p = acknowledgingProducer();
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(purpose));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(topicPrefix, owner));
        // initTransactions and sends wait at most this long for an absent broker: the owner's publisher retries
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // a killed owner's open transaction holds back read_committed readers of every partition it
        // wrote until the broker aborts it: keep that short (the new owner also fences it, docs/cluster.md)
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
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

    /** The owner producer's transaction timeout: far above a commit interval, far below the failover goal. */
    public static final int TRANSACTION_TIMEOUT_MS = 10_000;

    /**
     * The transactional id of an instance's owner producer. A new owner that finds a partition held
     * back by an open transaction fences its previous owner (named in the state records) by
     * initialising a producer with this id, which aborts that transaction at once.
     */
    public static String transactionalId(String topicPrefix, String instanceId) {
        return topicPrefix + "-" + instanceId;
    }

    /** The owners' consumer group of a cluster: its members own the sessions of their observations partitions. */
    public static String ownersGroup(String topicPrefix) {
        return topicPrefix + ".owners";
    }

    /**
     * A member of the owners' group (docs/cluster.md, "Ownership"): classic protocol with the
     * cooperative-sticky assignor, so a rebalance stops only the partitions that move; a 6 s
     * session timeout (the brokers' default minimum), so a killed member's partitions move within
     * seconds.
     */
    public Map<String, Object> ownersConsumer(String topicPrefix) {
        Map<String, Object> p = committedConsumer(OWNER, ownersGroup(topicPrefix));
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1500);
        return p;
    }

    /** The instance id behind an owners' group member's client id, or null when the client is not an owner. */
    public static String ownerInstanceOf(String clientId) {
        String prefix = "neuroflux-", suffix = "-" + OWNER;
        if (clientId == null
                || !clientId.startsWith(prefix)
                || !clientId.endsWith(suffix)
                || clientId.length() <= prefix.length() + suffix.length()) return null;
        return clientId.substring(prefix.length(), clientId.length() - suffix.length());
    }

    private Map<String, Object> common(String purpose) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId(purpose));
        // an absent broker is retried at most every 5 s instead of flooding the log every second
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5000);
        return p;
    }

    private String clientId(String purpose) {
        return "neuroflux-" + instanceId + "-" + purpose;
    }
}
