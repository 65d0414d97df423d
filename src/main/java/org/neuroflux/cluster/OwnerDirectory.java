package org.neuroflux.cluster;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Which instance owns which partition, as the owners' group reports it (docs/cluster.md, "Owner
 * lookup"): any instance can answer "who runs session X" without asking the others.
 */
public final class OwnerDirectory {
    private final ClusterTopics topics;
    private final String group;

    public OwnerDirectory(String topicPrefix) {
        this.topics = ClusterTopics.withPrefix(topicPrefix);
        this.group = KafkaClients.ownersGroup(topicPrefix);
    }

    /** Partition -> owning instance id, for the partitions currently assigned (none during a rebalance). */
    public Map<Integer, String> owners(Admin admin) throws ExecutionException, TimeoutException, InterruptedException {
        ConsumerGroupDescription d = admin.describeConsumerGroups(java.util.List.of(group))
                .describedGroups()
                .get(group)
                .get(KafkaClients.ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<Integer, String> owners = new TreeMap<>();
        for (MemberDescription m : d.members()) {
            String instance = KafkaClients.ownerInstanceOf(m.clientId());
            if (instance == null) continue;
            for (TopicPartition tp : m.assignment().topicPartitions())
                if (tp.topic().equals(topics.observations())) owners.put(tp.partition(), instance);
        }
        return owners;
    }
}
