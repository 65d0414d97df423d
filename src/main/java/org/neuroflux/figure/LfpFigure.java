package org.neuroflux.figure;

import java.awt.BasicStroke;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neuroflux.export.Recording;
import org.neuroflux.signal.SignalKind;

/** SPM's local field potentials: the within-epoch rate of change of every unit's firing rate. */
final class LfpFigure {
    private LfpFigure() {}

    static JFreeChart chart(FigureData data) {
        Recording rec = data.recording();
        int[] units = data.channels(SignalKind.LFP);
        if (units.length == 0)
            throw new IllegalArgumentException("the recording has no LFP channels for factor " + data.factor());
        int n = rec.sampleCount();
        int ns = data.shownFactor().stateCount();
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int u = 0; u < units.length; u++) {
            XYSeries s = new XYSeries(data.unitLabel(units[u]), false, true);
            for (int i = 0; i < n; i++) s.add(rec.timebase().seconds(i), rec.value(units[u], i));
            dataset.addSeries(s);
            int tau = rec.channel(units[u]).tau();
            renderer.setSeriesPaint(u, FigureStyle.colour(u % ns));
            // one colour per state, one dash pattern per time point
            float[] dash = tau == 0 ? null : new float[] {2f + 3f * (tau % 3), 2f + tau / 3f};
            renderer.setSeriesStroke(
                    u,
                    dash == null
                            ? new BasicStroke(1.6f)
                            : new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, dash, 0f));
        }
        XYPlot plot = new XYPlot(
                dataset, FigureStyle.timeAxis(rec, 0, n), FigureStyle.axis("LFP: d rate / dt (a.u. per s)"), renderer);
        FigureStyle.plot(plot);
        plot.addRangeMarker(new ValueMarker(0, java.awt.Color.GRAY, new BasicStroke(0.8f)));
        FigureStyle.epochMarkers(plot, rec, 0, n, true);
        String sub = rec.model() + ", " + rec.scheme() + ": derivative of each unit's firing rate within each epoch "
                + "(central differences, one-sided at epoch ends); colour = state, dash = time point";
        return FigureStyle.chart("Local field potentials: " + data.shownFactor().name(), sub, plot, units.length <= 36);
    }
}
