package org.neuroflux.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.signal.SignalKind;

class EdfWriterTest {
    @TempDir
    Path dir;

    @Test
    void headerFollowsEdfPlusContinuous() throws Exception {
        Recording rec = Recordings.record("tmaze-ai-2trials", RecordingBuilder.DEFAULT_SIGNALS);
        Path file = dir.resolve("t.edf");
        EdfWriter.write(rec, file);
        EdfFile edf = new EdfFile(file);
        int signals = rec.channels().size() + 1;
        assertEquals("0", edf.version);
        assertEquals("EDF+C", edf.reserved);
        assertTrue(edf.recording.startsWith("Startdate 01-JAN-1985 X X neuroflux"), edf.recording);
        assertEquals(signals, edf.signals);
        assertEquals(256 * (signals + 1), edf.headerBytes);
        // 96 samples at 64 Hz: records of 48 samples (0.75 s), the largest divisor within 1 s
        assertEquals(0.75, edf.recordSeconds);
        assertEquals(2, edf.records);
        assertEquals("EDF Annotations", edf.labels[signals - 1]);
        for (int c = 0; c < rec.channels().size(); c++) {
            assertEquals(rec.channel(c).label(), edf.labels[c]);
            assertEquals(rec.channel(c).unit(), edf.units[c]);
            assertEquals(48, edf.samplesPerRecord[c]);
            assertEquals(-32768, edf.digMin[c]);
            assertEquals(32767, edf.digMax[c]);
        }
        assertEquals(0, edf.physMin[edf.indexOf("FR f1s1t1")]);
        assertEquals(1, edf.physMax[edf.indexOf("FR f1s1t1")]);
        assertEquals(-3.1416, edf.physMin[edf.indexOf("PH f1")]);
        assertEquals(3.141593, edf.physMax[edf.indexOf("PH f1")]);
        long expected = edf.headerBytes
                + (long) edf.records * 2 * (rec.channels().size() * 48 + edf.samplesPerRecord[signals - 1]);
        assertEquals(expected, edf.fileBytes);
    }

    @Test
    void samplesReadBackWithinHalfAQuantisationStep() throws Exception {
        Recording rec = Recordings.record("tmaze-ai-2trials", SignalKind.exportedKinds());
        Path file = dir.resolve("all.edf");
        EdfWriter.write(rec, file);
        EdfFile edf = new EdfFile(file);
        for (int c = 0; c < rec.channels().size(); c++) {
            double step = (edf.physMax[c] - edf.physMin[c]) / 65535;
            double[] range = rec.range(c);
            // rates can exceed 1 by rounding (1 + 2e-16) and are clamped into their fixed range [0, 1]
            assertTrue(
                    edf.physMin[c] <= range[0] + 1e-12 && edf.physMax[c] >= range[1] - 1e-12,
                    rec.channel(c).label());
            for (int n = 0; n < rec.sampleCount(); n++) {
                assertEquals(
                        rec.value(c, n),
                        edf.data[c][n],
                        step / 2 * (1 + 1e-9),
                        rec.channel(c).label() + " sample " + n);
            }
        }
    }

    @Test
    void annotationsCarryEpochsOutcomesAndActionsAndEveryRecordKeepsTime() throws Exception {
        Recording rec = Recordings.record("tmaze-ai-2trials", RecordingBuilder.DEFAULT_SIGNALS);
        Path file = dir.resolve("a.edf");
        EdfWriter.write(rec, file);
        EdfFile edf = new EdfFile(file);
        assertEquals(java.util.List.of(0.0, 0.75), edf.recordOnsets);
        assertEquals(rec.annotations().size(), edf.annotations.size());
        for (int i = 0; i < rec.annotations().size(); i++) {
            Annotation a = rec.annotations().get(i);
            Object[] read = edf.annotations.get(i);
            assertEquals(a.onsetSeconds(), (double) read[0], 0);
            assertEquals(a.durationSeconds() > 0 ? a.durationSeconds() : Double.NaN, (double) read[1], 0);
            assertEquals(a.text(), read[2]);
        }
    }

    @Test
    void theSameRecordingGivesTheSameBytes() throws Exception {
        Recording rec = Recordings.record("oddball-ai", RecordingBuilder.DEFAULT_SIGNALS);
        EdfWriter.write(rec, dir.resolve("1.edf"));
        EdfWriter.write(rec, dir.resolve("2.edf"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("1.edf")), Files.readAllBytes(dir.resolve("2.edf")));
    }

    @Test
    void recordsLastAtMostOneSecondAndDivideTheRecordingExactly() {
        assertEquals(64, EdfWriter.samplesPerRecord(1152, 64));
        assertEquals(48, EdfWriter.samplesPerRecord(48, 64));
        assertEquals(56, EdfWriter.samplesPerRecord(112, 64)); // 0.875 s
        assertEquals(64, EdfWriter.samplesPerRecord(512 * 3, 64));
        assertEquals(1000, EdfWriter.samplesPerRecord(5000, 1000));
        // at 256 Hz a record of 256 samples is 1 s; 255 would not be exact in 8 characters
        assertEquals(256, EdfWriter.samplesPerRecord(1024, 256));
    }

    @Test
    void headerNumbersAreEightCharactersAndBoundTheValue() {
        assertEquals("0.123457", EdfWriter.number(0.12345678, true));
        assertEquals("0.123456", EdfWriter.number(0.12345678, false));
        assertEquals("-3.1416", EdfWriter.number(-Math.PI, false));
        assertEquals("1", EdfWriter.number(1, true));
        for (double v : new double[] {1e-12, -1e-12, 123456.789, -98765.4321, 3.0, 0}) {
            String lo = EdfWriter.number(v, false);
            String hi = EdfWriter.number(v, true);
            assertTrue(lo.length() <= 8 && hi.length() <= 8, lo + " " + hi);
            assertTrue(Double.parseDouble(lo) <= v && Double.parseDouble(hi) >= v, v + ": " + lo + " " + hi);
        }
    }
}
