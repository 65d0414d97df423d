package org.neuroflux.pipeline;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.neuroflux.metrics.MetricsSettings;
import org.neuroflux.metrics.ServiceMetrics;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * The live sessions: creation within the session limit, lookup, deletion, the idle reaper, and
 * closing everything at shutdown. Thread-safe.
 */
public final class SessionRegistry {
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final SecureRandom ids = new SecureRandom();
    private final Scheduler scheduler;
    private final SessionClock clock;
    private final ServerStats stats = new ServerStats();
    private final PacingClock pacer;
    private final Cohorts cohorts;
    private final long stallBudgetNanos;
    private final int maxSessions;
    private final int maxSubscribersPerSession;
    private final int ingestQueue;
    private final long idleTimeoutNanos;
    private final ServiceMetrics metrics;
    private volatile Disposable reaper;
    private volatile boolean accepting = true;

    /** A registry whose meters go to a private registry nobody scrapes (tests of pacing and the like). */
    public SessionRegistry(
            Scheduler scheduler,
            SessionClock clock,
            int maxSessions,
            int maxSubscribersPerSession,
            int ingestQueue,
            Duration idleTimeout) {
        this(
                scheduler,
                clock,
                maxSessions,
                maxSubscribersPerSession,
                ingestQueue,
                idleTimeout,
                DEFAULT_LOSSLESS_STALL,
                new ServiceMetrics(new SimpleMeterRegistry(), MetricsSettings.DEFAULTS),
                BatchingSettings.DEFAULT);
    }

    /** The default of backpressure.losslessStallMs. */
    public static final Duration DEFAULT_LOSSLESS_STALL = Duration.ofMillis(2000);

    /**
     * @param scheduler     where sessions tick and compute (Schedulers.parallel() in production)
     * @param idleTimeout   delete unpinned sessions idle this long; zero = never
     * @param losslessStall longest a lossless subscriber may hold its session back before it is closed
     * @param metrics       the service's meters (sessions record into them)
     */
    public SessionRegistry(
            Scheduler scheduler,
            SessionClock clock,
            int maxSessions,
            int maxSubscribersPerSession,
            int ingestQueue,
            Duration idleTimeout,
            Duration losslessStall,
            ServiceMetrics metrics) {
        this(
                scheduler,
                clock,
                maxSessions,
                maxSubscribersPerSession,
                ingestQueue,
                idleTimeout,
                losslessStall,
                metrics,
                BatchingSettings.DEFAULT);
    }

    /** @param batching how real-time generative sessions of one model are stepped together */
    public SessionRegistry(
            Scheduler scheduler,
            SessionClock clock,
            int maxSessions,
            int maxSubscribersPerSession,
            int ingestQueue,
            Duration idleTimeout,
            Duration losslessStall,
            ServiceMetrics metrics,
            BatchingSettings batching) {
        this.stallBudgetNanos = losslessStall.toNanos();
        this.pacer = new PacingClock(scheduler, clock, stats, metrics);
        this.cohorts = new Cohorts(pacer, clock, batching);
        this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
        this.scheduler = scheduler;
        this.clock = clock;
        this.maxSessions = maxSessions;
        this.maxSubscribersPerSession = maxSubscribersPerSession;
        this.ingestQueue = ingestQueue;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        if (!idleTimeout.isZero()) {
            Duration every = Duration.ofMillis(Math.max(100, Math.min(10_000, idleTimeout.toMillis() / 4)));
            reaper = Flux.interval(every, every, scheduler).onBackpressureDrop().subscribe(t -> reapIdle());
        }
    }

    /** Creates and starts a session. */
    public Session create(SessionSpec spec) {
        return create(spec, null);
    }

    /**
     * Creates and starts a session under a given id (cluster mode: the id a definition record
     * carries, docs/cluster.md), or under a new random id when {@code givenId} is null.
     *
     * @param givenId 16 lower-case hexadecimal digits (the binary frames' 64-bit key), or null
     */
    public Session create(SessionSpec spec, String givenId) {
        return create(spec, givenId, null, null);
    }

