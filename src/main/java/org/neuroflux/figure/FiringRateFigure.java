package org.neuroflux.figure;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;
import org.neuroflux.export.Recording;
import org.neuroflux.signal.SignalKind;

/** SPM's unit-by-time image of firing rates: one row per unit (state, time point), black = firing. */
final class FiringRateFigure {
    /** Columns drawn at most; longer recordings are averaged in groups of samples. */
    static final int MAX_COLUMNS = 2400;

    private FiringRateFigure() {}

    static JFreeChart chart(FigureData data) {
        Recording rec = data.recording();
        int[] units = data.channels(SignalKind.RATE);
        if (units.length == 0)
            throw new IllegalArgumentException("the recording has no rate channels for factor " + data.factor());
        int n = rec.sampleCount();
        int group = (n + MAX_COLUMNS - 1) / MAX_COLUMNS;
        int cols = (n + group - 1) / group;
        double dt = rec.timebase().secondsPerSample();
        double[][] xyz = new double[3][cols * units.length];
        String[] labels = new String[units.length];
        int i = 0;
        for (int u = 0; u < units.length; u++) {
            labels[u] = data.unitLabel(units[u]);
            for (int col = 0; col < cols; col++) {
                int from = col * group;
                int to = Math.min(n, from + group);
                double sum = 0;
                for (int s = from; s < to; s++) sum += rec.value(units[u], s);
                xyz[0][i] = (from + to) / 2.0 * dt;
                xyz[1][i] = u;
                xyz[2][i] = sum / (to - from);
                i++;
            }
        }
        DefaultXYZDataset dataset = new DefaultXYZDataset();
        dataset.addSeries("rate", xyz);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockWidth(group * dt);
        renderer.setBlockHeight(1);
        ColourScale scale = new ColourScale(0, 1, ColourScale.WHITE_TO_BLACK);
        renderer.setPaintScale(scale);
        NumberAxis x = FigureStyle.timeAxis(rec, 0, n);
        NumberAxis y = unitAxis(labels);
        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        FigureStyle.plot(plot);
        plot.setDomainGridlinesVisible(false);
        FigureStyle.epochMarkers(plot, rec, 0, n, false);
        String title = "Firing rates: " + data.shownFactor().name();
        String sub = rec.model() + ", " + rec.scheme() + ", " + rec.trialCount()
                + " trial(s); rate = posterior expectation xn of each unit (state: t=time point), " + "1 iteration = "
                + fmt(1000 * dt) + " ms";
        JFreeChart chart = FigureStyle.chart(title, sub, plot, false);
        chart.addSubtitle(colourLegend(scale, "firing rate (a.u., 0..1)"));
        return chart;
    }

    static NumberAxis unitAxis(String[] labels) {
        NumberAxis y;
        if (labels.length <= 40) {
            SymbolAxis s = new SymbolAxis("unit (state: t=time point)", labels);
            s.setGridBandsVisible(false);
            y = s;
        } else {
            y = new NumberAxis("unit (state + Ns x time point)");
        }
        y.setRange(-0.5, labels.length - 0.5);
        y.setInverted(true);
        FigureStyle.axis(y);
        if (labels.length > 24) y.setTickLabelFont(FigureStyle.TICK.deriveFont(9f));
        return y;
    }

    static PaintScaleLegend colourLegend(org.jfree.chart.renderer.PaintScale scale, String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setRange(scale.getLowerBound(), scale.getUpperBound());
        FigureStyle.axis(axis);
        PaintScaleLegend legend = new PaintScaleLegend(scale, axis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(new RectangleInsets(8, 8, 40, 4));
        legend.setStripWidth(14);
        legend.setAxisOffset(4);
        legend.setSubdivisionCount(128);
        return legend;
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.3g", v);
    }
}
