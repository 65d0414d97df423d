package org.neuroflux.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.neuroflux.config.NeurofluxConfig.ClusterConfig;
import org.neuroflux.pipeline.BadRequestException;
import org.neuroflux.pipeline.Observation;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SessionRequests;
import org.neuroflux.pipeline.SessionSpec;
import org.neuroflux.transport.ClusterRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's part in the cluster (docs/cluster.md, "What is built"): it runs the sessions of
 * the partitions the owners' group gives it, and serves every other session through Kafka.
 *
 * <ul>
 *   <li>Ownership: a session runs here while its partition is this instance's and its definition
 *       is in the {@link SessionsTable}; it is built from the definition (same request, same seed)
 *       and stopped when the partition is revoked or lost, or the session deleted. A session
 *       started because its partition moved here begins with a resumed notice: it starts again
 *       from its definition (sequence 0); resuming from durable state is a later step.
 *   <li>Frames: every owned session's frames go to the signals topic ({@link FramePublisher});
 *       subscribers here to sessions run elsewhere are fed from it ({@link SignalRelay}).
 *   <li>Observations: those received for sessions run elsewhere are written to the observations
 *       topic and acknowledged once the broker has them; the owner reads its partitions and hands
 *       each to its session, holding back (in order) those that find the session's queue full.
 * </ul>
 */
