package org.neuroflux.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.metrics.MetricsSettings;
import org.neuroflux.metrics.ServiceMetrics;
import org.neuroflux.pipeline.BatchingSettings;
import org.neuroflux.pipeline.ModelCatalog;
import org.neuroflux.pipeline.SessionClock;
import org.neuroflux.pipeline.SessionRegistry;
import org.neuroflux.pipeline.SessionSpec;
import org.neuroflux.pipeline.SourceType;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Thread CPU time per frame of N real-time T-maze sessions (both schemes, generative, no
 * subscriber) stepped by the server's own pacing clock and cohorts, on one thread with a manual
 * clock, so that nothing but stepping is measured: the engine, the rows and the frames, batched
 * beside alone. {@code java -cp target/benchmarks.jar org.neuroflux.bench.SessionCpuTime 1000 256 64 1}
 * (sessions, then batch lanes to compare; 1 = each session steps alone). Run from the repository
 * root (it reads config/models).
 */
public final class SessionCpuTime {
    private SessionCpuTime() {}

    public static void main(String[] args) {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<Integer> lanes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) lanes.add(Integer.parseInt(args[i]));
        if (lanes.isEmpty()) lanes = List.of(256, 1);
        int rounds = 5;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        ModelCatalog catalog = ModelCatalog.load(Path.of("config/models"));
        for (int round = -1; round < rounds; round++) { // one warm-up round
            for (int l : lanes) {
                ManualScheduler scheduler = new ManualScheduler();
                SessionRegistry registry = new SessionRegistry(
                        scheduler,
                        scheduler,
                        sessions + 1,
                        1,
                        16,
                        Duration.ZERO,
                        SessionRegistry.DEFAULT_LOSSLESS_STALL,
                        new ServiceMetrics(new SimpleMeterRegistry(), MetricsSettings.DEFAULTS),
                        new BatchingSettings(l, Duration.ofSeconds(1)));
                for (int s = 0; s < sessions; s++) {
                    registry.create(new SessionSpec(
                            "tmaze",
                            catalog.entry("tmaze").model(),
                            List.of(Scheme.ACTIVE_INFERENCE, Scheme.NATURAL_GRADIENT),
                            SolverOptions.spm(),
                            SourceType.GENERATIVE,
                            List.of(),
                            false,
                            15.625,
                            s + 1,
                            null,
                            false));
                }
                int ticks = 4 * 48; // four T-maze trials
                scheduler.advance(48); // the cohorts form; first trial
                long c0 = bean.getCurrentThreadCpuTime();
                scheduler.advance(ticks);
                long c1 = bean.getCurrentThreadCpuTime();
                long frames = registry.stats().framesEmitted();
                registry.closeAll("done");
                scheduler.advance(2);
                if (round < 0) continue;
                System.out.printf(
                        "round %d, %d sessions, batch lanes %d: %.2f us of thread CPU per frame (%d frames counted)%n",
                        round, sessions, l, (c1 - c0) / 1e3 / ((double) sessions * ticks), frames);
            }
        }
    }

    /**
     * A clock advanced by hand: periodic tasks fire once per {@link #advance} step, in order, and
     * everything they schedule runs right after them on the same thread.
     */
    private static final class ManualScheduler implements Scheduler, SessionClock {
        private final List<Periodic> periodic = new ArrayList<>();
        private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        private long now;

        private final class Periodic implements Disposable {
            final Runnable task;
            final long period;
            long next;
            boolean disposed;

            Periodic(Runnable task, long first, long period) {
                this.task = task;
                this.next = first;
                this.period = period;
            }

            @Override
            public void dispose() {
                disposed = true;
            }

            @Override
            public boolean isDisposed() {
                return disposed;
            }
        }

        void advance(int ticks) {
            long end = now + ticks * 15_625_000L;
            while (true) {
                Periodic due = null;
                for (Periodic p : periodic)
                    if (!p.disposed && p.next <= end && (due == null || p.next < due.next)) due = p;
                if (due == null) break;
                now = due.next;
                due.next += due.period;
                due.task.run();
                for (Runnable r; (r = queue.poll()) != null; ) r.run();
            }
            now = end;
            periodic.removeIf(p -> p.disposed);
        }

        @Override
        public Disposable schedule(Runnable task) {
            queue.add(task);
            return () -> {};
        }

        @Override
        public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
            Periodic p = new Periodic(task, now + unit.toNanos(initialDelay), unit.toNanos(period));
            periodic.add(p);
            return p;
        }

        @Override
        public Worker createWorker() {
            throw new UnsupportedOperationException("real-time sessions only");
        }

        @Override
        public long nanos() {
            return now;
        }

        @Override
        public long wallMicros() {
            return now / 1000;
        }
    }
}
