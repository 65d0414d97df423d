package org.neuroflux.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One subscriber of a session: its own bounded buffer between the session's multicast of frames
 * and the subscriber's transport, so a slow subscriber only ever loses its own frames.
 *
 * <p>Overflow: with {@link OverflowPolicy#DROP_OLDEST} a full buffer drops its oldest frame and
 * counts it ({@link #dropped()}, also added to the session's counter). With
 * {@link OverflowPolicy#LOSSLESS} the session checks {@link #hasRoom()} before emitting and holds
 * its iteration instead, so nothing is dropped and the session slows down, for at most the stall
 * budget: then the session calls {@link #closeStalled()}, the frames complete, buffered ones are
 * discarded, and {@link #onStalled()} tells the transport to close the socket (1008).
 */
public final class SignalSubscription {
    private final Session session;
    private final SubscriberSpec spec;
    private final SubscriberSpec.Selection selection;
    private final int[] schemeOrder;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Sinks.Empty<Void> stalled = Sinks.empty();
    private final Flux<SignalFrame> frames;
    private volatile boolean closedForStall;
    /** When this (lossless) subscriber started holding the session back; written by the session's emitting thread only. */
    long stalledSinceNanos = Long.MIN_VALUE;

    SignalSubscription(Session session, SubscriberSpec spec, Flux<SignalFrame> source) {
        this.session = session;
        this.spec = spec;
        this.selection = spec.selection(session.layout(), session.lowerLayout());
        this.schemeOrder = spec.schemeOrder(session.spec().schemes().size());
        boolean lossless = spec.policy() == OverflowPolicy.LOSSLESS;
        int capacity = spec.bufferFrames();
        int wakeAt = Math.max(0, capacity / 2);
        // attach only once the sink has registered the subscriber, so the session never gates on
        // (or wakes for) a subscriber that cannot receive yet
        Flux<SignalFrame> connected = Flux.from(subscriber -> {
            source.subscribe(subscriber);
            session.attach(this);
        });
        // a resumed notice passes every filter: it marks where the stream jumps
        Flux<SignalFrame> leveled = spec.levels().isEmpty()
                ? connected
                : connected.filter(f -> f.resumedBy() != null || spec.acceptsLevel(f.level()));
        Flux<SignalFrame> decimated = spec.decimation() == 1
                ? leveled
                : leveled.filter(f -> f.resumedBy() != null || f.sequence() % spec.decimation() == 0);
        this.frames = decimated
                // runs synchronously inside the session's emission, so hasRoom() sees it at once
                .doOnNext(f -> inFlight.incrementAndGet())
                .onBackpressureBuffer(
                        capacity,
                        f -> {
                            inFlight.decrementAndGet();
                            dropped.incrementAndGet();
                            session.countDrop();
                        },
                        BufferOverflowStrategy.DROP_OLDEST)
                .takeUntilOther(stalled.asMono())
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

    /** The subscriber's frames: hot, bounded, completing when the session is deleted, the server stops, or the subscriber stalled too long. */
    public Flux<SignalFrame> frames() {
        return frames;
    }

    public Session session() {
        return session;
    }

    public SubscriberSpec spec() {
        return spec;
    }

    public SubscriberSpec.Selection selection() {
        return selection;
    }

    /** The session's scheme indices this subscriber receives, in order. */
    public int[] schemeOrder() {
        return schemeOrder;
    }

    /** Frames this subscriber lost to its buffer's overflow so far. */
    public long dropped() {
        return dropped.get();
    }

    public long delivered() {
        return delivered.get();
    }

    /** Completes when the session closed this subscriber for holding it back longer than the stall budget. */
    public Mono<Void> onStalled() {
        return stalled.asMono();
    }

    /** Whether the session closed this subscriber for stalling. */
    public boolean closedForStall() {
        return closedForStall;
    }

    /** Lossless and not (yet) closed for stalling: the session waits for it. */
    boolean lossless() {
        return spec.policy() == OverflowPolicy.LOSSLESS && !closedForStall;
    }

    /** Whether one more frame fits into the buffer without dropping. */
    boolean hasRoom() {
        return inFlight.get() < spec.bufferFrames();
    }

    /** The session gives up on this subscriber (emitting thread): it no longer holds the session, its frames complete. */
    void closeStalled() {
        closedForStall = true;
        stalled.tryEmitEmpty();
    }
}
