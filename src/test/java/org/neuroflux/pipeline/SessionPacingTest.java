package org.neuroflux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.GenerativeModel;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class SessionPacingTest {
    private static final GenerativeModel TMAZE =
            TestModels.tmazeTwoTrials().models().get(0);

    private static SessionSpec spec(double iterationMs) {
        return new SessionSpec(
                "tmaze",
                TMAZE,
                List.of(Scheme.ACTIVE_INFERENCE, Scheme.NATURAL_GRADIENT),
                SolverOptions.spm(),
                SourceType.GENERATIVE,
                List.of(),
                false,
                iterationMs,
                7,
                null,
                false);
    }

    private static SubscriberSpec subscriber(int buffer, OverflowPolicy policy) {
        return new SubscriberSpec(List.of(), Set.of(), Set.of(), 1, buffer, policy);
    }

    private static SessionRegistry registry(VirtualTimeScheduler vts) {
        return new SessionRegistry(vts, SessionClock.of(vts), 10, 10, 16, Duration.ZERO);
    }

    @Test
    void emitsOneFrameOfEverySchemeEvery15625MicrosecondsOfVirtualTime() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        List<SignalFrame> seen = new ArrayList<>();
        StepVerifier.withVirtualTime(
                        () -> registry(vts)
                                .create(spec(15.625))
                                .subscribe(subscriber(256, OverflowPolicy.DROP_OLDEST))
                                .frames()
                                .doOnNext(seen::add)
                                .take(64),
                        () -> vts,
                        Long.MAX_VALUE)
                .expectSubscription()
                // ticks at 15.625, 31.25, ..., 1000 ms: 64 iterations, each one frame carrying both schemes
                .thenAwait(Duration.ofMillis(1000))
                .thenConsumeWhile(f -> true)
                .verifyComplete();
        assertEquals(64, seen.size());
        for (int k = 0; k < seen.size(); k++) {
            SignalFrame f = seen.get(k);
            assertEquals(k, f.sequence(), "sequence");
            assertEquals(2, f.schemeCount(), "every scheme in one frame");
            assertEquals(f.sequence() / 64.0, f.modelTimeSeconds(), 0, "model time = n / 64 s");
            assertEquals((int) (f.sequence() % 16), f.iteration());
            assertEquals((int) (f.sequence() / 16 % 3), f.epoch());
            // real time: frame n is stamped at n * 15.625 ms of (virtual) wall clock
            assertEquals((f.sequence() + 1) * 15_625, f.wallClockMicros(), 1, "wall clock");
        }
    }

    @Test
    void slowSubscriberLosesCountedFramesWhileFastOneLosesNone() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Session session = registry(vts).create(spec(15.625));
        SignalSubscription slow = session.subscribe(subscriber(8, OverflowPolicy.DROP_OLDEST));
        SignalSubscription fast = session.subscribe(subscriber(8, OverflowPolicy.DROP_OLDEST));
        List<SignalFrame> slowSeen = new ArrayList<>();
        List<SignalFrame> fastSeen = new ArrayList<>();
        slow.frames().subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(1);
            } // takes one frame, then never again

            @Override
            protected void hookOnNext(SignalFrame f) {
                slowSeen.add(f);
            }
        });
        fast.frames().subscribe(fastSeen::add);
        vts.advanceTimeBy(Duration.ofSeconds(10)); // 640 iterations, one frame each
        assertEquals(640, fastSeen.size());
        assertEquals(0, fast.dropped());
        assertEquals(1, slowSeen.size());
        assertEquals(640 - 1 - 8, slow.dropped(), "all but the one taken and the 8 buffered were dropped, and counted");
        assertEquals(slow.dropped(), session.framesDropped());
        assertEquals(SessionState.RUNNING, session.state());
        for (int k = 1; k < fastSeen.size(); k++)
            assertTrue(fastSeen.get(k).sequence() >= fastSeen.get(k - 1).sequence());
    }

    @Test
    void losslessSubscriberHoldsTheSessionInsteadOfDropping() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Session session = registry(vts).create(spec(15.625));
        SignalSubscription lossless = session.subscribe(subscriber(8, OverflowPolicy.LOSSLESS));
        List<SignalFrame> seen = new ArrayList<>();
        BaseSubscriber<SignalFrame> consumer = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(2);
            }

            @Override
            protected void hookOnNext(SignalFrame f) {
                seen.add(f);
            }
        };
        lossless.frames().subscribe(consumer);
        vts.advanceTimeBy(Duration.ofSeconds(1));
        assertEquals(2, seen.size());
        assertEquals(0, lossless.dropped());
        long stalled = session.counters().ticksStalled();
        assertTrue(stalled > 40, "session held its iterations: " + stalled);
        consumer.request(1000);
        vts.advanceTimeBy(Duration.ofSeconds(1));
        assertEquals(0, lossless.dropped());
        assertTrue(seen.size() > 50);
        for (int k = 0; k < seen.size(); k++)
            assertEquals(seen.get(0).sequence() + k, seen.get(k).sequence(), "no gaps");
    }

    @Test
    void losslessSubscriberThatStallsPastTheBudgetIsClosedAndTheSessionGoesOn() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        SessionRegistry registry = new SessionRegistry(
                vts,
                SessionClock.of(vts),
                10,
                10,
                16,
                Duration.ZERO,
                Duration.ofMillis(500),
                new org.neuroflux.metrics.ServiceMetrics(
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                        org.neuroflux.metrics.MetricsSettings.DEFAULTS));
        Session session = registry.create(spec(15.625));
        SignalSubscription stuck = session.subscribe(subscriber(8, OverflowPolicy.LOSSLESS));
        SignalSubscription reader = session.subscribe(subscriber(8, OverflowPolicy.LOSSLESS));
        List<SignalFrame> seen = new ArrayList<>();
        boolean[] stuckCompleted = {false};
        stuck.frames().subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(1);
            } // one frame, then never again

            @Override
            protected void hookOnComplete() {
                stuckCompleted[0] = true;
            }
        });
        reader.frames().subscribe(seen::add);
        vts.advanceTimeBy(Duration.ofMillis(400)); // held since the 10th tick (156 ms)
        assertEquals(0, session.counters().subscribersStalled(), "within the budget the session waits");
        long heldAt = session.framesEmitted();
        assertEquals(1 + 8, heldAt, "one taken and 8 buffered, then held");
        vts.advanceTimeBy(Duration.ofMillis(300)); // 156 + 500 ms < 700 ms
        assertEquals(1, session.counters().subscribersStalled(), "closed once the budget is spent");
        assertTrue(stuck.closedForStall());
        assertTrue(stuckCompleted[0], "its frames completed");
        vts.advanceTimeBy(Duration.ofSeconds(1));
        assertTrue(session.framesEmitted() > heldAt + 60, "the session went on: " + session.framesEmitted());
        assertEquals(session.framesEmitted(), seen.size(), "the other lossless subscriber missed nothing");
        for (int k = 0; k < seen.size(); k++) assertEquals(k, seen.get(k).sequence(), "no gaps");
        assertEquals(1, session.subscriberCount());
    }

    @Test
    void maxPacingRunsAsFastAsTheLosslessSubscriberTakes() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Session session = registry(vts).create(spec(0));
        assertEquals(SessionState.PAUSED, session.state(), "no lossless subscriber: nothing sets the pace");
        StepVerifier.withVirtualTime(
                        () -> session.subscribe(subscriber(64, OverflowPolicy.LOSSLESS))
                                .frames(),
                        () -> vts,
                        0)
                .expectSubscription()
                .thenRequest(100)
                .expectNextCount(100)
                .thenRequest(1000)
                .expectNextCount(1000)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertEquals(0, session.framesDropped());
    }
}
