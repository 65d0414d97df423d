package org.neuroflux.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An instance's id in the cluster: {@code cluster.instanceId}, or by default the host name and the port. */
public final class InstanceIds {
    private InstanceIds() {}

    /**
     * @param configured {@code cluster.instanceId} (empty: derive it)
     * @param port       the port the server listens on
     */
    public static String resolve(String configured, int port) {
        if (configured != null && !configured.isEmpty()) return configured;
        return sanitise(hostName()) + "-" + port;
    }

    /** Kafka client and transactional ids take A-Z a-z 0-9 . _ -; anything else becomes '_'. */
    static String sanitise(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() ? "localhost" : s;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
