package org.neuroflux.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecordCodecsTest {
    /** Doubles a text format would not keep: signed zero, NaN with a payload, extremes, subnormals. */
    static final double[] AWKWARD = {
        0.0,
        -0.0,
        Double.NaN,
        Double.longBitsToDouble(0x7ff8_0000_dead_beefL),
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE,
        Double.MAX_VALUE,
        1e-300,
        Math.PI,
        0.1 + 0.2
    };

    @Test
    void sessionDefinitionRoundTripsAndStaysReadableJson() throws Exception {
        SessionDefinition d = new SessionDefinition(
                "3f2a-01",
                "{\"model\":\"tmaze\",\"schemes\":[\"ai\",\"ng\"],\"source\":{\"type\":\"client\"}}",
                -9_007_199_254_740_993L,
                1_796_000_000_123L,
                "host-a-8080");
        byte[] bytes = SessionDefinitionCodec.encode(d);
        SessionDefinition back = SessionDefinitionCodec.decode(bytes);
        assertEquals(d, back);
        var tree = new ObjectMapper().readTree(bytes);
        assertEquals(1, tree.get("format").intValue());
        assertEquals(
                "client", tree.at("/request/source/type").asText(), "the request is embedded as JSON, not as a string");
    }

    @Test
    void sessionDefinitionProblemsNameTheField() {
        RecordFormatException e = assertThrows(
                RecordFormatException.class,
                () -> SessionDefinitionCodec.decode(
                        "{\"format\":1,\"id\":\"a\",\"seed\":\"x\",\"createdAtMillis\":1,\"createdBy\":\"b\",\"request\":{}}"
                                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("sessions record: field 'seed' must be an integer, was \"x\"", e.getMessage());
        e = assertThrows(
                RecordFormatException.class,
                () -> SessionDefinitionCodec.decode("{\"format\":2,\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("sessions record: format 2 is not supported (this instance reads 1)", e.getMessage());
        e = assertThrows(
                RecordFormatException.class,
                () -> SessionDefinitionCodec.decode(
                        "{\"format\":1,\"id\":\"a\",\"seed\":1,\"createdAtMillis\":1,\"createdBy\":\"b\",\"request\":[1]}"
                                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("sessions record: field 'request' must be a JSON object, was [1]", e.getMessage());
        assertThrows(RecordFormatException.class, () -> SessionDefinitionCodec.decode(null));
        assertThrows(
                IllegalArgumentException.class,
                () -> SessionDefinitionCodec.encode(new SessionDefinition("a", "[1]", 1, 1, "b")));
    }

    @Test
    void observationRoundTripsBitForBit() {
        double[] soft = {0.25, 0.75 - 1e-17, 1e-300};
        ObservationRecord o = new ObservationRecord(
                1_796_000_000_123_456L, new int[] {2, -1, 0, -1}, new double[][] {null, soft, null, AWKWARD});
        ObservationRecord back = ObservationCodec.decode(ObservationCodec.encode(o));
        assertEquals(o.receivedAtMicros(), back.receivedAtMicros());
        assertArrayEquals(o.indices(), back.indices());
        assertNull(back.probabilities()[0]);
        assertNull(back.probabilities()[2]);
        assertBits(soft, back.probabilities()[1]);
        assertBits(AWKWARD, back.probabilities()[3]);
        ObservationRecord none =
                ObservationCodec.decode(ObservationCodec.encode(new ObservationRecord(0, new int[0], new double[0][])));
        assertEquals(0, none.modalityCount());
    }

    @Test
    void corruptObservationsAreRefusedWithTheReason() {
        byte[] good = ObservationCodec.encode(new ObservationRecord(7, new int[] {-1}, new double[][] {{0.5, 0.5}}));
        RecordFormatException e = assertThrows(
                RecordFormatException.class, () -> ObservationCodec.decode(Arrays.copyOf(good, good.length - 3)));
        assertTrue(e.getMessage().startsWith("observations record: "), e.getMessage());
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        e = assertThrows(RecordFormatException.class, () -> ObservationCodec.decode(longer));
        assertEquals("observations record: 1 bytes left after 1 modalities", e.getMessage());
        byte[] huge = good.clone();
        huge[13] =
                0x7f; // the modality's index (bytes 13..16) becomes a huge positive outcome, then the rest is left over
        assertThrows(RecordFormatException.class, () -> ObservationCodec.decode(huge));
        byte[] count = good.clone();
        count[9] = 0x7f; // modality count
        e = assertThrows(RecordFormatException.class, () -> ObservationCodec.decode(count));
        assertTrue(e.getMessage().contains("modality count must be 0..4096"), e.getMessage());
        byte[] format = good.clone();
        format[0] = 9;
        e = assertThrows(RecordFormatException.class, () -> ObservationCodec.decode(format));
        assertEquals("observations record: format 9 is not supported (this instance reads 1)", e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> new ObservationRecord(0, new int[] {-1}, new double[][] {null}));
    }

    @Test
    void frameBatchRoundTripsBitForBit() {
        SplittableRandom random = new SplittableRandom(11);
        List<SignalRecord.Frame> frames = new java.util.ArrayList<>();
        for (int k = 0; k < 40; k++) {
            double[] values = new double[k == 3 ? 0 : 150 + k];
            for (int i = 0; i < values.length; i++) values[i] = random.nextDouble() * 1e3 - 500;
            if (k == 5) System.arraycopy(AWKWARD, 0, values, 0, AWKWARD.length);
            frames.add(new SignalRecord.Frame(
                    k % 2,
                    1000 + k / 2,
                    62,
                    (k / 2) % 3,
                    k % 16,
                    k % 3, // the level: 0 single-level, 1 top, 2 the level below
                    (1000 + k / 2) / 64.0,
                    1_796_000_000_000_000L + k,
                    values));
        }
        SignalRecord back = SignalRecordCodec.decode(SignalRecordCodec.encode(new SignalRecord.FrameBatch(frames)));
        List<SignalRecord.Frame> got =
                assertInstanceOf(SignalRecord.FrameBatch.class, back).frames();
        assertEquals(frames.size(), got.size());
        for (int k = 0; k < frames.size(); k++) {
            SignalRecord.Frame a = frames.get(k), b = got.get(k);
            assertEquals(
                    List.of(
                            a.scheme(),
                            a.sequence(),
                            a.trial(),
                            a.epoch(),
                            a.iteration(),
                            a.level(),
                            a.wallClockMicros()),
                    List.of(
                            b.scheme(),
                            b.sequence(),
                            b.trial(),
                            b.epoch(),
                            b.iteration(),
                            b.level(),
                            b.wallClockMicros()),
                    "frame " + k);
            assertEquals(
                    Double.doubleToRawLongBits(a.modelTimeSeconds()), Double.doubleToRawLongBits(b.modelTimeSeconds()));
            assertBits(a.values(), b.values());
        }
    }

    @Test
    void batchEncoderReusesItsBufferAndWritesOnlyTheGivenLength() {
        SignalRecordCodec.BatchEncoder e = new SignalRecordCodec.BatchEncoder();
        double[] scratch = new double[10_000]; // larger than the initial buffer: it grows
        Arrays.fill(scratch, 2.5);
        byte[] first = e.begin()
                .frame(0, 1, 0, 0, 0, 0, 1 / 64.0, 5, scratch, scratch.length)
                .frame(1, 1, 0, 0, 0, 2, 1 / 64.0, 5, scratch, 3)
                .finish();
        byte[] second =
                e.begin().frame(0, 2, 0, 0, 1, 0, 2 / 64.0, 6, scratch, 2).finish();
        var a = ((SignalRecord.FrameBatch) SignalRecordCodec.decode(first)).frames();
        var b = ((SignalRecord.FrameBatch) SignalRecordCodec.decode(second)).frames();
        assertEquals(2, a.size());
        assertEquals(10_000, a.get(0).values().length);
        assertEquals(3, a.get(1).values().length);
        assertEquals(1, b.size(), "begin() forgets the previous batch");
        assertEquals(2L, b.get(0).sequence());
        assertArrayEquals(new double[] {2.5, 2.5}, b.get(0).values());
        assertEquals(
                0,
                ((SignalRecord.FrameBatch) SignalRecordCodec.decode(e.begin().finish()))
                        .frames()
                        .size());
    }

    @Test
    void resumedNoticeRoundTrips() {
        SignalRecord.Resumed r = new SignalRecord.Resumed("rig-3.lab_b-8080", 4096, 1_796_000_000_000_001L);
        assertEquals(r, SignalRecordCodec.decode(SignalRecordCodec.encode(r)));
    }

    @Test
    void corruptSignalsAreRefusedWithTheReason() {
        byte[] good = SignalRecordCodec.encode(new SignalRecord.FrameBatch(
                List.of(new SignalRecord.Frame(0, 1, 0, 0, 0, 0, 0, 0, new double[] {1, 2}))));
        RecordFormatException e = assertThrows(
                RecordFormatException.class, () -> SignalRecordCodec.decode(Arrays.copyOf(good, good.length - 1)));
        assertTrue(e.getMessage().startsWith("signals record: "), e.getMessage());
        byte[] kind = good.clone();
        kind[0] = 'X';
        e = assertThrows(RecordFormatException.class, () -> SignalRecordCodec.decode(kind));
        assertEquals("signals record: kind must be 'F' (frames) or 'R' (resumed), was 88", e.getMessage());
        byte[] count = good.clone();
        count[2] = 0x10; // frame count far beyond what the record holds: refused before allocating
        e = assertThrows(RecordFormatException.class, () -> SignalRecordCodec.decode(count));
        assertTrue(e.getMessage().contains("frame count must be 0..1 (what the record holds)"), e.getMessage());
        assertThrows(RecordFormatException.class, () -> SignalRecordCodec.decode(new byte[0]));
        assertThrows(RecordFormatException.class, () -> SignalRecordCodec.decode(null));
    }

    static void assertBits(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++)
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), "value " + i);
    }

    @Test
    void stateRecordRoundTripsAndRefusesCorruptOnes() {
        byte[] engine = new byte[5000];
        new SplittableRandom(3).nextBytes(engine);
        StateRecord s = new StateRecord(4096, 256, 1234, 1_796_000_000_000_002L, "rig-3", engine);
        byte[] bytes = StateRecordCodec.encode(s);
        StateRecord back = StateRecordCodec.decode(bytes);
        assertEquals(
                List.of(s.nextSequence(), s.epochsRun(), s.lastObservationOffset(), s.committedAtMicros()),
                List.of(back.nextSequence(), back.epochsRun(), back.lastObservationOffset(), back.committedAtMicros()));
        assertEquals("rig-3", back.owner());
        assertArrayEquals(engine, back.engine());
        assertEquals(
                0,
                StateRecordCodec.decode(StateRecordCodec.encode(new StateRecord(0, 0, 0, 0, "a", new byte[0])))
                        .engine()
                        .length);

        RecordFormatException e = assertThrows(
                RecordFormatException.class, () -> StateRecordCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)));
        assertEquals(
                "state record: engine snapshot length must be the 4999 bytes that follow, was 5000", e.getMessage());
        e = assertThrows(RecordFormatException.class, () -> StateRecordCodec.decode(Arrays.copyOf(bytes, 20)));
        assertTrue(e.getMessage().startsWith("state record: truncated at byte"), e.getMessage());
        byte[] negative = bytes.clone();
        negative[1] = (byte) 0x80; // nextSequence < 0
        e = assertThrows(RecordFormatException.class, () -> StateRecordCodec.decode(negative));
        assertTrue(e.getMessage().contains("must be >= 0"), e.getMessage());
        assertThrows(RecordFormatException.class, () -> StateRecordCodec.decode(null));
    }
}
