package org.neuroflux.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one signal vocabulary: unique labels and codes, EDF-sized units, and who may use which kind. */
class SignalKindTest {

    @Test
    void labelsAndCodesAreUniqueAndUnitsFitEdfsPhysicalDimension() {
        Set<String> labels = new HashSet<>();
        Set<String> codes = new HashSet<>();
        for (SignalKind k : SignalKind.values()) {
            assertTrue(labels.add(k.label()), "label " + k.label() + " once");
            assertTrue(codes.add(k.code()), "code " + k.code() + " once");
            assertTrue(k.unit().length() <= 8 && k.unit().matches("[\\x20-\\x7e]+"), k + " unit " + k.unit());
            assertFalse(k.description().isBlank(), k + " has a description");
            assertTrue(k.streamed() || k.exported(), k + " is used somewhere");
            assertEquals(k, SignalKind.parse(" " + k.label().toUpperCase(java.util.Locale.ROOT) + " "));
        }
    }

    @Test
    void theStreamAndTheExportNameEachSharedKindTheSame() {
        Set<SignalKind> shared = new HashSet<>(SignalKind.streamedKinds());
        shared.retainAll(SignalKind.exportedKinds());
        assertEquals(
                Set.of(
                        SignalKind.RATE,
                        SignalKind.POTENTIAL,
                        SignalKind.LFP,
                        SignalKind.PRECISION,
                        SignalKind.DOPAMINE,
                        SignalKind.TF,
                        SignalKind.THETA,
                        SignalKind.PHASE),
                shared);
        assertEquals("a.u./s", SignalKind.LFP.unit(), "lfp is per second wherever it appears");
        assertEquals(
                List.of(
                        "rate",
                        "potential",
                        "error",
                        "lfp",
                        "policy",
                        "precision",
                        "dopamine",
                        "infolength",
                        "infolength-whole-path",
                        "outcome",
                        "state",
                        "tf",
                        "theta",
                        "phase"),
                SignalKind.streamedKinds().stream().map(SignalKind::label).toList(),
                "frames carry the streamed kinds in this order");
    }

    @Test
    void parsingRefusesAKindTheCallerDoesNotOfferAndNamesWhatItDoes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SignalKind.parse("erp", SignalKind.streamedKinds(), "channel"));
        assertTrue(
                e.getMessage().startsWith("unknown channel 'erp', expected one of: rate, potential"), e.getMessage());
        IllegalArgumentException s = assertThrows(
                IllegalArgumentException.class, () -> SignalKind.parse("policy", SignalKind.exportedKinds(), "signal"));
        assertTrue(s.getMessage().contains("'policy'") && s.getMessage().contains("spikes"), s.getMessage());
    }
}
