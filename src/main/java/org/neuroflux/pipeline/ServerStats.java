package org.neuroflux.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Server-wide figures read from the sessions' {@link SessionCounters} (the live sessions' plus
 * what closed sessions had counted), and the recent pacing-lag histogram (microseconds).
 *
 * <p>Lag: every session records how late each of its ticks ran into one {@link Recorder}
 * (wait-free for writers); the pacing clock {@link #rotate rotates} it every few seconds, and
 * {@link #recentLag()} is the last two intervals, so /health shows the last 5 to 10 s, not the
 * whole life of the server.
 */
public final class ServerStats {
    /** Length of one lag interval. */
    public static final long LAG_INTERVAL_NANOS = 5_000_000_000L;

    private static final long MAX_LAG_MICROS = 60_000_000L;

    private final Set<SessionCounters> live = ConcurrentHashMap.newKeySet();
    private final LongAdder retiredEmitted = new LongAdder();
    private final LongAdder retiredDropped = new LongAdder();
    private final LongAdder retiredAccepted = new LongAdder();
    private final LongAdder retiredRejected = new LongAdder();
    private final LongAdder retiredStalled = new LongAdder();
    private final LongAdder retiredMissed = new LongAdder();
    private final Recorder lag = new Recorder(MAX_LAG_MICROS, 2);
    private Histogram previous = new Histogram(MAX_LAG_MICROS, 2);
    private Histogram last = new Histogram(MAX_LAG_MICROS, 2);
    private long rotatedNanos = Long.MIN_VALUE;

    void add(SessionCounters c) {
        live.add(c);
    }

    /** A session closed: its counts stay in the server's totals. */
    void retire(SessionCounters c) {
        if (!live.remove(c)) return;
        retiredEmitted.add(c.framesEmitted());
        retiredDropped.add(c.framesDropped());
        retiredAccepted.add(c.ingestAccepted());
        retiredRejected.add(c.ingestRejected());
        retiredStalled.add(c.subscribersStalled());
        retiredMissed.add(c.ticksMissed());
    }

    void recordLag(long micros) {
        lag.recordValue(Math.max(0, Math.min(micros, MAX_LAG_MICROS)));
    }

    /** Starts a new lag interval when the current one is {@link #LAG_INTERVAL_NANOS} old; cheap otherwise. */
    void rotate(long nowNanos) {
        if (rotatedNanos != Long.MIN_VALUE && nowNanos - rotatedNanos < LAG_INTERVAL_NANOS) return;
        synchronized (this) {
            if (rotatedNanos != Long.MIN_VALUE && nowNanos - rotatedNanos < LAG_INTERVAL_NANOS) return;
            rotatedNanos = nowNanos;
            Histogram interval = lag.getIntervalHistogram(); // every few seconds: not worth recycling
            previous = last;
            last = interval;
        }
    }

    public long framesEmitted() {
        long s = retiredEmitted.sum();
        for (SessionCounters c : live) s += c.framesEmitted();
        return s;
    }

    public long framesDropped() {
        long s = retiredDropped.sum();
        for (SessionCounters c : live) s += c.framesDropped();
        return s;
    }

    public long ingestAccepted() {
        long s = retiredAccepted.sum();
        for (SessionCounters c : live) s += c.ingestAccepted();
        return s;
    }

    public long ingestRejected() {
        long s = retiredRejected.sum();
        for (SessionCounters c : live) s += c.ingestRejected();
        return s;
    }

    /** Ticks skipped because the session (or its batch) was still busy: the clock's overload, server-wide. */
    public long ticksMissed() {
        long s = retiredMissed.sum();
        for (SessionCounters c : live) s += c.ticksMissed();
        return s;
    }

    /** Lossless subscribers closed for stalling their session longer than the budget. */
    public long subscribersStalled() {
        long s = retiredStalled.sum();
        for (SessionCounters c : live) s += c.subscribersStalled();
        return s;
    }

    /** Percentiles of the pacing lag, microseconds, and how many ticks they cover. */
    public record LagSummary(long p50, long p99, long p999, long max, long count) {}

    /** The pacing lag of the last one or two intervals (5 to 10 s). */
    public synchronized LagSummary recentLag() {
        Histogram h = last.copy();
        h.add(previous);
        return new LagSummary(
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue(),
                h.getTotalCount());
    }
}
