package org.neuroflux.cluster;

import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A member of the owners' group in its own JVM, for OwnershipTest: prints every change of its
 * partitions ("assigned [..]", "revoked [..]") on standard output and leaves the group on SIGTERM.
 * Arguments: bootstrap servers, topic prefix, instance id.
 */
public final class OwnershipMemberMain {
    public static void main(String[] args) throws InterruptedException {
        PartitionOwnership member =
                PartitionOwnership.join(new KafkaClients(args[0], args[2]), args[1], new PartitionOwnership.Listener() {
                    @Override
                    public void assigned(Set<Integer> partitions) {
                        System.out.println("assigned " + partitions);
                    }

                    @Override
                    public void revoked(Set<Integer> partitions, boolean lost) {
                        System.out.println((lost ? "lost " : "revoked ") + partitions);
                    }
                });
        System.out.println("joining");
        Runtime.getRuntime().addShutdownHook(new Thread(member::close));
        new CountDownLatch(1).await();
    }
}
