package org.neuroflux.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Utils;

/**
 * The four topics of a cluster, named from {@code cluster.topicPrefix}, and the partition of a
 * session. All four have the same partition count and are keyed by session id, so partition p of
 * each topic holds the same sessions (docs/cluster.md, "Topics").
 *
 * @param sessions     session definitions (compacted; a tombstone deletes the session)
 * @param observations acknowledged observations of client-driven sessions
 * @param signals      signal frame batches and notices, committed with the state they came from
 * @param state        each session's state at its last epoch boundary (compacted)
 */
public record ClusterTopics(String sessions, String observations, String signals, String state) {
    /** Observations wait this long for an owner (an instance down for longer loses them): 7 days. */
    static final long OBSERVATION_RETENTION_MS = 7L * 24 * 3600 * 1000;
    /** Subscribers read signals live; an hour is kept for a late reader or an investigation. */
    static final long SIGNAL_RETENTION_MS = 3600L * 1000;

    public static ClusterTopics withPrefix(String prefix) {
        return new ClusterTopics(
                prefix + ".sessions", prefix + ".observations", prefix + ".signals", prefix + ".state");
    }

    public List<String> all() {
        return List.of(sessions, observations, signals, state);
    }

    /**
     * The partition of a session in every topic: what Kafka's default partitioner picks for the
     * UTF-8 key (murmur2, positive, modulo the partition count). A subscriber's instance reads
     * only this partition of the signals topic.
     */
    public static int partitionOf(String sessionId, int partitions) {
        byte[] key = sessionId.getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /**
     * The topic-level settings each topic is created with. {@code min.insync.replicas} is 2 from
     * three replicas up, so an acknowledged write survives the loss of one broker.
     */
    public Map<String, String> configsOf(String topic, int replicationFactor) {
        String minIsr = Integer.toString(replicationFactor >= 3 ? 2 : 1);
        if (topic.equals(sessions) || topic.equals(state))
            return Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    minIsr);
        if (topic.equals(observations))
            return Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(OBSERVATION_RETENTION_MS),
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    minIsr);
        if (topic.equals(signals))
            return Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(SIGNAL_RETENTION_MS),
                    TopicConfig.SEGMENT_MS_CONFIG,
                    Long.toString(SIGNAL_RETENTION_MS / 4),
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    minIsr);
        throw new IllegalArgumentException("not a topic of this cluster: " + topic);
    }
}
