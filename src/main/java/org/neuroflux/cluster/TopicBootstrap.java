package org.neuroflux.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the cluster's topics that are missing, with the configured partitions and replication,
 * and checks that those found have the configured partition count: a different count would put a
 * session's records in different partitions of different topics (docs/cluster.md, "Topics").
 * Safe when several instances start at once: a topic another instance just created counts as found.
 */
public final class TopicBootstrap {
    /** What was done: topics created now, and those already there. */
    public record Outcome(List<String> created, List<String> existing) {}

    /** A topic that exists with another partition count than configured: not fixable by retrying. */
    public static final class PartitionMismatch extends IllegalStateException {
        public PartitionMismatch(String message) {
            super(message);
        }
    }

    private final ClusterTopics topics;
    private final int partitions;
    private final int replicationFactor;

    public TopicBootstrap(ClusterTopics topics, int partitions, int replicationFactor) {
        this.topics = topics;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /**
     * @throws PartitionMismatch when an existing topic has another partition count
     * @throws ExecutionException the broker refused (e.g. more replicas than brokers: its message says so)
     * @throws TimeoutException   no answer within {@link KafkaClients#ADMIN_TIMEOUT_MS} per call
     */
    public Outcome ensure(Admin admin) throws ExecutionException, TimeoutException, InterruptedException {
        Set<String> names = admin.listTopics().names().get(KafkaClients.ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        List<NewTopic> missing = new ArrayList<>();
        for (String t : topics.all()) {
            if (names.contains(t)) existing.add(t);
            else
                missing.add(new NewTopic(t, partitions, (short) replicationFactor)
                        .configs(topics.configsOf(t, replicationFactor)));
        }
        if (!missing.isEmpty()) {
            CreateTopicsResult result = admin.createTopics(missing);
            for (Map.Entry<String, KafkaFuture<Void>> e : new TreeMap<>(result.values()).entrySet()) {
                try {
                    e.getValue().get(KafkaClients.ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    created.add(e.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) throw ex;
                    existing.add(e.getKey()); // another instance created it meanwhile
                }
            }
        }
        if (!existing.isEmpty()) checkPartitions(admin, existing);
        return new Outcome(List.copyOf(created), List.copyOf(existing));
    }

    /** Topics created just now have the configured count; those found (perhaps created by another instance a moment ago) are checked. */
    private void checkPartitions(Admin admin, List<String> found)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<String, TopicDescription> described = describe(admin, found);
        List<String> wrong = new ArrayList<>();
        for (String t : found) {
            int count = described.get(t).partitions().size();
            if (count != partitions) wrong.add(t + " has " + count);
        }
        if (!wrong.isEmpty())
            throw new PartitionMismatch("topics exist with another partition count than cluster.partitions = "
                    + partitions + ": " + String.join(", ", wrong)
                    + "; set cluster.partitions to theirs or use another cluster.topicPrefix");
    }

    /** A topic another instance has just created may not be in every broker's metadata yet: ask again for up to 5 s. */
    private static Map<String, TopicDescription> describe(Admin admin, List<String> names)
            throws ExecutionException, TimeoutException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return admin.describeTopics(names)
                        .allTopicNames()
                        .get(KafkaClients.ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 25) throw e;
                Thread.sleep(200);
            }
        }
    }
}
