package org.neuroflux.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neuroflux.export.Recording;
import org.neuroflux.signal.SignalKind;

/**
 * SPM's time-frequency response: the wavelet magnitude (4-32 Hz, 16-bin Hanning window) of every unit's
 * LFP, summed over units, with the population field (sum over units of |LFP|) and its 4 Hz component drawn
 * over it, scaled as SPM scales its overlay (4 x / sd(x) + 16); below, the theta phase. SPM overlays the
 * signed sum of the LFP, which vanishes up to rounding (the states' rates sum to one), so the rectified
 * sum is drawn instead.
 */
final class TimeFrequencyFigure {
    private TimeFrequencyFigure() {}

    static JFreeChart chart(FigureData data) {
        Recording rec = data.recording();
        int[] tf = data.channels(SignalKind.TF);
        int theta = data.channel(SignalKind.THETA);
        int phase = data.channel(SignalKind.PHASE);
        int[] lfp = data.channels(SignalKind.LFP);
        if (tf.length == 0 || theta < 0 || phase < 0 || lfp.length == 0) {
            throw new IllegalArgumentException(
                    "the recording needs tf, theta, phase and lfp channels for factor " + data.factor());
        }
        int n = rec.sampleCount();
        double dt = rec.timebase().secondsPerSample();
        int group = (n + FiringRateFigure.MAX_COLUMNS - 1) / FiringRateFigure.MAX_COLUMNS;
        int cols = (n + group - 1) / group;
        double[][] xyz = new double[3][cols * tf.length];
        double max = 0;
        int i = 0;
        for (int k = 0; k < tf.length; k++) {
            double hz = rec.channel(tf[k]).frequencyHz();
            for (int col = 0; col < cols; col++) {
                int from = col * group;
                int to = Math.min(n, from + group);
                double sum = 0;
                for (int s = from; s < to; s++) sum += rec.value(tf[k], s);
                xyz[0][i] = (from + to) / 2.0 * dt;
                xyz[1][i] = hz;
                xyz[2][i] = sum / (to - from);
                max = Math.max(max, xyz[2][i]);
                i++;
            }
        }
        DefaultXYZDataset image = new DefaultXYZDataset();
        image.addSeries("magnitude", xyz);
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setBlockWidth(group * dt);
        blocks.setBlockHeight(1);
        ColourScale scale = new ColourScale(0, max, ColourScale.VIRIDIS);
        blocks.setPaintScale(scale);
        blocks.setDefaultSeriesVisibleInLegend(false);
        NumberAxis freq = FigureStyle.axis("frequency (Hz)");
        freq.setRange(3.5, 32.5);
        freq.setTickUnit(new NumberTickUnit(4));
        XYPlot top = new XYPlot(image, null, freq, blocks);

        double[] sum = new double[n];
        for (int c : lfp) for (int s = 0; s < n; s++) sum[s] += Math.abs(rec.value(c, s));
        double[] th = rec.copyOf(theta);
        XYSeriesCollection overlay = new XYSeriesCollection();
        overlay.addSeries(scaled("population field: sum of |LFP| (white dots, scaled 4 x/sd + 16)", sum, rec));
        overlay.addSeries(scaled("its 4 Hz theta component (white line, scaled)", th, rec));
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        lines.setSeriesPaint(0, Color.WHITE);
        lines.setSeriesStroke(
                0, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 3f}, 0f));
        lines.setSeriesPaint(1, Color.WHITE);
        lines.setSeriesStroke(1, new BasicStroke(2f));
        top.setDataset(1, overlay);
        top.setRenderer(1, lines);
        top.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD);
        FigureStyle.plot(top);
        top.setDomainGridlinesVisible(false);
        top.setRangeGridlinesVisible(false);

        XYSeriesCollection phaseData = new XYSeriesCollection();
        XYSeries ps = new XYSeries("theta phase: angle of the 4 Hz component (rad)", false, true);
        for (int s = 0; s < n; s++) ps.add(rec.timebase().seconds(s), rec.value(phase, s));
        phaseData.addSeries(ps);
        XYLineAndShapeRenderer phaseRenderer = new XYLineAndShapeRenderer(true, false);
        phaseRenderer.setSeriesPaint(0, FigureStyle.colour(1));
        phaseRenderer.setSeriesStroke(0, new BasicStroke(1.5f));
        NumberAxis radians = FigureStyle.axis("theta phase (rad)");
        radians.setRange(-Math.PI - 0.2, Math.PI + 0.2);
        radians.setTickUnit(new NumberTickUnit(Math.PI / 2, new java.text.DecimalFormat("0.00")));
        XYPlot bottom = new XYPlot(phaseData, null, radians, phaseRenderer);
        FigureStyle.plot(bottom);

        // the overlay is white on the image: its legend swatches are drawn dark so they show on white
        LegendItemCollection legend = new LegendItemCollection();
        for (int s = 0; s < 2; s++) {
            LegendItem item = new LegendItem(
                    overlay.getSeriesKey(s).toString(),
                    null,
                    null,
                    null,
                    new java.awt.geom.Line2D.Double(-9, 0, 9, 0),
                    lines.getSeriesStroke(s),
                    Color.DARK_GRAY);
            item.setLabelFont(FigureStyle.LEGEND);
            legend.add(item);
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(FigureStyle.timeAxis(rec, 0, n)) {
            @Override
            public LegendItemCollection getLegendItems() {
                LegendItemCollection all = new LegendItemCollection();
                all.addAll(legend);
                all.addAll(bottomLegend(phaseRenderer, phaseData));
                return all;
            }
        };
        plot.setGap(12);
        plot.add(top, 3);
        plot.add(bottom, 1);
        FigureStyle.epochMarkers(top, rec, 0, n, false);
        FigureStyle.epochMarkers(bottom, rec, 0, n, false);
        String sub = rec.model() + ", " + rec.scheme() + ": |wavelet transform| of each unit's LFP summed over units ("
                + data.shownFactor().name() + "), Hanning window of 16 bins (250 ms)";
        JFreeChart chart = FigureStyle.chart("Time-frequency response and theta phase", sub, plot, true);
        chart.addSubtitle(FiringRateFigure.colourLegend(scale, "magnitude (a.u./s)"));
        return chart;
    }

    private static LegendItemCollection bottomLegend(XYLineAndShapeRenderer renderer, XYSeriesCollection data) {
        LegendItemCollection items = new LegendItemCollection();
        LegendItem item = new LegendItem(
                data.getSeriesKey(0).toString(),
                null,
                null,
                null,
                new java.awt.geom.Line2D.Double(-9, 0, 9, 0),
                renderer.getSeriesStroke(0),
                renderer.getSeriesPaint(0));
        item.setLabelFont(FigureStyle.LEGEND);
        items.add(item);
        return items;
    }

    private static XYSeries scaled(String name, double[] x, Recording rec) {
        double mean = 0;
        for (double v : x) mean += v / x.length;
        double var = 0;
        for (double v : x) var += (v - mean) * (v - mean) / Math.max(1, x.length - 1);
        double sd = Math.sqrt(var);
        XYSeries s = new XYSeries(name, false, true);
        for (int i = 0; i < x.length; i++) s.add(rec.timebase().seconds(i), sd > 0 ? 4 * x[i] / sd + 16 : 16);
        return s;
    }
}
