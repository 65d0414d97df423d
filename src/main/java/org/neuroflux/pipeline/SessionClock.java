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

    SessionClock SYSTEM = new SessionClock() {
        @Override
        public long nanos() { return System.nanoTime(); }

        @Override
        public long wallMicros() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        }
    };

    /** A clock that reads the scheduler's time (virtual in tests). */
    static SessionClock of(Scheduler scheduler) {
        return new SessionClock() {
            @Override
            public long nanos() { return scheduler.now(TimeUnit.NANOSECONDS); }

            @Override
            public long wallMicros() { return scheduler.now(TimeUnit.MICROSECONDS); }
        };
    }
}
