package org.neuroflux.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an instance last learnt about its Kafka cluster, as /health reports it.
 *
 * @param state            CONNECTING (no answer yet), UP (reachable, topics ready), DOWN (unreachable or
 *                         refusing), MISCONFIGURED (reachable, but the topics cannot be as configured)
 * @param bootstrapServers the configured brokers
 * @param clusterId        the cluster's id once reached, else null
 * @param brokers          brokers the cluster reported at the last successful probe, else 0
 * @param failures         consecutive failed probes (0 when UP)
 * @param error            why the last probe failed, or null
 * @param sinceMillis      when the current state began (Unix ms)
 * @param checkedAtMillis  when the last probe ended (Unix ms), 0 before the first
 */
public record BrokerStatus(
        State state,
        String bootstrapServers,
        String clusterId,
        int brokers,
        int failures,
        String error,
        long sinceMillis,
        long checkedAtMillis) {
    public enum State {
        CONNECTING,
        UP,
        DOWN,
        MISCONFIGURED
    }

    public boolean reachable() {
        return state == State.UP;
    }

    /** The /health block: {@code {"reachable": true, "state": "UP", ...}}. */
    public Map<String, Object> toHealth() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("reachable", reachable());
        h.put("state", state.name());
        h.put("bootstrapServers", bootstrapServers);
        if (clusterId != null) h.put("clusterId", clusterId);
        h.put("brokers", brokers);
        h.put("failures", failures);
        if (error != null) h.put("error", error);
        h.put("sinceMillis", sinceMillis);
        h.put("checkedAtMillis", checkedAtMillis);
        return h;
    }
}