public final class ClusterNode implements ClusterRouting, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MOVED = "session moved to another instance";

    private final String instanceId;
    private final ClusterConfig config;
    private final ClusterConnector connector;
    private final SessionRegistry registry;
    private final SessionRequests requests;
    private final ClusterTopics topics;
    private final ClusterWriter writer;
    private final FramePublisher frames;
    private final SignalRelay relay;
    private final OwnerDirectory directory;
    private final ScheduledExecutorService timer;
    /** Sessions run here for the cluster: id -> partition. */
    private final Map<String, Integer> owned = new ConcurrentHashMap<>();
    /** Observations read for a session whose queue was full, in order, offered again by the timer. */
    private final Map<String, ArrayDeque<Observation>> held = new ConcurrentHashMap<>();

    private final AtomicLong unknownObservations = new AtomicLong();
    private final SessionsTable table;
    private final PartitionOwnership ownership;
    private volatile Map<Integer, String> owners = Map.of();
    private Admin admin; // the timer's only

    private ClusterNode(
            ClusterConfig config,
            ClusterConnector connector,
            SessionRegistry registry,
            SessionRequests requests,
            String instanceId) {
        this.config = config;
        this.connector = connector;
        this.registry = registry;
        this.requests = requests;
        this.instanceId = instanceId;
        this.topics = connector.topics();
        KafkaClients clients = connector.clients();
        this.writer = new ClusterWriter(clients, topics);
        this.frames = new FramePublisher(clients, topics);
        this.relay = new SignalRelay(clients, topics, config.partitions());
        this.directory = new OwnerDirectory(config.topicPrefix());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "neuroflux-kafka-node");
            t.setDaemon(true);
            return t;
        });
        this.table = SessionsTable.start(clients, topics, new SessionsTable.Listener() {
            @Override
            public void created(SessionDefinition definition) {
                onDefinition(definition);
            }

            @Override
            public void deleted(String sessionId) {
                onDeleted(sessionId);
            }
        });
        this.ownership = PartitionOwnership.consume(clients, config.topicPrefix(), new PartitionOwnership.Listener() {
            @Override
            public void assigned(Set<Integer> partitions) {
                onAssigned(partitions);
            }

            @Override
            public void revoked(Set<Integer> partitions, boolean lost) {
                onRevoked(partitions, lost);
            }

            @Override
            public void observations(ConsumerRecords<String, byte[]> records) {
                onObservations(records);
            }
        });
        timer.scheduleWithFixedDelay(this::offerHeld, 50, 50, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::refreshOwners, 0, 2, TimeUnit.SECONDS);
    }

    /**
     * Joins the cluster: reads the sessions table, joins the owners' group, publishes and relays
     * frames. Returns at once; everything waits for the broker in the background.
     */
    public static ClusterNode start(
            ClusterConfig config,
            ClusterConnector connector,
            SessionRegistry registry,
            SessionRequests requests,
            String instanceId) {
        return new ClusterNode(config, connector, registry, requests, instanceId);
    }

    // --- ClusterRouting: what the routes ask -----------------------------------------------------

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public CompletableFuture<?> create(String sessionId, String requestJson) {
        return writer.create(new SessionDefinition(
                sessionId, requestJson, seedOf(requestJson), System.currentTimeMillis(), instanceId));
    }

    @Override
    public CompletableFuture<?> delete(String sessionId) {
        if (table.get(sessionId).isEmpty()) return null;
        return writer.delete(sessionId);
    }

    @Override
    public java.util.List<String> sessionIds() {
        return table.all().stream().map(SessionDefinition::id).sorted().toList();
    }

    @Override
    public String owner(String sessionId) {
        if (owned.containsKey(sessionId)) return instanceId;
        if (table.get(sessionId).isEmpty()) return null;
        return owners.get(ClusterTopics.partitionOf(sessionId, config.partitions()));
    }

    @Override
    public Session remote(String sessionId) {
        if (sessionId == null || table.get(sessionId).isEmpty()) return null;
        return relay.relay(sessionId, id -> {
            SessionSpec spec = specOf(table.get(id).orElse(null));
            return spec == null ? null : registry.relay(id, spec);
        });
    }

    @Override
    public CompletableFuture<Long> observe(String sessionId, Observation o) {
        if (connector.status().state() != BrokerStatus.State.UP)
            return CompletableFuture.failedFuture(
                    new IllegalStateException("broker " + connector.clients().bootstrapServers() + " is "
                            + connector.status().state()));
        return writer.observe(
                        sessionId,
                        new ObservationRecord(System.currentTimeMillis() * 1000, o.indices(), o.probabilities()))
                .thenApply(m -> m.offset());
    }

    // --- ownership -------------------------------------------------------------------------------

    private int partitionOf(String sessionId) {
        return ClusterTopics.partitionOf(sessionId, config.partitions());
    }

    private void onDefinition(SessionDefinition d) {
        // while the table catches up, definitions are of sessions that ran before: a restart
        if (ownership != null && ownership.owned().contains(partitionOf(d.id()))) start(d, !table.caughtUp());
    }

    private void onDeleted(String sessionId) {
        relay.close(sessionId);
        stop(sessionId, "session deleted");
    }

    private void onAssigned(Set<Integer> partitions) {
        for (SessionDefinition d : table.all()) if (partitions.contains(partitionOf(d.id()))) start(d, true);
    }

    private void onRevoked(Set<Integer> partitions, boolean lost) {
        for (Map.Entry<String, Integer> e : owned.entrySet())
            if (partitions.contains(e.getValue())) stop(e.getKey(), MOVED);
        LOG.info(
                "kafka: partitions {} {}: their sessions stopped here; now running {} sessions",
                partitions,
                lost ? "lost" : "revoked",
                owned.size());
    }

    private synchronized void start(SessionDefinition d, boolean resumed) {
        if (owned.containsKey(d.id()) || registry.get(d.id()) != null) return;
        SessionSpec spec = specOf(d);
        if (spec == null) return;
        // the notice leaves before any frame: same producer, same partition
        if (resumed) frames.resumed(d.id(), instanceId, 0);
        Session s;
        try {
            s = registry.create(spec, d.id());
        } catch (RuntimeException e) { // the session limit, or shutdown
            LOG.error(
                    "kafka: session {} of partition {} not started here: {}",
                    d.id(),
                    partitionOf(d.id()),
                    e.getMessage());
            return;
        }
        owned.put(d.id(), partitionOf(d.id()));
        frames.add(s);
        s.onClose().subscribe(null, e -> {}, () -> closed(s));
        LOG.info("kafka: running session {} (partition {}{})", d.id(), partitionOf(d.id()), resumed ? ", resumed" : "");
    }

    private synchronized void stop(String sessionId, String reason) {
        if (owned.remove(sessionId) == null) return;
        frames.remove(sessionId);
        held.remove(sessionId);
        registry.delete(sessionId, reason);
    }

    /**
     * A session ended here. Ended by this node: nothing more to do. Reaped for idleness by the
     * registry: the deletion is written, so the whole cluster forgets it.
     */
    private void closed(Session s) {
        if (!owned.remove(s.id(), partitionOf(s.id()))) return;
        frames.remove(s.id());
        held.remove(s.id());
        if (s.closeReason().equals("idle timeout")) writer.delete(s.id());
    }

    private SessionSpec specOf(SessionDefinition d) {
        if (d == null) return null;
        try {
            return requests.parse(JSON.readTree(d.requestJson()));
        } catch (BadRequestException e) {
            LOG.error("kafka: session {} cannot be built here: {}", d.id(), e.problems());
        } catch (IOException | RuntimeException e) {
            LOG.error("kafka: session {} cannot be built here: {}", d.id(), e.toString());
        }
        return null;
    }

    private static long seedOf(String requestJson) {
        try {
            return JSON.readTree(requestJson).path("seed").asLong();
        } catch (IOException e) {
            throw new IllegalArgumentException("request is not JSON: " + e.getMessage(), e);
        }
    }

    // --- observations ----------------------------------------------------------------------------

    private void onObservations(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            ObservationRecord o;
            try {
                o = ObservationCodec.decode(r.value());
            } catch (RecordFormatException e) {
                unknownObservations.incrementAndGet();
                LOG.warn(
                        "kafka: observation of session {} at offset {} skipped: {}",
                        r.key(),
                        r.offset(),
                        e.getMessage());
                continue;
            }
            Observation observation = new Observation(o.indices(), o.probabilities());
            synchronized (held) {
                ArrayDeque<Observation> waiting = held.get(r.key());
                if (waiting != null) {
                    waiting.add(observation); // keep the order behind those already held
                    continue;
                }
                Session s = r.key() == null ? null : registry.get(r.key());
                if (s == null || !owned.containsKey(r.key())) {
                    long n = unknownObservations.incrementAndGet();
                    if (n == 1 || Long.bitCount(n) == 1)
                        LOG.warn(
                                "kafka: observation for session {} not running here (deleted, or not built): skipped ({} so far)",
                                r.key(),
                                n);
                    continue;
                }
                if (s.offer(observation) == null)
                    held.computeIfAbsent(r.key(), k -> new ArrayDeque<>()).add(observation);
            }
        }
    }

    private void offerHeld() {
        try {
            offerHeldNow();
        } catch (RuntimeException e) { // a scheduled task that throws is never run again: say so, go on
            LOG.error("kafka: offering held observations failed", e);
        }
    }

    private void offerHeldNow() {
        synchronized (held) {
            for (Map.Entry<String, ArrayDeque<Observation>> e : held.entrySet()) {
                Session s = registry.get(e.getKey());
                ArrayDeque<Observation> q = e.getValue();
                if (s == null) {
                    held.remove(e.getKey());
                    continue;
                }
                while (!q.isEmpty() && s.offer(q.peek()) != null) q.poll();
                if (q.isEmpty()) held.remove(e.getKey());
            }
        }
    }

    private void refreshOwners() {
        try {
            if (admin == null) admin = Admin.create(connector.clients().admin());
            owners = directory.owners(admin);
        } catch (Exception e) {
            LOG.debug("kafka: owner lookup failed: {}", e.toString());
            if (admin != null) admin.close(java.time.Duration.ofSeconds(1));
            admin = null;
        }
    }

    @Override
    public Map<String, Object> health() {
        Map<String, Object> h = new java.util.LinkedHashMap<>();
        h.put("instanceId", instanceId);
        h.put("ownedPartitions", new java.util.TreeSet<>(ownership.owned()));
        h.put("ownedSessions", owned.size());
        h.put("knownSessions", table.size());
        h.put("relayedSessions", relay.size());
        h.put("signalBatchesPublished", frames.publishedBatches());
        h.put("signalBatchesFailed", frames.failedBatches());
        h.put("observationsSkipped", unknownObservations.get());
        h.put("corruptRecords", table.corruptRecords() + relay.corruptRecords());
        return h;
    }

    /** Sessions run here for the cluster. */
    public int ownedSessions() {
        return owned.size();
    }

    /** Leaves the group first (the partitions move at once), then stops reading and writing. */
    @Override
    public void close() {
        ownership.close();
        relay.close();
        table.close();
        frames.close();
        writer.close();
        timer.shutdownNow();
        if (admin != null) admin.close(java.time.Duration.ofSeconds(1));
    }
}
