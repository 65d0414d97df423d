package org.neuroflux.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.signal.SignalKind;

/**
 * The exported EDF+ opens in MNE-Python (Debian's python3-mne, read with the system python
 * /usr/bin/python3): channels, labels, units, sampling rate, values within quantisation, annotations.
 * Skipped, with a message, where MNE is not installed.
 */
@Tag("slow")
@Tag("mne")
class EdfMneTest {
    /** Debian's system python (python3-mne is installed for it), not a pyenv one on PATH. */
    static final String PYTHON = System.getProperty("neuroflux.python", "/usr/bin/python3");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsMne() throws Exception {
        boolean present = false;
        String why = PYTHON + " not found";
        if (Files.isExecutable(Path.of(PYTHON))) {
            Process p = new ProcessBuilder(PYTHON, "-c", "import mne")
                    .redirectErrorStream(true)
                    .start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            present = done && p.exitValue() == 0;
            why = done ? "'" + PYTHON + " -c \"import mne\"' failed" : "importing mne timed out";
        }
        Assumptions.assumeTrue(
                present,
                "MNE-Python is not available (" + why + "): install Debian's python3-mne "
                        + "(apt-get install -y python3-mne) to run the EDF+ interoperability test");
    }

    private JsonNode readWithMne(Path edf) throws IOException, InterruptedException {
        Path script = dir.resolve("read_edf.py");
        try (InputStream in = getClass().getResourceAsStream("/mne/read_edf.py")) {
            Files.copy(in, script);
        }
        Path out = dir.resolve("mne.json");
        Process p = new ProcessBuilder(PYTHON, script.toString(), edf.toString())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "MNE did not finish");
        assertEquals(0, p.exitValue(), "MNE failed to read the file: " + new String(err, StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(out.toFile());
    }

    private static String row(double onset, String text, double duration) {
        return String.format(java.util.Locale.ROOT, "%012.6f %s %.6f", onset, text, duration);
    }

    @Test
    void mneReadsChannelsRateValuesAndAnnotations() throws Exception {
        Recording rec = Recordings.record("tmaze-ai-2trials", SignalKind.exportedKinds());
        Path edf = dir.resolve("tmaze.edf");
        EdfWriter.write(rec, edf);
        EdfFile header = new EdfFile(edf);
        JsonNode mne = readWithMne(edf);

        assertEquals(64.0, mne.get("sfreq").asDouble());
        assertEquals(rec.sampleCount(), mne.get("n_times").asInt());
        assertEquals(rec.channels().size(), mne.get("ch_names").size(), "the annotation signal is not a channel");
        for (int c = 0; c < rec.channels().size(); c++) {
            assertEquals(rec.channel(c).label(), mne.get("ch_names").get(c).asText());
            // MNE keeps SI units ("rad") and reports the others ("a.u.", "count") as "n/a", reading them unscaled
            String unit = rec.channel(c).unit();
            assertEquals(
                    unit.equals("rad") ? "rad" : "n/a",
                    mne.get("units").get(c).asText(),
                    rec.channel(c).label());
            assertEquals(unit, header.units[c]);
            double step = (header.physMax[c] - header.physMin[c]) / 65535;
            JsonNode row = mne.get("data").get(c);
            for (int n = 0; n < rec.sampleCount(); n++) {
                assertEquals(
                        rec.value(c, n),
                        row.get(n).asDouble(),
                        step / 2 * (1 + 1e-6) + 1e-12,
                        rec.channel(c).label() + " at sample " + n);
            }
        }
        // MNE orders annotations by onset; compare them as sorted (onset, text, duration) rows
        JsonNode annotations = mne.get("annotations");
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (Annotation a : rec.annotations()) expected.add(row(a.onsetSeconds(), a.text(), a.durationSeconds()));
        java.util.List<String> actual = new java.util.ArrayList<>();
        for (JsonNode m : annotations)
            actual.add(row(m.get(0).asDouble(), m.get(2).asText(), m.get(1).asDouble()));
        java.util.Collections.sort(expected);
        java.util.Collections.sort(actual);
        assertEquals(expected, actual);
    }
}
