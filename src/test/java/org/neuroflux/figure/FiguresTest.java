package org.neuroflux.figure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.export.Recording;
import org.neuroflux.export.RecordingBuilder;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

class FiguresTest {
    @TempDir
    Path dir;

    private static FigureData data(String name, int trials) throws Exception {
        String text;
        try (InputStream in = FiguresTest.class.getResourceAsStream("/reference/" + name + "/mdp.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SpmImport imported = new SpmModelReader().read(text, name);
        GenerativeModel[] models = new GenerativeModel[trials];
        TrialFixture[] fixtures = new TrialFixture[trials];
        for (int i = 0; i < trials; i++) {
            int from = Math.min(i, imported.models().size() - 1);
            models[i] = imported.models().get(from);
            fixtures[i] = imported.fixtures().get(from);
        }
        TrialTrace[] traces =
                new TrialRunner(models[0], SolverOptions.spm()).runSequence(models, fixtures, new SplitMixSource(2));
        Recording rec = new RecordingBuilder(models[0], "active-inference")
                .signals(Figures.SIGNALS)
                .factors(0)
                .build(traces);
        return new FigureData(models[0], traces, rec, 0, 2);
    }

    /** The image has the expected size and is not blank: its grey levels vary. */
    static void assertPicture(Path png) throws Exception {
        assertTrue(Files.size(png) > 10_000, png + " is only " + Files.size(png) + " bytes");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not a PNG");
        assertEquals(Figures.WIDTH, image.getWidth());
        assertEquals(Figures.HEIGHT, image.getHeight());
        double sum = 0;
        double sq = 0;
        int n = 0;
        long dark = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double g = (((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255)) / 3.0;
                sum += g;
                sq += g * g;
                n++;
                if (g < 128) dark++;
            }
        }
        double variance = sq / n - (sum / n) * (sum / n);
        assertTrue(variance > 200, png + ": pixel variance " + variance + " (blank?)");
        assertTrue(dark > n / 200, png + ": only " + dark + " dark pixels of " + n);
    }

    @Test
    void writesEveryElectrophysiologyFigureOfTheTmaze() throws Exception {
        List<Figures.Output> out = Figures.write(data("tmaze-ai-2trials", 3), dir);
        Map<String, Figures.Output> byName = out.stream().collect(Collectors.toMap(Figures.Output::name, o -> o));
        for (String name : List.of("firing-rates", "lfp", "time-frequency", "dopamine", "raster", "mismatch")) {
            Figures.Output o = byName.get(name);
            assertNotNull(o, name);
            assertNull(o.skipped(), name + ": " + o.skipped());
            assertEquals(dir.resolve(name + ".png"), o.file());
            assertPicture(o.file());
        }
    }

    @Test
    void theOddballHasAMismatchWaveButNoDopamine() throws Exception {
        List<Figures.Output> out = Figures.write(data("oddball-ai", 1), dir);
        Map<String, Figures.Output> byName = out.stream().collect(Collectors.toMap(Figures.Output::name, o -> o));
        assertNull(byName.get("dopamine").file());
        assertTrue(byName.get("dopamine").skipped().contains("single policy"));
        assertPicture(byName.get("mismatch").file());
        assertEquals(1, MismatchFigure.contrast(data("oddball-ai", 1)).deviantTrial() + 1);
        assertEquals(3, MismatchFigure.contrast(data("oddball-ai", 1)).deviantEpoch());
    }

    @Test
    void informationLengthComparesBothSchemesPerTrial() throws Exception {
        double[][] ng = {{2.5, 2.1, 1.8}, {2.4, 2.0, 1.9}};
        double[][] ai = {{2.4, 3.9, 2.3}, {2.6, 3.5, 2.2}};
        Figures.Output o = Figures.writeInformationLength(
                "tmaze",
                dir,
                new InformationLengthFigure.Series("natural gradient", ng),
                new InformationLengthFigure.Series("active inference", ai));
        assertPicture(o.file());
    }
}
