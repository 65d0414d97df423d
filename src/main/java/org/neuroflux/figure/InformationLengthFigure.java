package org.neuroflux.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.neuroflux.experiment.PairedSummary;

/**
 * The paper's figure: information length per trial (by default the authors' cat_inf_length, summed
 * over factors), mean over agents with its 95% confidence interval (Student's t) as a band, for
 * each scheme.
 */
public final class InformationLengthFigure {
    /**
     * Per-scheme lengths.
     *
     * @param scheme  label, e.g. "natural-gradient (nat3: Ni=512)"
     * @param lengths [agent][trial]
     */
    public record Series(String scheme, double[][] lengths) {
        public Series {
            Objects.requireNonNull(scheme, "scheme");
            if (lengths.length == 0 || lengths[0].length == 0)
                throw new IllegalArgumentException("no lengths for " + scheme);
        }
    }

    private InformationLengthFigure() {}

    /** What the authors' score measures, for the subtitle. */
    public static final String AUTHORS_MEASURE =
            "per trial, 2 x the summed chord length of the policy-averaged beliefs over iterations (cat_inf_length)";

    public static JFreeChart chart(String model, Series... series) {
        return chart(model, AUTHORS_MEASURE, series);
    }

    /** @param measure what a trial's length is, for the subtitle */
    public static JFreeChart chart(String model, String measure, Series... series) {
        YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        int agents = series[0].lengths().length;
        int trials = series[0].lengths()[0].length;
        for (int k = 0; k < series.length; k++) {
            double[][] l = series[k].lengths();
            YIntervalSeries s = new YIntervalSeries(series[k].scheme());
            for (int t = 0; t < l[0].length; t++) {
                double mean = 0;
                for (double[] agent : l) mean += agent[t] / l.length;
                double var = 0;
                for (double[] agent : l) var += (agent[t] - mean) * (agent[t] - mean);
                double half = l.length > 1
                        ? PairedSummary.studentT975(l.length - 1) * Math.sqrt(var / (l.length - 1) / l.length)
                        : 0;
                s.add(t + 1, mean, mean - half, mean + half);
            }
            dataset.addSeries(s);
            Color c = FigureStyle.colour(k);
            renderer.setSeriesPaint(k, c);
            renderer.setSeriesFillPaint(k, c);
            renderer.setSeriesStroke(k, new BasicStroke(2.2f));
            renderer.setSeriesShape(k, new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        renderer.setAlpha(0.2f);
        NumberAxis x = FigureStyle.axis("trial");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(0.5, trials + 0.5);
        // schemes an order of magnitude apart (the Euclidean baseline) share a readable log axis
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (int k = 0; k < dataset.getSeriesCount(); k++) {
            for (int i = 0; i < dataset.getItemCount(k); i++) {
                low = Math.min(low, dataset.getStartYValue(k, i));
                high = Math.max(high, dataset.getEndYValue(k, i));
            }
        }
        org.jfree.chart.axis.ValueAxis y;
        if (low > 0 && high / low > 10) {
            org.jfree.chart.axis.LogAxis log =
                    new org.jfree.chart.axis.LogAxis("information length (Fisher-Rao, log scale)");
            log.setLabelFont(FigureStyle.axis("x").getLabelFont());
            log.setTickLabelFont(FigureStyle.axis("x").getTickLabelFont());
            log.setSmallestValue(low / 2);
            log.setNumberFormatOverride(new java.text.DecimalFormat("0.#"));
            y = log;
        } else {
            NumberAxis linear = FigureStyle.axis("information length (Fisher-Rao)");
            linear.setAutoRangeIncludesZero(true);
            y = linear;
        }
        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        FigureStyle.plot(plot);
        String sub =
                model + ": mean over " + agents + " agent(s)" + (agents > 1 ? " with 95% CI" : "") + "; " + measure;
        return FigureStyle.chart("Information length per trial", sub, plot, true);
    }
}
