package org.neuroflux.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.neuroflux.export.Recording;

/** Shared look of the figures: fonts, palette, time axis, epoch and trial markers, PNG output. */
final class FigureStyle {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    /** Colour-blind-safe palette (Okabe and Ito), then darker repeats. */
    private static final Color[] PALETTE = {
        new Color(0, 114, 178),
        new Color(213, 94, 0),
        new Color(0, 158, 115),
        new Color(204, 121, 167),
        new Color(230, 159, 0),
        new Color(86, 180, 233),
        new Color(0, 0, 0),
        new Color(240, 228, 66).darker()
    };

    private FigureStyle() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    static Color colour(int i) {
        Color c = PALETTE[i % PALETTE.length];
        return i < PALETTE.length ? c : c.darker();
    }

    static JFreeChart chart(String title, String subtitle, Plot plot, boolean legend) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        if (subtitle != null) {
            TextTitle sub = new TextTitle(subtitle, SUBTITLE);
            sub.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(sub);
        }
        LegendTitle lt = chart.getLegend();
        if (lt != null) {
            lt.setItemFont(LEGEND);
            lt.setFrame(BlockBorder.NONE);
            lt.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    static void plot(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlinePaint(Color.GRAY);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        axis(plot.getDomainAxis());
        for (int i = 0; i < plot.getRangeAxisCount(); i++) if (plot.getRangeAxis(i) != null) axis(plot.getRangeAxis(i));
    }

    static void axis(ValueAxis axis) {
        if (axis == null) return;
        axis.setLabelFont(AXIS_LABEL);
        axis.setTickLabelFont(TICK);
    }

    static NumberAxis timeAxis(Recording rec, int fromSample, int toSample) {
        NumberAxis x = new NumberAxis("time (s)");
        x.setRange(rec.timebase().seconds(fromSample), rec.timebase().seconds(toSample));
        x.setAutoRangeIncludesZero(false);
        axis(x);
        return x;
    }

    static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        axis(a);
        return a;
    }

    /** Dotted lines at epoch starts and grey bands over every second trial (SPM's patches). */
    static void epochMarkers(XYPlot plot, Recording rec, int fromSample, int toSample, boolean trialBands) {
        plot.setDomainGridlinesVisible(false);
        int ni = rec.timebase().samplesPerEpoch();
        int epochsShown = (toSample - fromSample) / ni;
        for (int k = 0; k < rec.trialCount(); k++) {
            int start = rec.trialStart(k);
            int end = start + rec.trialLength(k);
            if (end <= fromSample || start >= toSample) continue;
            if (trialBands && k % 2 == 1) {
                IntervalMarker band = new IntervalMarker(
                        rec.timebase().seconds(start), rec.timebase().seconds(end));
                band.setPaint(new Color(0, 0, 0, 14));
                plot.addDomainMarker(band, Layer.BACKGROUND);
            }
            if (epochsShown > 96) continue;
            for (int n = start; n < end; n += ni) {
                if (n <= fromSample) continue;
                ValueMarker m = new ValueMarker(rec.timebase().seconds(n));
                boolean trialStart = n == start;
                m.setPaint(trialStart ? new Color(0x888888) : new Color(0xBBBBBB));
                m.setStroke(
                        trialStart
                                ? new BasicStroke(1.2f)
                                : new BasicStroke(
                                        0.8f,
                                        BasicStroke.CAP_BUTT,
                                        BasicStroke.JOIN_MITER,
                                        1f,
                                        new float[] {3f, 3f},
                                        0f));
                plot.addDomainMarker(m, Layer.FOREGROUND);
            }
        }
    }

    static Paint gray(double level) {
        int g = (int) Math.round(255 * Math.max(0, Math.min(1, level)));
        return new Color(g, g, g);
    }

    static void save(JFreeChart chart, Path file, int width, int height) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    }
}
