package org.neuroflux.pipeline;

import java.util.concurrent.atomic.LongAdder;

/**
 * Everything a session counts, in one place: written by the session (and its subscribers and
 * ingest), read by its description, by {@link ServerStats} (server-wide sums) and by the meters.
 * Counters other threads write are adders; the rest are written only by the session's emitting
 * thread and published through volatile fields.
 */
public final class SessionCounters {
    final LongAdder framesEmitted = new LongAdder();
    final LongAdder framesDropped = new LongAdder();
    final LongAdder ingestAccepted = new LongAdder();
    final LongAdder ingestRejected = new LongAdder();
    final LongAdder ticksMissed = new LongAdder();
    final LongAdder subscribersStalled = new LongAdder();
    volatile long epochs;
    volatile long ticksStalled;
    volatile long ticksWaiting;
    volatile long lagLastMicros;
    volatile long lagMaxMicros;
    private volatile long lagSumMicros;
    private volatile long lagCount;

    /** Records how late one tick of this session ran (emitting thread only). */
    void lag(long micros) {
        lagLastMicros = micros;
        if (micros > lagMaxMicros) lagMaxMicros = micros;
        lagSumMicros += micros;
        lagCount++;
    }

    /** Frames (one per tick, every scheme) sent to the session's subscribers. */
    public long framesEmitted() {
        return framesEmitted.sum();
    }

    /** Frames lost to full drop-oldest buffers, over all subscribers. */
    public long framesDropped() {
        return framesDropped.sum();
    }

    public long ingestAccepted() {
        return ingestAccepted.sum();
    }

    public long ingestRejected() {
        return ingestRejected.sum();
    }

    /** Ticks that came while the session was still busy with the previous one (skipped). */
    public long ticksMissed() {
        return ticksMissed.sum();
    }

    /** Ticks a lossless subscriber held the session back. */
    public long ticksStalled() {
        return ticksStalled;
    }

    /** Ticks a client source had no observation for the next epoch. */
    public long ticksWaiting() {
        return ticksWaiting;
    }

    /** Lossless subscribers closed because they held the session back longer than the stall budget. */
    public long subscribersStalled() {
        return subscribersStalled.sum();
    }

    public long epochs() {
        return epochs;
    }

    public long lagLastMicros() {
        return lagLastMicros;
    }

    public long lagMaxMicros() {
        return lagMaxMicros;
    }

    public long lagMeanMicros() {
        long n = lagCount;
        return n == 0 ? 0 : Math.round((double) lagSumMicros / n);
    }
}
