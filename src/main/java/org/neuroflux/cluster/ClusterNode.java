package org.neuroflux.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
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
import org.neuroflux.metrics.ClusterMetrics;
import org.neuroflux.pipeline.BadRequestException;
import org.neuroflux.pipeline.Observation;
import org.neuroflux.pipeline.Session;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SessionRequests;
import org.neuroflux.pipeline.SessionSnapshot;
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
 *       and stopped when the partition is revoked or lost, or the session deleted. A session whose
 *       partition moved here resumes where its last committed state was taken, after a resumed
 *       notice; a departed previous owner is fenced first.
 *   <li>Output: every owned session's frames, and its state at each epoch boundary, leave in one
 *       transaction per commit interval ({@link FramePublisher}); subscribers here to sessions run
 *       elsewhere are fed from the signals topic ({@link SignalRelay}).
 *   <li>Observations: every one received here is written to the observations topic and
 *       acknowledged once the broker has it; the owner reads its partitions and hands each to its
 *       session in order, skips those a restored state already covers, and lets the group commit
 *       an offset only once committed states cover every observation before it.
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
    /** Sessions run here for the cluster, with the offsets of the observations handed to them. */
    private final Map<String, SessionOffsets> owned = new ConcurrentHashMap<>();
    /** The observation offsets of each owned partition, read and not yet covered by a committed state. */
    private final Map<Integer, PartitionOffsets> offsets = new HashMap<>();
    /** States read when a partition was assigned, until their sessions start. */
    private final Map<Integer, Map<String, StateRecord>> restored = new ConcurrentHashMap<>();
    /** The last instance seen owning each partition: the one to fence if it died with a transaction open. */
    private final Map<Integer, String> lastOwners = new ConcurrentHashMap<>();

    private final StateRestore restore;
    private final ClusterMetrics meters;
    private final AtomicLong observationsReapplied = new AtomicLong();
    private final AtomicLong sessionsResumed = new AtomicLong();
    private final AtomicLong statesUnreadable = new AtomicLong();
    private final AtomicLong fenced = new AtomicLong();
    private Admin memberAdmin; // the ownership thread's: who is a member of the owners' group now
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
            String instanceId,
            ClusterMetrics meters) {
        this.config = config;
        this.connector = connector;
        this.registry = registry;
        this.requests = requests;
        this.instanceId = instanceId;
        this.topics = connector.topics();
        KafkaClients clients = connector.clients();
        this.writer = new ClusterWriter(clients, topics);
        this.meters = meters;
        this.frames = new FramePublisher(clients, topics, config.topicPrefix(), this::stateCommitted, meters);
        this.restore = new StateRestore(clients, topics);
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

            @Override
            public Map<Integer, Long> committable() {
                return committableOffsets();
            }

            @Override
            public void handingOver(Set<Integer> partitions) {
                onHandingOver(partitions);
            }
        });
        timer.scheduleWithFixedDelay(this::offerHeld, 50, 50, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::refreshOwners, 0, 2, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(
                () -> {
                    meters.sessionsOwned(owned.size());
                    meters.consumerLag(ownership.lag());
                },
                1,
                1,
                TimeUnit.SECONDS);
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
            String instanceId,
            ClusterMetrics meters) {
        return new ClusterNode(config, connector, registry, requests, instanceId, meters);
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
        int p = partitionOf(d.id());
        if (ownership != null && ownership.owned().contains(p) && restored.containsKey(p)) start(d, !table.caughtUp());
    }

    private void onDeleted(String sessionId) {
        relay.close(sessionId);
        stop(sessionId, "session deleted", true);
    }

    /**
     * Partitions assigned (on the member's thread, inside its poll): read their committed states,
     * fence a previous owner that left the group with a transaction open, then start their sessions
     * where those states were taken.
     */
    private void onAssigned(Set<Integer> partitions) {
        meters.rebalance("assigned");
        try {
            if (!table.awaitCaughtUp(java.time.Duration.ofSeconds(10)))
                LOG.warn("kafka: the sessions table has not caught up; starting the sessions known so far");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Set<String> previous = new java.util.TreeSet<>();
        Map<Integer, Map<String, StateRecord>> read;
        long t0 = System.nanoTime();
        try {
            read = restore.read(partitions, java.time.Duration.ofSeconds(15));
            LOG.info(
                    "kafka: read the states of partitions {} in {} ms",
                    partitions,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.error(
                    "kafka: the states of partitions {} could not be read ({}); their sessions start from their definitions",
                    partitions,
                    e.toString());
            read = Map.of();
        }
        for (int p : partitions) {
            Map<String, StateRecord> states = read.getOrDefault(p, Map.of());
            for (StateRecord r : states.values()) previous.add(r.owner());
            String last = lastOwners.get(p);
            if (last != null) previous.add(last);
            restored.put(p, new ConcurrentHashMap<>(states));
        }
        previous.remove(instanceId);
        fenceDeparted(previous);
        for (SessionDefinition d : table.all()) if (partitions.contains(partitionOf(d.id()))) start(d, true);
    }

    /**
     * Fences the previous owners that are no longer members of the owners' group: initialising a
     * producer with such an owner's transactional id aborts the transaction it left open, which
     * would otherwise hold back every read_committed reader of its partitions for up to the
     * transaction timeout (docs/cluster.md, "A dead owner's open transaction").
     */
    private void fenceDeparted(Set<String> previous) {
        if (previous.isEmpty()) return;
        Set<String> members;
        try {
            if (memberAdmin == null)
                memberAdmin = Admin.create(connector.clients().admin());
            members = new java.util.HashSet<>(directory.owners(memberAdmin).values());
        } catch (Exception e) {
            LOG.warn("kafka: the owners' group could not be described ({}); not fencing {}", e.toString(), previous);
            return;
        }
        for (String owner : previous) {
            if (members.contains(owner)) continue; // alive: it committed before letting go
            long t0 = System.nanoTime();
            try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> p =
                    new org.apache.kafka.clients.producer.KafkaProducer<>(
                            connector.clients().fencingProducer(config.topicPrefix(), owner))) {
                p.initTransactions();
                fenced.incrementAndGet();
                LOG.info(
                        "kafka: fenced departed owner {} (its open transaction aborted) in {} ms",
                        owner,
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (RuntimeException e) {
                LOG.warn("kafka: fencing departed owner {} failed: {}", owner, e.toString());
            }
        }
    }

    /** Partitions revoked in a rebalance: their sessions stop here and their last output commits before they move. */
    private void onHandingOver(Set<Integer> partitions) {
        for (Map.Entry<String, SessionOffsets> e : owned.entrySet())
            if (partitions.contains(e.getValue().partition())) stop(e.getKey(), MOVED, false);
        if (!frames.awaitCommit(java.time.Duration.ofSeconds(5)))
            LOG.warn(
                    "kafka: the last output of partitions {} was not committed within 5 s before they moved",
                    partitions);
    }

    private void onRevoked(Set<Integer> partitions, boolean lost) {
        meters.rebalance(lost ? "lost" : "revoked");
        for (Map.Entry<String, SessionOffsets> e : owned.entrySet())
            if (partitions.contains(e.getValue().partition())) stop(e.getKey(), MOVED, false);
        synchronized (offsets) {
            offsets.keySet().removeAll(partitions);
        }
        restored.keySet().removeAll(partitions);
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
        int partition = partitionOf(d.id());
        Map<String, StateRecord> states = restored.get(partition);
        StateRecord state = states == null ? null : states.remove(d.id());
        SessionSnapshot snapshot = null;
        if (state != null) {
            try {
                snapshot = SessionSnapshot.decode(state.engine());
            } catch (SessionSnapshot.FormatException e) {
                statesUnreadable.incrementAndGet();
                LOG.error(
                        "kafka: the state of session {} is unreadable ({}); it starts from its definition",
                        d.id(),
                        e.getMessage());
            }
        }
        Session s = null;
        for (int attempt = 0; s == null && attempt < 2; attempt++) {
            SessionSnapshot from = snapshot;
            SessionOffsets o = from == null
                    ? new SessionOffsets(partition, 0, 0)
                    : new SessionOffsets(partition, from.observationsApplied(), state.lastObservationOffset());
            owned.put(d.id(), o); // before the session runs: its first epoch's listener finds it
            boolean notice = resumed || from != null;
            try {
                s = registry.create(spec, d.id(), from, session -> {
                    frames.add(session, notice, from == null ? 0 : from.nextSequence());
                    session.onEpochEnded(this::epochEnded);
                });
            } catch (SessionSnapshot.FormatException e) { // the state does not fit the definition
                owned.remove(d.id());
                statesUnreadable.incrementAndGet();
                LOG.error(
                        "kafka: the state of session {} does not fit its definition ({}); it starts from its definition",
                        d.id(),
                        e.getMessage());
                snapshot = null;
            } catch (RuntimeException e) { // the session limit, or shutdown
                owned.remove(d.id());
                LOG.error("kafka: session {} of partition {} not started here: {}", d.id(), partition, e.getMessage());
                return;
            }
        }
        if (s == null) return;
        Session started = s;
        s.onClose().subscribe(null, e -> {}, () -> closed(started));
        if (snapshot != null) sessionsResumed.incrementAndGet();
        LOG.info(
                "kafka: running session {} (partition {}{})",
                d.id(),
                partition,
                snapshot != null
                        ? ", resumed at seq " + snapshot.nextSequence() + " from the state of " + state.owner()
                        : resumed ? ", restarted from its definition" : "");
    }

    /** At an epoch boundary (on the session's emitting thread): its state, behind the epoch's frames. */
    private void epochEnded(Session session, SessionSnapshot snapshot) {
        SessionOffsets o = owned.get(session.id());
        if (o != null) frames.state(session.id(), snapshot, o.lastOffsetAt(snapshot.observationsApplied()));
    }

    /** A state committed (on the publisher's thread): the observations it covers need never be read again. */
    private void stateCommitted(String sessionId, StateRecord state, long observationsApplied) {
        SessionOffsets o = owned.get(sessionId);
        if (o == null) return;
        for (long offset : o.committed(observationsApplied, state.lastObservationOffset()))
            applied(o.partition(), offset);
    }

    private void applied(int partition, long offset) {
        synchronized (offsets) {
            PartitionOffsets po = offsets.get(partition);
            if (po == null) return;
            try {
                po.applied(offset);
            } catch (IllegalStateException e) {
                LOG.debug("kafka: {}", e.getMessage());
            }
        }
    }

    private Map<Integer, Long> committableOffsets() {
        Map<Integer, Long> c = new HashMap<>();
        synchronized (offsets) {
            for (Map.Entry<Integer, PartitionOffsets> e : offsets.entrySet())
                c.put(e.getKey(), e.getValue().committable());
        }
        return c;
    }

    /**
     * Stops a session run here. {@code deleted}: it is gone from the cluster, so its pending
     * observations will never be applied (they no longer hold the partition's offset back) and its
     * state is removed.
     */
    private synchronized void stop(String sessionId, String reason, boolean deleted) {
        SessionOffsets o = owned.remove(sessionId);
        if (o == null) return;
        if (deleted) {
            frames.deleted(sessionId);
            release(o);
        } else frames.remove(sessionId);
        held.remove(sessionId);
        registry.delete(sessionId, reason);
    }

    private void release(SessionOffsets o) {
        for (long offset : o.release()) applied(o.partition(), offset);
    }

    /**
     * A session ended here. Ended by this node: nothing more to do. Reaped for idleness by the
     * registry: the deletion is written, so the whole cluster forgets it.
     */
    private void closed(Session s) {
        SessionOffsets o = owned.get(s.id());
        if (o == null || !owned.remove(s.id(), o)) return;
        held.remove(s.id());
        if (!s.closeReason()
                .equals("idle timeout")) { // shutdown: its state and pending observations stay for the next owner
            frames.remove(s.id());
            return;
        }
        frames.deleted(s.id());
        release(o);
        writer.delete(s.id());
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
            PartitionOffsets po;
            synchronized (offsets) {
                po = offsets.computeIfAbsent(r.partition(), k -> new PartitionOffsets(r.offset()));
            }
            ObservationRecord o;
            try {
                o = ObservationCodec.decode(r.value());
            } catch (RecordFormatException e) {
                passed(po, r.offset());
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
                SessionOffsets owner = r.key() == null ? null : owned.get(r.key());
                Session s = r.key() == null ? null : registry.get(r.key());
                if (s == null || owner == null) {
                    passed(po, r.offset());
                    long n = unknownObservations.incrementAndGet();
                    if (n == 1 || Long.bitCount(n) == 1)
                        LOG.warn(
                                "kafka: observation for session {} not running here (deleted, or not built): skipped ({} so far)",
                                r.key(),
                                n);
                    continue;
                }
                if (!owner.handOver(r.offset())) { // its restored state has it: not again
                    passed(po, r.offset());
                    observationsReapplied.incrementAndGet();
                    continue;
                }
                synchronized (offsets) {
                    po.pending(r.offset());
                }
                ArrayDeque<Observation> waiting = held.get(r.key());
                if (waiting != null) {
                    waiting.add(observation); // keep the order behind those already held
                    continue;
                }
                if (s.offer(observation) == null)
                    held.computeIfAbsent(r.key(), k -> new ArrayDeque<>()).add(observation);
            }
        }
    }

    private void passed(PartitionOffsets po, long offset) {
        synchronized (offsets) {
            po.passed(offset);
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
            lastOwners.putAll(owners);
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
        h.put("observationsNotReapplied", observationsReapplied.get());
        h.put("sessionsResumed", sessionsResumed.get());
        h.put("statesUnreadable", statesUnreadable.get());
        h.put("ownersFenced", fenced.get());
        h.put("transactionsCommitted", frames.commits());
        h.put("transactionsAborted", frames.abortedTransactions());
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
        if (memberAdmin != null) memberAdmin.close(java.time.Duration.ofSeconds(1));
    }
}
