package org.neuroflux.pipeline;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * The two clocks a session reads: a monotonic one for pacing lag, and the wall clock stamped on
 * frames (microseconds since the Unix epoch). Tests use {@link #of(Scheduler)} with a virtual-time
 * scheduler.
 */
public interface SessionClock {
    long nanos();

    long wallMicros();

    /**
     * The system clocks. The wall clock is the monotonic clock offset by the wall time read once at
     * startup: one clock read per frame instead of two (Instant.now() was 6% of the server's CPU
     * under load, BENCHMARKS.md); it does not follow later steps of the system clock.
     */
    SessionClock SYSTEM = new SessionClock() {
        private final long baseNanos = System.nanoTime();
        private final long baseMicros = micros(Instant.now());

        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public long wallMicros() {
            return baseMicros + (System.nanoTime() - baseNanos) / 1000;
        }

        private static long micros(Instant now) {
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }
    };

    /** A clock that reads the scheduler's time (virtual in tests). */
    static SessionClock of(Scheduler scheduler) {
        return new SessionClock() {
            @Override
            public long nanos() {
                return scheduler.now(TimeUnit.NANOSECONDS);
            }

            @Override
            public long wallMicros() {
                return scheduler.now(TimeUnit.MICROSECONDS);
            }
        };
    }
}
