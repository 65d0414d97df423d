package org.neuroflux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.spm.SpmModelReader;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A session put where one of its snapshots was taken goes on exactly as the session that wrote it:
 * frames bit for bit by sequence number (generative and client sources, a model that learns b, d
 * and e, so the counts carried from trial to trial matter), and a snapshot that does not fit is
 * refused naming the field.
 */
class SessionSnapshotTest {
    private static final GenerativeModel LEARNING = learningTmaze();
    private static final int FRAMES_PER_TRIAL = 3 * 16;

    private static GenerativeModel learningTmaze() {
        try (InputStream in =
                SessionSnapshotTest.class.getResourceAsStream("/reference/tmaze-ai-learn-2trials/mdp.json")) {
            return new SpmModelReader()
                    .read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "learn")
                    .models()
                    .get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SessionSpec spec(SourceType source, long seed) {
        return new SessionSpec(
                "learn",
                LEARNING,
                List.of(Scheme.ACTIVE_INFERENCE, Scheme.NATURAL_GRADIENT),
                SolverOptions.spm(),
                source,
                List.of(),
                false,
                15.625,
                seed,
                null,
                false);
    }

    /** A session in its own virtual time, its frames by sequence and its snapshots as written. */
    private static final class Run {
        final VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        final SessionRegistry registry = new SessionRegistry(vts, SessionClock.of(vts), 10, 10, 64, Duration.ZERO);
        final Map<Long, SignalFrame> frames = new TreeMap<>();
        final List<byte[]> snapshots = new ArrayList<>();
        final Session session;

        Run(SessionSpec spec, SessionSnapshot from) {
            this(spec, from, false);
        }

        /** @param spectral with a subscriber that asks for tf, so the sessions compute the spectral channels */
        Run(SessionSpec spec, SessionSnapshot from, boolean spectral) {
            session = registry.create(
                    spec, "00000000000000aa", from, s -> s.onEpochEnded((x, snap) -> snapshots.add(snap.encode())));
            session.rawFrames().subscribe(f -> frames.put(f.sequence(), f));
            if (spectral)
                session.subscribe(new SubscriberSpec(
                                List.of(SignalKind.TF), Set.of(), Set.of(), 1, 4096, OverflowPolicy.DROP_OLDEST))
                        .frames()
                        .subscribe();
        }

        void run(Duration d) {
            vts.advanceTimeBy(d);
        }
    }

    private static void assertSameFrames(Map<Long, SignalFrame> expected, Map<Long, SignalFrame> actual, long from) {
        assertTrue(actual.size() > 2 * FRAMES_PER_TRIAL, "enough frames compared: " + actual.size());
        for (Map.Entry<Long, SignalFrame> e : actual.entrySet()) {
            long seq = e.getKey();
            assertTrue(seq >= from, "no frame before the snapshot's next sequence: " + seq);
            SignalFrame want = expected.get(seq);
            SignalFrame got = e.getValue();
            assertNotNull(want, "uninterrupted run has frame " + seq);
            assertEquals(want.trial(), got.trial(), "trial of " + seq);
            assertEquals(want.epoch(), got.epoch(), "epoch of " + seq);
            assertEquals(want.iteration(), got.iteration(), "iteration of " + seq);
            assertEquals(want.modelTimeSeconds(), got.modelTimeSeconds(), 0, "model time of " + seq);
            for (int s = 0; s < want.schemeCount(); s++) {
                assertEquals(want.size(s), got.size(s));
                for (int i = 0; i < want.size(s); i++)
                    assertEquals(
                            Double.doubleToRawLongBits(want.value(s, i)),
                            Double.doubleToRawLongBits(got.value(s, i)),
                            "frame " + seq + " scheme " + s + " value " + i + ": " + want.value(s, i) + " vs "
                                    + got.value(s, i));
            }
        }
    }

    @Test
    void aGenerativeSessionRestoredMidTrialOrAtATrialsEndContinuesItsRandomStreamBitForBit() {
        Run whole = new Run(spec(SourceType.GENERATIVE, 42), null);
        whole.run(Duration.ofSeconds(12)); // 768 frames: 16 trials
        Run first = new Run(spec(SourceType.GENERATIVE, 42), null);
        first.run(Duration.ofSeconds(4));
        // the session's frames and snapshots are those of the uninterrupted run so far
        assertSameFrames(whole.frames, first.frames, 0);
        assertEquals(first.frames.size() / 16, first.snapshots.size(), "one snapshot per epoch");
        int[] picks = {first.snapshots.size() - 2, first.snapshots.size() - 1};
        boolean midTrial = false, trialEnd = false;
        for (int pick : picks) {
            SessionSnapshot snap = SessionSnapshot.decode(first.snapshots.get(pick));
            assertEquals(16L * (pick + 1), snap.nextSequence(), "the boundary after epoch " + pick);
            assertTrue(snap.trial() >= 4, "learned counts of earlier trials matter: trial " + snap.trial());
            midTrial |= snap.epochsInTrial() < 3;
            trialEnd |= snap.epochsInTrial() == 3;
            Run resumed = new Run(spec(SourceType.GENERATIVE, 42), snap);
            resumed.run(Duration.ofSeconds(6));
            assertEquals(snap.nextSequence(), resumed.frames.keySet().iterator().next());
            assertSameFrames(whole.frames, resumed.frames, snap.nextSequence());
            // a snapshot of the resumed session is the one the uninterrupted session wrote at that boundary
            assertTrue(Arrays.equals(
                    whole.snapshots.get(pick + resumed.snapshots.size()),
                    resumed.snapshots.get(resumed.snapshots.size() - 1)));
        }
        assertTrue(midTrial || trialEnd);
    }

    @Test
    void theSpectralChannelsResumeExactlyToo() {
        // the wavelet window (250 ms) is one epoch: the trial's re-run refills it before the first frame
        Run whole = new Run(spec(SourceType.GENERATIVE, 9), null, true);
        whole.run(Duration.ofSeconds(8));
        Run first = new Run(spec(SourceType.GENERATIVE, 9), null, true);
        first.run(Duration.ofSeconds(3));
        SignalFrame late = whole.frames.get(400L);
        int spectral = new FrameLayout(LEARNING, SpectralChannels.wavelet(64)).offset(SignalKind.TF);
        assertTrue(late.size(0) > spectral && Double.isFinite(late.value(0, spectral)), "tf computed");
        for (int back = 1; back <= 3; back++) { // boundaries at epoch 1, 2 and 3 of a trial
            SessionSnapshot snap = SessionSnapshot.decode(first.snapshots.get(first.snapshots.size() - back));
            Run resumed = new Run(spec(SourceType.GENERATIVE, 9), snap, true);
            resumed.run(Duration.ofSeconds(4));
            assertSameFrames(whole.frames, resumed.frames, snap.nextSequence());
        }
    }

    @Test
    void aClientSessionRestoredAppliesTheRemainingObservationsAsTheUninterruptedOne() {
        int no0 = LEARNING.modalities().get(0).outcomeCount(),
                no1 = LEARNING.modalities().get(1).outcomeCount();
        double[] soft = new double[no0];
        Arrays.fill(soft, 0.5 / (no0 - 1));
        soft[0] = 0.5;
        Observation[] outcomes = new Observation[24];
        for (int k = 0; k < outcomes.length; k++)
            outcomes[k] = k % 5 == 0
                    ? new Observation(new int[] {-1, k % no1}, new double[][] {soft, null})
                    : Observation.hard(k % no0, (k / 3) % no1);
        Run whole = new Run(spec(SourceType.CLIENT, 7), null);
        for (Observation o : outcomes) assertNotNull(whole.session.offer(o));
        whole.run(Duration.ofSeconds(8));
        assertEquals(24 * 16, whole.frames.size());

        Run first = new Run(spec(SourceType.CLIENT, 7), null);
        for (int k = 0; k < 10; k++) first.session.offer(outcomes[k]);
        first.run(Duration.ofSeconds(4));
        assertEquals(10, first.snapshots.size(), "one snapshot per applied observation");
        SessionSnapshot snap = SessionSnapshot.decode(first.snapshots.get(first.snapshots.size() - 1));
        assertEquals(10, snap.observationsApplied());
        assertEquals(1, snap.epochsInTrial(), "the 10th observation is the first of trial 3");
        Run resumed = new Run(spec(SourceType.CLIENT, 7), snap);
        for (int k = 10; k < 24; k++) {
            Session.Accepted a = resumed.session.offer(outcomes[k]);
            assertEquals(k, a.index(), "ingest indices go on from the snapshot");
        }
        resumed.run(Duration.ofSeconds(8));
        assertEquals(14 * 16, resumed.frames.size());
        assertSameFrames(whole.frames, resumed.frames, 160);
    }

    @Test
    void aSnapshotThatDoesNotDecodeOrDoesNotFitIsRefusedNamingTheField() {
        Run first = new Run(spec(SourceType.GENERATIVE, 3), null);
        first.run(Duration.ofSeconds(1));
        byte[] good = first.snapshots.get(1);
        SessionSnapshot.FormatException truncated = assertThrows(
                SessionSnapshot.FormatException.class,
                () -> SessionSnapshot.decode(Arrays.copyOf(good, good.length - 3)));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        byte[] future = good.clone();
        future[0] = 9;
        assertTrue(assertThrows(SessionSnapshot.FormatException.class, () -> SessionSnapshot.decode(future))
                .getMessage()
                .contains("format 9"));
        byte[] badEpochs = good.clone();
        java.nio.ByteBuffer.wrap(badEpochs).putInt(9, 0);
        assertTrue(assertThrows(SessionSnapshot.FormatException.class, () -> SessionSnapshot.decode(badEpochs))
                .getMessage()
                .contains("epochsInTrial: 0"));
        // a client session's definition does not fit a generative session's snapshot: nothing starts
        Run other = new Run(spec(SourceType.GENERATIVE, 3), null);
        SessionSnapshot snap = SessionSnapshot.decode(good);
        SessionSpec oneScheme = new SessionSpec(
                "learn",
                LEARNING,
                List.of(Scheme.ACTIVE_INFERENCE),
                SolverOptions.spm(),
                SourceType.GENERATIVE,
                List.of(),
                false,
                15.625,
                3,
                null,
                false);
        SessionSnapshot.FormatException schemes = assertThrows(
                SessionSnapshot.FormatException.class,
                () -> other.registry.create(oneScheme, "00000000000000bb", snap, null));
        assertTrue(schemes.getMessage().contains("schemes: 2, expected the session's 1"), schemes.getMessage());
        SessionSnapshot.FormatException client = assertThrows(
                SessionSnapshot.FormatException.class,
                () -> other.registry.create(spec(SourceType.CLIENT, 3), "00000000000000cc", snap, null));
        assertTrue(client.getMessage().contains("observations: 0, expected one per epoch run"), client.getMessage());
        assertEquals(1, other.registry.size(), "the refused sessions were not started");
    }
}
