package org.neuroflux.figure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.neuroflux.signal.SignalKind;

/**
 * Renders the electrophysiology figures of one simulation into a directory as PNG files, headless.
 * Figures a model cannot have (dopamine without policies to choose between, a mismatch wave without a
 * deviant) are skipped with a reason.
 */
public final class Figures {
    /** Pixel size of every figure. */
    public static final int WIDTH = 1400;

    public static final int HEIGHT = 800;

    /** Signals the recording behind the figures must hold. */
    public static final Set<SignalKind> SIGNALS = EnumSet.of(
            SignalKind.RATE,
            SignalKind.LFP,
            SignalKind.TF,
            SignalKind.THETA,
            SignalKind.PHASE,
            SignalKind.DOPAMINE,
            SignalKind.PRECISION);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** A written figure, or a skipped one with the reason. */
    public record Output(String name, Path file, String skipped) {}

    private Figures() {}

    /** Writes firing-rates, lfp, time-frequency, dopamine, raster and mismatch PNGs. */
    public static List<Output> write(FigureData data, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Output> out = new ArrayList<>();
        out.add(save("firing-rates", FiringRateFigure.chart(data), dir));
        out.add(save("lfp", LfpFigure.chart(data), dir));
        out.add(save("time-frequency", TimeFrequencyFigure.chart(data), dir));
        out.add(
                DopamineFigure.available(data)
                        ? save("dopamine", DopamineFigure.chart(data), dir)
                        : new Output(
                                "dopamine",
                                null,
                                "the model has a single policy, so precision and dopamine are not defined"));
        out.add(save("raster", RasterFigure.chart(data, 0), dir));
        out.add(
                MismatchFigure.contrast(data) != null
                        ? save("mismatch", MismatchFigure.chart(data), dir)
                        : new Output(
                                "mismatch",
                                null,
                                "one trial whose first-modality outcome never changes: no deviant to compare"));
        return out;
    }

    /** Writes information-length.png. */
    public static Output writeInformationLength(String model, Path dir, InformationLengthFigure.Series... series)
            throws IOException {
        Files.createDirectories(dir);
        return save("information-length", InformationLengthFigure.chart(model, series), dir);
    }

    /** {@link CueResponseFigure} as cue-dopamine.png. */
    public static Output writeCueResponses(String model, Path dir, double[] cs, double[] us) throws IOException {
        Files.createDirectories(dir);
        return save("cue-dopamine", CueResponseFigure.chart(model, cs, us), dir);
    }

    /** The information-length figure as {@code name}.png, with {@code measure} describing a trial's length. */
    public static Output writeInformationLength(
            String name, String model, String measure, Path dir, InformationLengthFigure.Series... series)
            throws IOException {
        Files.createDirectories(dir);
        return save(name, InformationLengthFigure.chart(model, measure, series), dir);
    }

    private static Output save(String name, JFreeChart chart, Path dir) throws IOException {
        Path file = dir.resolve(name + ".png");
        FigureStyle.save(chart, file, WIDTH, HEIGHT);
        return new Output(name, file, null);
    }
}
