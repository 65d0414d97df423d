package org.neuroflux.transport;

import java.util.concurrent.CompletableFuture;
import org.neuroflux.pipeline.Observation;
import org.neuroflux.pipeline.Session;

/**
 * What the routes ask of the cluster layer in cluster mode kafka (docs/cluster.md, "Any instance
 * serves any session"); absent in standalone mode, where every session is local. Implemented
 * outside transport and handed in by the composition root, so transport sees no Kafka type.
 * Every method returns at once: futures complete on the cluster layer's threads.
 */
public interface ClusterRouting {
    /** This instance's id in the cluster. */
    String instanceId();

    /**
     * Writes the definition of a validated create; completes once the broker acknowledged it, and
     * fails with the broker's reason otherwise.
     *
     * @param requestJson the create request as accepted, with its seed resolved
     */
    CompletableFuture<?> create(String sessionId, String requestJson);

    /** Writes the deletion of a session; null when the cluster knows no such session. */
    CompletableFuture<?> delete(String sessionId);

    /** Every session of the cluster, by id. */
    java.util.List<String> sessionIds();

    /** The instance that runs the session, or null when not known (no such session, or a rebalance). */
    String owner(String sessionId);

    /**
     * A relay of a session that runs on another instance: its subscribers are fed from the signals
     * topic, and its decoder checks observations. Null when the cluster knows no such session.
     */
    Session remote(String sessionId);

    /** The /health block {@code cluster}: this instance's id, partitions, sessions and relays. */
    java.util.Map<String, Object> health();

    /** Writes an observation of a session run elsewhere; completes with its offset once the broker has it. */
    CompletableFuture<Long> observe(String sessionId, Observation observation);
}
