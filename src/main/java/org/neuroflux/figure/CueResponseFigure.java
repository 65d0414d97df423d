package org.neuroflux.figure;

import java.awt.BasicStroke;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * DEM_demo_MDP_X's dopamine result over learning trials: the phasic precision response to the cue
 * (CS) and to the reward outcome (US) in each trial, where a response is the change of expected
 * precision over the epoch that brought the stimulus (w_t - w_(t-1), the prior 1/beta before the
 * first epoch). Trials without the stimulus leave a gap.
 */
public final class CueResponseFigure {
    private CueResponseFigure() {}

    /** @param cs per trial, the response to the cue or NaN; @param us per trial, the response to the reward outcome or NaN */
    public static JFreeChart chart(String model, double[] cs, double[] us) {
        XYSeries csSeries = new XYSeries("cue (CS): change of precision over the epoch the cue is seen", false, true);
        XYSeries usSeries = new XYSeries(
                "outcome (US): change of precision over the epoch the reward outcome is seen", false, true);
        for (int k = 0; k < cs.length; k++) {
            csSeries.add(k + 1, Double.isNaN(cs[k]) ? null : cs[k]);
            usSeries.add(k + 1, Double.isNaN(us[k]) ? null : us[k]);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(csSeries);
        data.addSeries(usSeries);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int k = 0; k < 2; k++) {
            renderer.setSeriesPaint(k, FigureStyle.colour(k));
            renderer.setSeriesStroke(k, new BasicStroke(2f));
            renderer.setSeriesShape(k, new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        NumberAxis x = FigureStyle.axis("trial");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(0.5, cs.length + 0.5);
        NumberAxis y = FigureStyle.axis("phasic response: change in expected precision");
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        FigureStyle.plot(plot);
        String sub = model + ": responses to the cue (CS) and to the reward outcome (US) over learning trials "
                + "(DEM_demo_MDP_X: context right-better in trials 1 and 3, left-better otherwise; d learned)";
        return FigureStyle.chart("Dopamine: cue and outcome responses over learning", sub, plot, true);
    }
}