    /**
     * As {@link #create(SessionSpec, String)}, for the cluster's owner (docs/cluster.md): the
     * session is first put where {@code resumeFrom} was taken (null: from its start), then handed
     * to {@code prepare} (or null) before it starts: to set its {@link Session#onEpochEnded} listener
     * and tap its frames from the first.
     *
     * @throws SessionSnapshot.FormatException when the snapshot does not fit the definition; nothing is started
     */
    public Session create(
            SessionSpec spec,
            String givenId,
            SessionSnapshot resumeFrom,
            java.util.function.Consumer<Session> prepare) {
        if (givenId != null && !isId(givenId))
            throw new IllegalArgumentException("session id must be 16 hexadecimal digits, was " + givenId);
        if (givenId != null && sessions.containsKey(givenId))
            throw new IllegalStateException("session " + givenId + " already runs here");
        if (!accepting) throw new SessionLimitException("server is shutting down");
        if (reserved.incrementAndGet() > maxSessions) {
            reserved.decrementAndGet();
            throw new SessionLimitException("session limit reached (" + maxSessions + ")");
        }
        try {
            String id = givenId;
            long key;
            if (id != null) key = Long.parseUnsignedLong(id, 16);
            else {
                do {
                    key = ids.nextLong();
                    id = newId(key);
                } while (sessions.containsKey(id));
            }
            Session session = new Session(
                    id,
                    key,
                    spec,
                    scheduler,
                    pacer,
                    clock,
                    stats,
                    ingestQueue,
                    stallBudgetNanos,
                    metrics,
                    false,
                    // a resumed session re-runs its trial on solvers of its own, so it steps alone; a new
                    // one may join a cohort, whose members keep their trial's start (snapshots read it)
                    resumeFrom == null ? cohorts : null);
            if (resumeFrom != null) {
                try {
                    session.restore(resumeFrom);
                } catch (RuntimeException e) {
                    session.discard();
                    throw e;
                }
            }
            if (prepare != null) prepare.accept(session);
            if (sessions.putIfAbsent(id, session) != null)
                throw new IllegalStateException("session " + id + " already runs here");
            session.start();
            return session;
        } catch (RuntimeException e) {
            reserved.decrementAndGet();
            throw e;
        }
    }

    /** A new random session id (16 hexadecimal digits), for ids chosen before the session exists. */
    public String newId() {
        return newId(ids.nextLong());
    }

    private static String newId(long key) {
        return String.format(Locale.ROOT, "%016x", key);
    }

    private static boolean isId(String id) {
        return id.length() == 16 && id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    /**
     * A relay of a session that runs on another instance (cluster mode, docs/cluster.md): it is
     * neither listed nor started nor counted here; its subscribers get what {@link Session#relay}
     * hands it. Subscribe to it with {@link #subscribe} like to a local session.
     */
    public Session relay(String id, SessionSpec spec) {
        if (!isId(id)) throw new IllegalArgumentException("session id must be 16 hexadecimal digits, was " + id);
        return new Session(
                id,
                Long.parseUnsignedLong(id, 16),
                spec,
                scheduler,
                pacer,
                clock,
                stats,
                ingestQueue,
                stallBudgetNanos,
                metrics,
                true,
                null);
    }

    public Session get(String id) {
        return id == null ? null : sessions.get(id);
    }

    public Collection<Session> all() {
        return List.copyOf(sessions.values());
    }

    public int size() {
        return sessions.size();
    }

    public ServerStats stats() {
        return stats;
    }

    /** Cohorts stepping now, and the sessions they step (docs/architecture.md, "Batched sessions"). */
    public record BatchCensus(int cohorts, int sessions) {}

    public BatchCensus batches() {
        int batched = 0;
        for (Session s : sessions.values()) if (s.batched()) batched++;
        return new BatchCensus(cohorts.count(), batched);
    }

    /** Subscribes within the per-session limit. */
    public SignalSubscription subscribe(Session session, SubscriberSpec spec) {
        if (session.subscriberCount() >= maxSubscribersPerSession)
            throw new SessionLimitException("subscriber limit reached (" + maxSubscribersPerSession + " per session)");
        return session.subscribe(spec);
    }

    /** Deletes a session: its subscribers' streams complete after draining. Returns false if unknown. */
    public boolean delete(String id, String reason) {
        Session s = sessions.remove(id);
        if (s == null) return false;
        reserved.decrementAndGet();
        s.close(reason);
        return true;
    }

    /** Stops accepting sessions and closes all of them (shutdown). */
    public void closeAll(String reason) {
        accepting = false;
        if (reaper != null) reaper.dispose();
        for (String id : new ArrayList<>(sessions.keySet())) delete(id, reason);
    }

    private void reapIdle() {
        long now = clock.nanos();
        for (Session s : sessions.values()) {
            if (s.spec().pinned() || s.subscriberCount() > 0) continue;
            if (now - s.lastActivityNanos() > idleTimeoutNanos) delete(s.id(), "idle timeout");
        }
    }
}
