package org.neuroflux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.metrics.MetricsSettings;
import org.neuroflux.metrics.ServiceMetrics;
import org.neuroflux.model.GenerativeModel;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Sessions stepped together by a {@link Cohort} emit exactly the frames they emit stepping alone:
 * the batched solver runs each lane's epochs with the session's own model, learned counts and
 * random stream. Checked bit for bit against sessions of a registry without batching, on virtual
 * time, across trials (learning carried), for a session that joins later, one that closes, and one
 * that a lossless subscriber holds back (it leaves the cohort and replays its trial alone).
 */
class BatchedSessionTest {
    private static final long TICK_NANOS = 15_625_000L;
    private static final ModelCatalog CATALOG = ModelCatalog.load(Path.of("config/models"));

    private static SessionRegistry registry(VirtualTimeScheduler vts, BatchingSettings batching) {
        return new SessionRegistry(
                vts,
                SessionClock.of(vts),
                50,
                10,
                16,
                Duration.ZERO,
                SessionRegistry.DEFAULT_LOSSLESS_STALL,
                new ServiceMetrics(new SimpleMeterRegistry(), MetricsSettings.DEFAULTS),
                batching);
    }

    private static SessionSpec spec(String model, SolverOptions options, long seed) {
        GenerativeModel m = CATALOG.entry(model).model();
        return new SessionSpec(
                model,
                m,
                List.of(Scheme.ACTIVE_INFERENCE, Scheme.NATURAL_GRADIENT),
                options,
                SourceType.GENERATIVE,
                List.of(),
                false,
                15.625,
                seed,
                null,
                false);
    }

    private static SolverOptions preset(String name) {
        return name.equals("nat3") ? SolverOptions.nat3() : SolverOptions.spm();
    }

    private static void ticks(VirtualTimeScheduler vts, long n) {
        vts.advanceTimeBy(Duration.ofNanos(TICK_NANOS * n));
    }

    private static List<SignalFrame> record(Session session) {
        List<SignalFrame> frames = new ArrayList<>();
        session.rawFrames().subscribe(frames::add);
        return frames;
    }

