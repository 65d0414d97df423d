package org.neuroflux.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

/**
 * One subscriber of a session: its own bounded buffer between the session's multicast of frames
 * and the subscriber's transport, so a slow subscriber only ever loses its own frames.
 *
 * <p>Overflow: with {@link OverflowPolicy#DROP_OLDEST} a full buffer drops its oldest frame and
 * counts it ({@link #dropped()}, also added to the session's counter). With
 * {@link OverflowPolicy#LOSSLESS} the session checks {@link #hasRoom(int)} before emitting and
 * holds its iteration instead, so nothing is dropped and the session slows down.
 */
public final class SignalSubscription {
    private final Session session;
    private final SubscriberSpec spec;
    private final SubscriberSpec.Selection selection;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Flux<SignalFrame> frames;

    SignalSubscription(Session session, SubscriberSpec spec, Flux<SignalFrame> source) {
        this.session = session;
        this.spec = spec;
        this.selection = spec.selection(session.layout());
        boolean lossless = spec.policy() == OverflowPolicy.LOSSLESS;
        int capacity = spec.bufferFrames();
        int wakeAt = Math.max(0, capacity / 2);
        // attach only once the sink has registered the subscriber, so the session never gates on
        // (or wakes for) a subscriber that cannot receive yet
        Flux<SignalFrame> connected = Flux.from(subscriber -> {
            source.subscribe(subscriber);
            session.attach(this);
        });
        this.frames = connected
                .filter(f -> spec.acceptsScheme(f.scheme()) && f.sequence() % spec.decimation() == 0)
                // runs synchronously inside the session's emission, so hasRoom() sees it at once
                .doOnNext(f -> inFlight.incrementAndGet())
                .onBackpressureBuffer(capacity, f -> {
                    inFlight.decrementAndGet();
                    dropped.incrementAndGet();
                    session.countDrop();
                }, BufferOverflowStrategy.DROP_OLDEST)
                .doOnNext(f -> {
                    delivered.incrementAndGet();
                    if (inFlight.decrementAndGet() == wakeAt && lossless) session.wake();
                })
                .doFinally(signal -> {
                    // frames still buffered when the subscriber went away never reach it
                    int left = inFlight.getAndSet(0);
                    if (left > 0) session.countClosedDrops(left);
                    session.detach(this);
                });
    }

    /** The subscriber's frames: hot, bounded, completing when the session is deleted or the server stops. */
    public Flux<SignalFrame> frames() { return frames; }

    public Session session() { return session; }

    public SubscriberSpec spec() { return spec; }

    public SubscriberSpec.Selection selection() { return selection; }

    /** Frames this subscriber lost to its buffer's overflow so far. */
    public long dropped() { return dropped.get(); }

    public long delivered() { return delivered.get(); }

    boolean lossless() { return spec.policy() == OverflowPolicy.LOSSLESS; }

    /** Whether {@code frames} more frames fit into the buffer without dropping. */
    boolean hasRoom(int frames) { return inFlight.get() + frames <= spec.bufferFrames(); }
}
