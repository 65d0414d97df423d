package org.neuroflux.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.neuroflux.config.NeurofluxConfig.ClusterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's link to its Kafka cluster: a background thread that reaches the brokers, creates
 * the missing topics ({@link TopicBootstrap}), then keeps probing, so /health always says whether
 * the broker is reachable. It never gives up and never exits the process: while the broker is down
 * it logs every failed attempt (what, why, when the next one comes) and retries with a backoff of
 * 1, 2, 4, 8, then 15 s; a misconfiguration the broker refuses (more replicas than brokers, topics
 * with another partition count) is logged as an error and retried at the longest backoff.
 */
public final class ClusterConnector implements AutoCloseable, Supplier<Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterConnector.class);
    static final long[] BACKOFF_MS = {1000, 2000, 4000, 8000, 15000};
    /** Probe period while the broker is up. */
    static final long PROBE_INTERVAL_MS = 5000;

    private final KafkaClients clients;
    private final TopicBootstrap bootstrap;
    private final ClusterTopics topics;
    private final Thread thread;
    private final Object lock = new Object();
    private volatile BrokerStatus status;
    private volatile boolean closed;
    private boolean topicsReady;
    private Admin admin;

    private ClusterConnector(ClusterConfig config, String instanceId) {
        this.clients = new KafkaClients(config.bootstrapServers(), instanceId);
        this.topics = ClusterTopics.withPrefix(config.topicPrefix());
        this.bootstrap = new TopicBootstrap(topics, config.partitions(), config.replicationFactor());
        long now = System.currentTimeMillis();
        this.status =
                new BrokerStatus(BrokerStatus.State.CONNECTING, config.bootstrapServers(), null, 0, 0, null, now, 0);
        this.thread = new Thread(this::run, "neuroflux-kafka-connector");
        thread.setDaemon(true);
    }

    /** Starts connecting in the background; returns at once. */
    public static ClusterConnector start(ClusterConfig config, String instanceId) {
        ClusterConnector c = new ClusterConnector(config, instanceId);
        LOG.info(
                "kafka: instance {} connecting to {} (topics {})",
                instanceId,
                config.bootstrapServers(),
                c.topics.all());
        c.thread.start();
        return c;
    }

    public BrokerStatus status() {
        return status;
    }

    public ClusterTopics topics() {
        return topics;
    }

    public KafkaClients clients() {
        return clients;
    }

    /** The /health block of {@link BrokerStatus#toHealth()}. */
    @Override
    public Map<String, Object> get() {
        return status.toHealth();
    }

    /** Waits until the broker is reachable and the topics are ready; false on timeout. */
    public boolean awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (status.state() != BrokerStatus.State.UP) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
        return true;
    }

    private void run() {
        while (!closed) {
            long pause;
            try {
                probe();
                pause = PROBE_INTERVAL_MS;
            } catch (InterruptedException e) {
                break;
            } catch (Throwable t) { // never let the thread die: an unreported dead probe would be a silent failure
                pause = failed(t);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                break;
            }
        }
        closeAdmin();
    }

    private void probe() throws ExecutionException, TimeoutException, InterruptedException {
        if (admin == null) admin = Admin.create(clients.admin());
        DescribeClusterResult cluster = admin.describeCluster();
        String clusterId = cluster.clusterId().get(KafkaClients.ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Collection<Node> nodes = cluster.nodes().get(KafkaClients.ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (!topicsReady) {
            TopicBootstrap.Outcome outcome = bootstrap.ensure(admin);
            topicsReady = true;
            LOG.info(
                    "kafka: connected to cluster {} at {} ({} broker{}); topics ready (created {}, found {})",
                    clusterId,
                    clients.bootstrapServers(),
                    nodes.size(),
                    nodes.size() == 1 ? "" : "s",
                    outcome.created(),
                    outcome.existing());
        } else if (status.state() != BrokerStatus.State.UP) {
            LOG.info(
                    "kafka: cluster {} at {} reachable again ({} broker{})",
                    clusterId,
                    clients.bootstrapServers(),
                    nodes.size(),
                    nodes.size() == 1 ? "" : "s");
        }
        long now = System.currentTimeMillis();
        long since = status.state() == BrokerStatus.State.UP ? status.sinceMillis() : now;
        publish(new BrokerStatus(
                BrokerStatus.State.UP, clients.bootstrapServers(), clusterId, nodes.size(), 0, null, since, now));
    }

    private long failed(Throwable t) {
        Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
        boolean misconfigured = cause instanceof TopicBootstrap.PartitionMismatch
                || cause instanceof InvalidReplicationFactorException
                || cause instanceof PolicyViolationException
                || cause instanceof TopicAuthorizationException
                || cause instanceof ClusterAuthorizationException;
        BrokerStatus old = status;
        int failures = old.failures() + 1;
        long pause = misconfigured
                ? BACKOFF_MS[BACKOFF_MS.length - 1]
                : BACKOFF_MS[Math.min(failures, BACKOFF_MS.length) - 1];
        String why = describe(cause);
        BrokerStatus.State state = misconfigured ? BrokerStatus.State.MISCONFIGURED : BrokerStatus.State.DOWN;
        long now = System.currentTimeMillis();
        publish(new BrokerStatus(
                state,
                clients.bootstrapServers(),
                old.clusterId(),
                0,
                failures,
                why,
                old.state() == state ? old.sinceMillis() : now,
                now));
        if (misconfigured) {
            LOG.error(
                    "kafka: cluster at {} refuses the configured topics (attempt {}): {}; retrying in {} s",
                    clients.bootstrapServers(),
                    failures,
                    why,
                    pause / 1000);
        } else {
            LOG.warn(
                    "kafka: broker at {} not reachable (attempt {}: {}); retrying in {} s{}",
                    clients.bootstrapServers(),
                    failures,
                    why,
                    pause / 1000,
                    failures == 1
                            ? " (is a broker listening there? cluster.bootstrapServers, env NEUROFLUX_CLUSTER_BOOTSTRAP_SERVERS)"
                            : "");
        }
        closeAdmin(); // a fresh client next time: also re-resolves host names that did not resolve
        return pause;
    }

    private static String describe(Throwable t) {
        if (t instanceof TimeoutException) return "no answer within " + KafkaClients.ADMIN_TIMEOUT_MS + " ms";
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    private void publish(BrokerStatus s) {
        synchronized (lock) {
            status = s;
            lock.notifyAll();
        }
    }

    private void closeAdmin() {
        if (admin == null) return;
        try {
            admin.close(Duration.ofSeconds(1));
        } catch (RuntimeException e) {
            LOG.debug("kafka: closing the admin client", e);
        }
        admin = null;
    }

    /** Stops probing and closes the admin client (idempotent). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Workers.awaitStop(thread);
    }
}