    /** Same sequence, position and every stored value of every scheme, bit for bit. */
    private static void assertSameFrames(List<SignalFrame> expected, List<SignalFrame> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": frames");
        for (int k = 0; k < expected.size(); k++) assertSameFrame(expected.get(k), actual.get(k), what);
    }

    private static void assertSameFrame(SignalFrame e, SignalFrame a, String what) {
        String at = what + " frame " + e.sequence();
        assertEquals(e.sequence(), a.sequence(), at + " sequence");
        assertEquals(e.trial(), a.trial(), at + " trial");
        assertEquals(e.epoch(), a.epoch(), at + " epoch");
        assertEquals(e.iteration(), a.iteration(), at + " iteration");
        assertEquals(e.schemeCount(), a.schemeCount(), at + " schemes");
        for (int s = 0; s < e.schemeCount(); s++) {
            assertEquals(e.size(s), a.size(s), at + " values of scheme " + s);
            for (int i = 0; i < e.size(s); i++) {
                assertEquals(
                        Double.doubleToLongBits(e.value(s, i)),
                        Double.doubleToLongBits(a.value(s, i)),
                        at + " scheme " + s + " value " + i + ": " + e.value(s, i) + " vs " + a.value(s, i));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"tmaze, spm", "tmaze, nat3", "rule-learning, spm"})
    void sessionsSteppedTogetherEmitTheFramesTheyEmitAlone(String model, String preset) {
        int sessions = 4;
        long trialTicks =
                (long) CATALOG.entry(model).model().epochs() * preset(preset).iterations();
        VirtualTimeScheduler batchedTime = VirtualTimeScheduler.create();
        VirtualTimeScheduler aloneTime = VirtualTimeScheduler.create();
        SessionRegistry batched = registry(batchedTime, BatchingSettings.DEFAULT);
        SessionRegistry alone = registry(aloneTime, BatchingSettings.OFF);
        List<Session> together = new ArrayList<>();
        List<List<SignalFrame>> got = new ArrayList<>();
        List<List<SignalFrame>> expected = new ArrayList<>();
        List<Session> reference = new ArrayList<>();
        for (int k = 0; k < sessions; k++) {
            Session s = batched.create(spec(model, preset(preset), 100 + k));
            together.add(s);
            got.add(record(s));
            Session r = alone.create(spec(model, preset(preset), 100 + k));
            reference.add(r);
            expected.add(record(r));
            assertTrue(s.batched(), "a generative real-time session steps in a cohort");
            assertFalse(r.batched(), "batching off: the session steps alone");
        }
        // one session closes mid-trial in both: the others go on, its lane is dropped at the next trial
        long half = trialTicks + trialTicks / 2;
        ticks(batchedTime, half);
        ticks(aloneTime, half);
        together.get(1).close("test");
        reference.get(1).close("test");
        long rest = 3 * trialTicks - half;
        ticks(batchedTime, rest);
        ticks(aloneTime, rest);
        for (int k = 0; k < sessions; k++) {
            assertSameFrames(expected.get(k), got.get(k), model + " " + preset + " session " + k);
            if (k != 1) assertTrue(together.get(k).batched(), "still in its cohort");
        }
        assertEquals(3 * trialTicks, got.get(0).size(), "three trials, one frame per tick");
        assertEquals(2, got.get(0).get(got.get(0).size() - 1).trial(), "learned counts carried into trial 2");
        batched.closeAll("test");
        alone.closeAll("test");
    }

    @Test
    void aSessionCreatedMidTrialStartsWithTheCohortsNextTrial() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        SessionRegistry batched = registry(vts, BatchingSettings.DEFAULT);
        Session first = batched.create(spec("tmaze", SolverOptions.spm(), 1));
        List<SignalFrame> firstFrames = record(first);
        ticks(vts, 10);
        Session late = batched.create(spec("tmaze", SolverOptions.spm(), 2));
        List<SignalFrame> lateFrames = record(late);
        List<Long> firstSeenWhenLateStarted = new ArrayList<>();
        late.rawFrames()
                .take(1)
                .subscribe(f -> firstSeenWhenLateStarted.add(
                        firstFrames.get(firstFrames.size() - 1).sequence()));
        ticks(vts, 200);
        assertEquals(
                List.of(48L),
                firstSeenWhenLateStarted,
                "the late session's first frame came with trial 1 of the first");
        assertEquals(firstFrames.size() - 48, lateFrames.size());

        VirtualTimeScheduler aloneTime = VirtualTimeScheduler.create();
        SessionRegistry alone = registry(aloneTime, BatchingSettings.OFF);
        List<SignalFrame> expected = record(alone.create(spec("tmaze", SolverOptions.spm(), 2)));
        ticks(aloneTime, lateFrames.size());
        assertSameFrames(expected, lateFrames, "late session");
        batched.closeAll("test");
        alone.closeAll("test");
    }

    @Test
    void aSessionHeldByALosslessSubscriberLeavesItsCohortAndKeepsItsNumbers() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        SessionRegistry batched = registry(vts, BatchingSettings.DEFAULT);
        Session held = batched.create(spec("tmaze", SolverOptions.spm(), 5));
        Session other = batched.create(spec("tmaze", SolverOptions.spm(), 6));
        List<SignalFrame> otherFrames = record(other);
        List<SignalFrame> seen = new ArrayList<>();
        BaseSubscriber<SignalFrame> consumer = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(60); // into trial 1, epoch 0; then the buffer of 8 fills and the session is held
            }

            @Override
            protected void hookOnNext(SignalFrame f) {
                seen.add(f);
            }
        };
        held.subscribe(new SubscriberSpec(List.of(), Set.of(), Set.of(), 1, 8, OverflowPolicy.LOSSLESS))
                .frames()
                .subscribe(consumer);
        ticks(vts, 100);
        assertFalse(held.batched(), "held back: it left the cohort");
        assertTrue(other.batched(), "the other session stays in the cohort");
        assertEquals(100, otherFrames.size(), "and was never held back");
        consumer.request(10_000);
        ticks(vts, 150);
        assertTrue(seen.size() > 150, "the held session goes on alone: " + seen.size());

        VirtualTimeScheduler aloneTime = VirtualTimeScheduler.create();
        SessionRegistry alone = registry(aloneTime, BatchingSettings.OFF);
        List<SignalFrame> expected = record(alone.create(spec("tmaze", SolverOptions.spm(), 5)));
        List<SignalFrame> expectedOther = record(alone.create(spec("tmaze", SolverOptions.spm(), 6)));
        ticks(aloneTime, 250);
        assertSameFrames(expected.subList(0, seen.size()), seen, "held session (no frame lost, the same numbers)");
        assertSameFrames(expectedOther, otherFrames, "the other session");
        batched.closeAll("test");
        alone.closeAll("test");
    }
}
