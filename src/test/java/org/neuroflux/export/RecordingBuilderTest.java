package org.neuroflux.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neuroflux.signal.SignalKind;

class RecordingBuilderTest {
    @Test
    void rateAndLfpChannelsAreSpmsXnAndItsWithinEpochGradientPerSecond() throws Exception {
        // spm_MDP_VB_LFP: z = xn(:, s, tau, t) concatenated over t; x = gradient(z) within each epoch
        Recording rec = Recordings.record("tmaze-ai-onpolicy", EnumSet.of(SignalKind.RATE, SignalKind.LFP));
        JsonNode xn = Recordings.reference("tmaze-ai-onpolicy").get("xn");
        int ni = 16;
        int T = 3;
        assertEquals(ni * T, rec.sampleCount());
        for (int f = 0; f < 2; f++) {
            int ns = xn.get(f).get(0).size();
            for (int tau = 0; tau < T; tau++) {
                for (int s = 0; s < ns; s++) {
                    String label = "f" + (f + 1) + "s" + (s + 1) + "t" + (tau + 1);
                    int rate = rec.indexOf("FR " + label);
                    int lfp = rec.indexOf("LFP " + label);
                    assertTrue(rate >= 0 && lfp >= 0, label);
                    for (int t = 0; t < T; t++) {
                        for (int i = 0; i < ni; i++) {
                            double z = xn.get(f).get(i).get(s).get(tau).get(t).asDouble();
                            assertEquals(z, rec.value(rate, t * ni + i), 1e-9, "rate " + label);
                            double prev = xn.get(f)
                                    .get(Math.max(0, i - 1))
                                    .get(s)
                                    .get(tau)
                                    .get(t)
                                    .asDouble();
                            double next = xn.get(f)
                                    .get(Math.min(ni - 1, i + 1))
                                    .get(s)
                                    .get(tau)
                                    .get(t)
                                    .asDouble();
                            double gradient = (i == 0 || i == ni - 1) ? next - prev : (next - prev) / 2;
                            assertEquals(64 * gradient, rec.value(lfp, t * ni + i), 1e-8, "lfp " + label + " i=" + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void dopamineAndPrecisionAreSpmsDnAndWn() throws Exception {
        Recording rec = Recordings.record("tmaze-ai-onpolicy", EnumSet.of(SignalKind.DOPAMINE, SignalKind.PRECISION));
        JsonNode out = Recordings.reference("tmaze-ai-onpolicy");
        assertEquals(2, rec.channels().size());
        for (int n = 0; n < rec.sampleCount(); n++) {
            assertEquals(out.get("dn").get(n).asDouble(), rec.value(rec.indexOf("DA"), n), 1e-9);
            assertEquals(out.get("wn").get(n).asDouble(), rec.value(rec.indexOf("GAMMA"), n), 1e-9);
        }
    }

    @Test
    void consecutiveTrialsAreConcatenatedOnOneClock() throws Exception {
        Recording rec = Recordings.record("tmaze-ai-2trials", RecordingBuilder.DEFAULT_SIGNALS);
        assertEquals(2, rec.trialCount());
        assertEquals(96, rec.sampleCount());
        assertEquals(48, rec.trialStart(1));
        assertEquals(1, rec.trialOf(50));
        assertEquals(0, rec.epochOf(50));
        assertEquals(2, rec.iterationOf(50));
        assertEquals(0.25, rec.timebase().epochSeconds());
    }

    @Test
    void labelsAreUniqueShortAndNamesSayWhatTheyAre() throws Exception {
        Recording rec = Recordings.record("rule-ai", SignalKind.exportedKinds());
        Set<String> labels = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Channel c : rec.channels()) {
            assertTrue(labels.add(c.label()), "duplicate label " + c.label());
            assertTrue(names.add(c.name()), "duplicate name " + c.name());
            assertTrue(c.label().length() <= 16, c.label());
        }
        // rule-ai: 4 factors of 3, 3, 4, 4 states over T = 6: 84 units; one-step policies, 6 of them
        int units = (3 + 3 + 4 + 4) * 6;
        long rates =
                rec.channels().stream().filter(c -> c.kind() == SignalKind.RATE).count();
        assertEquals(units, rates);
        assertEquals(
                29 * 4,
                rec.channels().stream().filter(c -> c.kind() == SignalKind.TF).count());
        assertTrue(rec.indexOf("TF f1 4Hz") >= 0 && rec.indexOf("TF f4 32Hz") >= 0);
    }

    @Test
    void annotationsMarkEpochsOutcomesAndActions() throws Exception {
        Recording rec = Recordings.record("tmaze-ai-onpolicy", RecordingBuilder.DEFAULT_SIGNALS);
        List<Annotation> a = rec.annotations();
        long epochs = a.stream().filter(x -> x.text().startsWith("trial ")).count();
        long outcomes = a.stream().filter(x -> x.text().startsWith("outcome ")).count();
        long actions = a.stream().filter(x -> x.text().startsWith("action ")).count();
        assertEquals(3, epochs);
        assertEquals(3, outcomes);
        assertEquals(2, actions); // after epochs 1 and 2 (the T-maze's location factor has 4 controls)
        Annotation second = a.stream()
                .filter(x -> x.text().equals("trial 1 epoch 2"))
                .findFirst()
                .orElseThrow();
        assertEquals(0.25, second.onsetSeconds());
        assertEquals(0.25, second.durationSeconds());
        assertTrue(a.stream().anyMatch(x -> x.text().startsWith("action ") && x.onsetSeconds() == 0.25));
    }

    @Test
    void spikesAreCountsOfSixteenNeuronsBySixteenSubBinsAndReproducible() throws Exception {
        Recordings.Case c = Recordings.simulate("oddball-ai");
        Recording a = new RecordingBuilder(c.model(), "ai")
                .signals(EnumSet.of(SignalKind.RATE, SignalKind.SPIKES))
                .spikeSeed(3)
                .build(c.traces());
        Recording b = new RecordingBuilder(c.model(), "ai")
                .signals(EnumSet.of(SignalKind.SPIKES))
                .spikeSeed(3)
                .build(c.traces());
        int spikes = a.indexOf("SP f1s1t1");
        int rate = a.indexOf("FR f1s1t1");
        double total = 0;
        double expected = 0;
        for (int n = 0; n < a.sampleCount(); n++) {
            double v = a.value(spikes, n);
            assertTrue(v >= 0 && v <= 256 && v == Math.rint(v));
            assertEquals(v, b.value(b.indexOf("SP f1s1t1"), n));
            total += v;
            expected += 256 * a.value(rate, n) * 15 / 16;
        }
        assertEquals(expected, total, 4 * Math.sqrt(expected));
    }

    @Test
    void aModelWithOnePolicyHasNoDopamineAndSaysSoWhenOnlyThatIsAskedFor() throws Exception {
        Recording rec = Recordings.record("oddball-ai", RecordingBuilder.DEFAULT_SIGNALS);
        assertEquals(-1, rec.indexOf("DA"));
        assertFalse(rec.channels().isEmpty());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Recordings.record("oddball-ai", EnumSet.of(SignalKind.DOPAMINE)));
        assertTrue(e.getMessage().contains("more than one policy"), e.getMessage());
    }

    @Test
    void thetaIsTheFourHertzComponentOfThePopulationField() throws Exception {
        Recording rec =
                Recordings.record("tmaze-ai-2trials", EnumSet.of(SignalKind.LFP, SignalKind.THETA, SignalKind.PHASE));
        int n = rec.sampleCount();
        double[] field = new double[n];
        for (Channel c : rec.channels()) {
            if (c.kind() != SignalKind.LFP || c.factor() != 0) continue;
            int i = rec.indexOf(c.name());
            for (int k = 0; k < n; k++) field[k] += Math.abs(rec.value(i, k));
        }
        double[] re = new double[n];
        double[] im = new double[n];
        org.neuroflux.signal.HanningWavelet.spm(64).transform(0, field, 0, n, re, 0, im, 0);
        for (int k = 0; k < n; k++) {
            assertEquals(re[k], rec.value(rec.indexOf("TH f1"), k), 1e-10);
            assertEquals(Math.atan2(im[k], re[k]), rec.value(rec.indexOf("PH f1"), k), 1e-9);
        }
    }
}
