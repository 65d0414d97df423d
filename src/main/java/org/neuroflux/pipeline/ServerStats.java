package org.neuroflux.pipeline;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Server-wide counters and the pacing-lag histogram (microseconds), shared by all sessions. */
public final class ServerStats {
    private final ConcurrentHistogram lagMicros = new ConcurrentHistogram(60_000_000L, 2);
    final LongAdder framesEmitted = new LongAdder();
    final LongAdder framesDropped = new LongAdder();
    final LongAdder ingestAccepted = new LongAdder();
    final LongAdder ingestRejected = new LongAdder();

    void recordLag(long micros) { lagMicros.recordValue(Math.max(0, Math.min(micros, 60_000_000L))); }

    public long framesEmitted() { return framesEmitted.sum(); }

    public long framesDropped() { return framesDropped.sum(); }

    public long ingestAccepted() { return ingestAccepted.sum(); }

    public long ingestRejected() { return ingestRejected.sum(); }

    /** A snapshot of the lag histogram since start. */
    public Histogram lag() { return lagMicros.copy(); }
}
