package org.neuroflux.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.neuroflux.library.ModelLibrary;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.pipeline.Observation;
import org.neuroflux.pipeline.ObservationDecoder;

/** The ingest decoder on arbitrary and mutated messages: an observation or a {@link ObservationDecoder.Rejected}, nothing else. */
class IngestDecoderPropertiesTest {
    private static final GenerativeModel TMAZE = tmaze();
    private static final ObservationDecoder DECODER = new ObservationDecoder(TMAZE, null);
    private static final String[] VALID = {
        "{\"outcomes\":[1,3]}", "{\"id\":7,\"outcomes\":[\"cue-left\",\"none\"]}",
        "{\"probabilities\":[[0,0,0,0.5,0.5],[1,0,0]]}", "{\"id\":\"a\",\"outcomes\":[5,2]}"
    };

    private static GenerativeModel tmaze() {
        try {
            return ModelLibrary.standard().load("tmaze").first();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes as the observations socket does; a Rejected is a clear answer, any other exception fails the property. */
    private static Observation decode(String message) {
        try {
            Observation o = DECODER.decode(DECODER.parse(message));
            ObservationDecoder.id(DECODER.parse(message));
            assertNotNull(o);
            return o;
        } catch (ObservationDecoder.Rejected r) {
            assertNotNull(r.getMessage());
            return null;
        }
    }

    @Provide
    Arbitrary<String> valid() {
        return Arbitraries.of(VALID);
    }

    @Property(tries = 1000)
    void textMutationsAreDecodedOrRefused(@ForAll("valid") String message, @ForAll long seed) {
        decode(Mutations.text(message, seed));
    }

    @Property(tries = 1000)
    void treeMutationsAreDecodedOrRefused(@ForAll("valid") String message, @ForAll long seed) {
        decode(Mutations.tree(message, seed));
    }

    @Property(tries = 300)
    void arbitraryTextIsDecodedOrRefused(@ForAll String message) {
        decode(message);
    }

    @Property(tries = 500)
    void integerOutcomesAreReadExactlyNeverWrapped(@ForAll BigInteger outcome) {
        Observation o = decode("{\"outcomes\":[" + outcome + ",1]}");
        boolean inRange = outcome.signum() > 0 && outcome.compareTo(BigInteger.valueOf(5)) <= 0;
        assertEquals(inRange, o != null, outcome.toString());
        if (o != null) assertEquals(outcome.intValue() - 1, o.indices()[0]);
    }
}
