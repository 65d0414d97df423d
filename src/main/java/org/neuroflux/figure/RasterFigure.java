package org.neuroflux.figure;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.neuroflux.export.Recording;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.signal.SpikeRaster;

/**
 * SPM's unit firing raster for one trial: every unit drawn as 16 neurons, every iteration split into 16
 * sub-bins, a spike with probability rate x 15/16 (seeded SplitMix64, see {@link SpikeRaster}).
 */
final class RasterFigure {
    private RasterFigure() {}

    static JFreeChart chart(FigureData data, int trial) {
        Recording rec = data.recording();
        int[] units = data.channels(SignalKind.RATE);
        if (units.length == 0) throw new IllegalArgumentException("the recording has no rate channels");
        SpikeRaster raster = new SpikeRaster();
        int neurons = raster.neuronsPerUnit();
        int bins = raster.subBinsPerSample();
        int from = rec.trialStart(trial);
        int n = rec.trialLength(trial);
        double dt = rec.timebase().secondsPerSample();
        double[] frame = new double[units.length];
        boolean[] spikes = new boolean[units.length * neurons * bins];
        SplitMixSource random = new SplitMixSource(data.spikeSeed());
        int capacity = 1024;
        double[][] xyz = new double[3][capacity];
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (int u = 0; u < units.length; u++) frame[u] = rec.value(units[u], from + i);
            raster.sample(frame, 0, units.length, random, spikes, 0, null, 0);
            for (int u = 0; u < units.length; u++) {
                for (int r = 0; r < neurons; r++) {
                    for (int b = 0; b < bins; b++) {
                        if (!spikes[(u * neurons + r) * bins + b]) continue;
                        if (count == capacity) {
                            capacity *= 2;
                            for (int d = 0; d < 3; d++) xyz[d] = java.util.Arrays.copyOf(xyz[d], capacity);
                        }
                        xyz[0][count] = rec.timebase().seconds(from + i) + (b + 0.5) * dt / bins;
                        xyz[1][count] = u - 0.5 + (r + 0.5) / neurons;
                        xyz[2][count] = 1;
                        count++;
                    }
                }
            }
        }
        for (int d = 0; d < 3; d++) xyz[d] = java.util.Arrays.copyOf(xyz[d], count);
        DefaultXYZDataset dataset = new DefaultXYZDataset();
        dataset.addSeries("spikes", xyz);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockWidth(dt / bins);
        renderer.setBlockHeight(1.0 / neurons);
        LookupPaintScale black = new LookupPaintScale(0, 2, java.awt.Color.BLACK);
        renderer.setPaintScale(black);
        String[] labels = new String[units.length];
        for (int u = 0; u < units.length; u++) labels[u] = data.unitLabel(units[u]);
        XYPlot plot = new XYPlot(
                dataset, FigureStyle.timeAxis(rec, from, from + n), FiringRateFigure.unitAxis(labels), renderer);
        FigureStyle.plot(plot);
        plot.setDomainGridlinesVisible(false);
        FigureStyle.epochMarkers(plot, rec, from, from + n, false);
        String sub =
                rec.model() + ", " + rec.scheme() + ", trial " + (trial + 1) + ": " + neurons + " neurons per unit, "
                        + bins + " sub-bins per iteration (" + FiringRateFigure.fmt(1000 * dt / bins)
                        + " ms), P(spike) = rate x 15/16; "
                        + count + " spikes, seed " + data.spikeSeed();
        return FigureStyle.chart("Unit firing: " + data.shownFactor().name(), sub, plot, false);
    }
}
