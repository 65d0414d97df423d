package org.neuroflux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.GenerativeModel;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The pipeline's cluster hooks: sessions under a given id, relays (sessions run elsewhere, fed
 * frame by frame) and the resumed notice that travels in order with the frames.
 */
class RelaySessionTest {
    private static final GenerativeModel TMAZE =
            TestModels.tmazeTwoTrials().models().get(0);

    private static SessionSpec spec() {
        return new SessionSpec(
                "tmaze",
                TMAZE,
                List.of(Scheme.ACTIVE_INFERENCE, Scheme.NATURAL_GRADIENT),
                SolverOptions.spm(),
                SourceType.GENERATIVE,
                List.of(),
                false,
                15.625,
                7,
                null,
                false);
    }

    private static SessionRegistry registry(VirtualTimeScheduler vts) {
        return new SessionRegistry(vts, SessionClock.of(vts), 10, 10, 16, Duration.ZERO);
    }

    @Test
    void aSessionCreatedUnderAGivenIdKeepsItAndRefusesADuplicateOrAMalformedId() {
        SessionRegistry registry = registry(VirtualTimeScheduler.create());
        Session s = registry.create(spec(), "00000000000000ff");
        assertEquals("00000000000000ff", s.id());
        assertEquals(255L, s.key());
        assertThrows(IllegalStateException.class, () -> registry.create(spec(), "00000000000000ff"));
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> registry.create(spec(), "XYZ"));
        assertTrue(bad.getMessage().contains("XYZ"), bad.getMessage());
        assertEquals(1, registry.size());
    }

    @Test
    void aRelayIsNeitherListedNorRunAndHandsItsSubscribersFramesAndTheNoticeInOrder() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        SessionRegistry registry = registry(vts);
        Session relay = registry.relay("0123456789abcdef", spec());
        assertTrue(relay.isRelay());
        assertNull(registry.get(relay.id()), "not listed");
        assertEquals(0, registry.size());
        // decimation 4: frames 0, 4, 8 pass; the notice passes whatever its sequence
        SignalSubscription sub = registry.subscribe(
                relay, new SubscriberSpec(List.of(), Set.of(), Set.of(), 4, 64, OverflowPolicy.DROP_OLDEST));
        List<SignalFrame> seen = new ArrayList<>();
        boolean[] completed = {false};
        sub.frames().subscribe(seen::add, e -> {}, () -> completed[0] = true);
        vts.advanceTimeBy(Duration.ofSeconds(1));
        assertTrue(seen.isEmpty(), "a relay never runs its own engine");
        double[][] rows = {{1, 2}, {3, 4}};
        for (long n = 0; n < 6; n++) relay.relay(new SignalFrame(n, 0, 0, (int) n, n / 64.0, 1000 + n, rows));
        relay.relay(SignalFrame.resumed("b", 1, 2000));
        for (long n = 1; n < 9; n++) relay.relay(new SignalFrame(n, 0, 0, (int) n, n / 64.0, 3000 + n, rows));
        List<String> order = new ArrayList<>();
        for (SignalFrame f : seen)
            order.add(f.resumedBy() == null ? Long.toString(f.sequence()) : "resumed@" + f.sequence());
        assertEquals(List.of("0", "4", "resumed@1", "4", "8"), order);
        assertEquals(14, relay.framesEmitted(), "frames relayed; notices are not frames");
        relay.close("session deleted");
        assertTrue(relay.closing());
        assertEquals("session deleted", relay.closeReason());
        relay.onClose().block(Duration.ofSeconds(5)); // closed at once: a relay has no tick to wait for
        assertTrue(completed[0], "its subscribers' streams complete");
        assertThrows(IllegalStateException.class, () -> registry.create(spec()).relay(SignalFrame.resumed("a", 0, 0)));
    }
}
