package org.neuroflux.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neuroflux.export.Recording;
import org.neuroflux.signal.SignalKind;

/**
 * SPM's dopamine responses: the phasic signal dn = 8 gradient(wn) + wn / 8, rectified as SPM plots it
 * (SPM also adds display noise; this figure does not), one bar per iteration; below, the expected
 * precision wn it comes from.
 */
final class DopamineFigure {
    private DopamineFigure() {}

    /** True when the model selects among policies, so precision and dopamine exist. */
    static boolean available(FigureData data) {
        return data.channel(SignalKind.DOPAMINE) >= 0 && data.channel(SignalKind.PRECISION) >= 0;
    }

    static JFreeChart chart(FigureData data) {
        Recording rec = data.recording();
        int da = data.channel(SignalKind.DOPAMINE);
        int gamma = data.channel(SignalKind.PRECISION);
        if (da < 0 || gamma < 0) throw new IllegalArgumentException("no dopamine: the model has a single policy");
        int n = rec.sampleCount();
        double dt = rec.timebase().secondsPerSample();
        XYSeries bars = new XYSeries("phasic dopamine: max(0, 8 d(wn)/d(iteration) + wn/8)", false, true);
        XYSeries prec = new XYSeries("expected precision wn (gamma)", false, true);
        for (int i = 0; i < n; i++) {
            bars.add(rec.timebase().seconds(i) + dt / 2, Math.max(0, rec.value(da, i)));
            prec.add(rec.timebase().seconds(i), rec.value(gamma, i));
        }
        XYBarRenderer barRenderer = new XYBarRenderer(0.1);
        barRenderer.setBarPainter(new StandardXYBarPainter());
        barRenderer.setShadowVisible(false);
        barRenderer.setSeriesPaint(0, Color.BLACK);
        NumberAxis daAxis = FigureStyle.axis("change in precision (a.u.)");
        daAxis.setAutoRangeIncludesZero(true);
        XYSeriesCollection barData = new XYSeriesCollection(bars);
        barData.setIntervalWidth(dt);
        XYPlot top = new XYPlot(barData, null, daAxis, barRenderer);
        FigureStyle.plot(top);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, FigureStyle.colour(0));
        line.setSeriesStroke(0, new BasicStroke(1.8f));
        XYPlot bottom = new XYPlot(new XYSeriesCollection(prec), null, FigureStyle.axis("precision (a.u.)"), line);
        FigureStyle.plot(bottom);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(FigureStyle.timeAxis(rec, 0, n));
        plot.setGap(12);
        plot.add(top, 2);
        plot.add(bottom, 1);
        FigureStyle.epochMarkers(top, rec, 0, n, true);
        FigureStyle.epochMarkers(bottom, rec, 0, n, true);
        String sub = rec.model() + ", " + rec.scheme()
                + ": one bar per belief update (1/64 s); dotted lines mark epochs, grey bands every second trial";
        return FigureStyle.chart("Dopamine responses", sub, plot, true);
    }
}
