package org.neuroflux.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neuroflux.metrics.ServiceMetrics;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * The one clock behind every real-time session: sessions with the same period share a bucket,
 * and each bucket has one periodic timer (there is no timer per session). On each tick the bucket's
 * sessions are cut into batches, each stepped by one task on the scheduler
 * ({@code Schedulers.parallel()} in production), so a tick's work spreads over every core and a
 * late session delays only its batch. A batch is never queued twice: when the workers fall behind,
 * ticks are skipped and counted rather than queued without bound. How late each session ran is
 * measured against the tick's ideal time {@code start + n * period} (docs/architecture.md, "Threads").
 */
final class PacingClock {
    /** A session as the clock sees it. */
    interface Paced {
        /** One tick, due at {@code dueNanos}; called on a worker of the scheduler. */
        void tick(long dueNanos);

        /** A tick skipped because the workers were behind (the session's batch was still queued). */
        void missed();

        /** Sessions this member stands for (a {@link Cohort} ticks many): what batches are balanced by. */
        default int weight() {
            return 1;
        }
    }

    private final Scheduler scheduler;
    private final SessionClock clock;
    private final ServerStats stats;
    private final ServiceMetrics metrics;
    private final int workers;
    private final Map<Long, Bucket> buckets = new HashMap<>();

    PacingClock(Scheduler scheduler, SessionClock clock, ServerStats stats, ServiceMetrics metrics) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.stats = stats;
        this.metrics = metrics;
        this.workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Starts ticking {@code session} every {@code periodNanos}, from the bucket's next tick. */
    synchronized void add(Paced session, long periodNanos) {
        buckets.computeIfAbsent(periodNanos, Bucket::new).add(session);
    }

    /** A member's {@link Paced#weight} changed: the batches of its period's bucket are balanced again. */
    synchronized void reweigh(long periodNanos) {
        Bucket b = buckets.get(periodNanos);
        if (b != null) b.rebatch();
    }

    /** Stops ticking {@code session}; a bucket left empty stops its timer. */
    synchronized void remove(Paced session, long periodNanos) {
        Bucket b = buckets.get(periodNanos);
        if (b != null && b.remove(session)) buckets.remove(periodNanos).timer.dispose();
    }

    /** Sessions with one period, ticked by one timer. */
    private final class Bucket implements Runnable {
        private final long period;
        private final long start;
        private final Disposable timer;
        private Paced[] members = new Paced[0]; // under the clock's lock
        private volatile Batch[] batches = new Batch[0];
        private long n; // ticks fired, confined to the timer task

        Bucket(long period) {
            this.period = period;
            this.start = clock.nanos();
            this.timer = scheduler.schedulePeriodically(this, period, period, TimeUnit.NANOSECONDS);
        }

        void add(Paced p) {
            Paced[] m = Arrays.copyOf(members, members.length + 1);
            m[m.length - 1] = p;
            members = m;
            rebatch();
        }

        /** Returns true when the bucket is empty afterwards. */
        boolean remove(Paced p) {
            Paced[] m = members;
            for (int i = 0; i < m.length; i++) {
                if (m[i] == p) {
                    Paced[] r = new Paced[m.length - 1];
                    System.arraycopy(m, 0, r, 0, i);
                    System.arraycopy(m, i + 1, r, i, m.length - i - 1);
                    members = r;
                    rebatch();
                    return r.length == 0;
                }
            }
            return m.length == 0;
        }

        /**
         * A few batches per worker, balanced by weight (a cohort weighs its sessions): even spread,
         * and one slow session holds back only its batch. A member heavier than a batch's share gets
         * a batch of its own.
         */
        private void rebatch() {
            Paced[] m = members;
            long total = 0;
            for (Paced p : m) total += p.weight();
            long share = Math.max(16, (total + 4L * workers - 1) / (4L * workers));
            List<Batch> b = new ArrayList<>();
            int from = 0;
            long weight = 0;
            for (int i = 0; i < m.length; i++) {
                weight += m[i].weight();
                if (weight >= share || i == m.length - 1) {
                    b.add(new Batch(Arrays.copyOfRange(m, from, i + 1)));
                    from = i + 1;
                    weight = 0;
                }
            }
            batches = b.toArray(Batch[]::new);
        }

        @Override
        public void run() {
            n++;
            long due = start + n * period;
            stats.rotate(due);
            for (Batch b : batches) b.fire(due);
        }
    }

    /**
     * A fixed slice of a bucket's sessions. At most one run of it is queued or running: when the
     * workers fall behind, a tick that finds its batch still waiting is skipped (each session
     * counts a missed tick) instead of queueing work without bound.
     */
    private final class Batch implements Runnable {
        private final Paced[] members;
        private final AtomicBoolean queued = new AtomicBoolean();
        private volatile long due;

        Batch(Paced[] members) {
            this.members = members;
        }

        void fire(long dueNanos) {
            if (!queued.compareAndSet(false, true)) {
                for (Paced p : members) p.missed();
                return;
            }
            due = dueNanos;
            scheduler.schedule(this);
        }

        @Override
        public void run() {
            long d = due;
            try {
                metrics.pacingLagNanos(clock.nanos() - d); // one sample per batch: the meter's histogram is not free
                for (Paced p : members) p.tick(d);
            } finally {
                queued.set(false);
            }
        }
    }
}
