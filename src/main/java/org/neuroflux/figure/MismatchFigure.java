package org.neuroflux.figure;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.export.Channel;
import org.neuroflux.export.Recording;
import org.neuroflux.signal.MismatchResponse;
import org.neuroflux.signal.SignalKind;

/**
 * The mismatch difference wave: the LFP of the units that encode the stimulus' own time point, in response
 * to the deviant minus in response to the standard, aligned at the start of each epoch.
 * <ul>
 *   <li>Mismatch negativity, for passive paradigms (no factor has a choice of control, as in the
 *       oddball): the oddball epoch of the last trial (the first epoch whose outcome in the first modality
 *       breaks a run of at least two identical outcomes, see {@link MismatchResponse#deviantEpoch}) minus
 *       that trial's first epoch.</li>
 *   <li>Otherwise, with several trials, the repetition effect (suppression or enhancement): an epoch of the last trial minus the same
 *       epoch of the first trial, for the units of one time point: the epoch and time point whose units
 *       have the largest summed |LFP| in the first trial.</li>
 * </ul>
 */
final class MismatchFigure {
    private MismatchFigure() {}

    /** What is compared: trial and epoch of the deviant and of the standard, and a description. */
    record Contrast(
            int deviantTrial,
            int deviantEpoch,
            int standardTrial,
            int standardEpoch,
            int deviantTau,
            int standardTau,
            String deviantName,
            String standardName,
            String title,
            String description) {}

    /** The contrast this recording supports, or null (one trial without a deviant). */
    static Contrast contrast(FigureData data) {
        TrialTrace[] traces = data.traces();
        int last = traces.length - 1;
        boolean passive = true;
        for (var f : data.model().factors()) passive &= f.controlCount() == 1;
        int deviant = passive ? MismatchResponse.deviantEpoch(traces[last].o[0]) : -1;
        String modality = data.model().modalities().get(0).name();
        if (deviant > 0) {
            return new Contrast(
                    last,
                    deviant,
                    last,
                    0,
                    deviant,
                    0,
                    "deviant",
                    "standard",
                    "Mismatch negativity: deviant minus standard",
                    "units of the stimulus' own time point; trial " + (last + 1) + ": oddball epoch " + (deviant + 1)
                            + " ("
                            + modality + "=" + outcome(data, last, deviant) + ") minus standard epoch 1 (" + modality
                            + "="
                            + outcome(data, last, 0) + ")");
        }
        if (traces.length > 1) {
            int[] best = mostEvoked(data);
            int epoch = best[0];
            int tau = best[1];
            return new Contrast(
                    last,
                    epoch,
                    0,
                    epoch,
                    tau,
                    tau,
                    "trial " + (last + 1),
                    "trial 1",
                    "Repetition effect: last trial minus first trial",
                    "units of time point " + (tau + 1) + " (the most evoked in trial 1); epoch " + (epoch + 1)
                            + " of trial " + (last + 1) + " minus epoch " + (epoch + 1) + " of trial 1");
        }
        return null;
    }

    /** The (epoch, time point) whose units have the largest summed |LFP| in the first trial. */
    private static int[] mostEvoked(FigureData data) {
        Recording rec = data.recording();
        int ni = rec.timebase().samplesPerEpoch();
        int epochs = rec.trialLength(0) / ni;
        int[] best = {0, 0};
        double bestSum = -1;
        for (int e = 0; e < epochs; e++) {
            for (int tau = 0; tau < epochs; tau++) {
                double sum = 0;
                for (int ch : data.channels(SignalKind.LFP)) {
                    if (rec.channel(ch).tau() != tau) continue;
                    for (int i = 0; i < ni; i++) sum += Math.abs(rec.value(ch, e * ni + i));
                }
                if (sum > bestSum) {
                    bestSum = sum;
                    best = new int[] {e, tau};
                }
            }
        }
        return best;
    }

    private static String outcome(FigureData data, int trial, int epoch) {
        return data.model().modalities().get(0).outcomes().get(data.traces()[trial].o[0][epoch]);
    }

    static JFreeChart chart(FigureData data) {
        Contrast c = contrast(data);
        if (c == null) throw new IllegalArgumentException("no deviant: one trial whose outcomes never change");
        Recording rec = data.recording();
        int ni = rec.timebase().samplesPerEpoch();
        double msPerSample = 1000 * rec.timebase().secondsPerSample();
        List<Integer> dev = new ArrayList<>();
        List<Integer> std = new ArrayList<>();
        for (int ch : data.channels(SignalKind.LFP)) {
            Channel channel = rec.channel(ch);
            if (channel.tau() == c.deviantTau()) dev.add(ch);
            if (channel.tau() == c.standardTau()) std.add(ch);
        }
        XYSeriesCollection responses = new XYSeriesCollection();
        XYSeriesCollection differences = new XYSeriesCollection();
        XYLineAndShapeRenderer top = new XYLineAndShapeRenderer(true, false);
        XYLineAndShapeRenderer bottom = new XYLineAndShapeRenderer(true, false);
        double[] d = new double[ni];
        double[] s = new double[ni];
        double[] diff = new double[ni];
        int devStart = rec.trialStart(c.deviantTrial()) + c.deviantEpoch() * ni;
        int stdStart = rec.trialStart(c.standardTrial()) + c.standardEpoch() * ni;
        for (int k = 0; k < dev.size(); k++) {
            String state =
                    data.shownFactor().states().get(rec.channel(dev.get(k)).state());
            rec.copy(dev.get(k), devStart, ni, d, 0);
            rec.copy(std.get(k), stdStart, ni, s, 0);
            MismatchResponse.difference(d, 0, s, 0, ni, diff, 0);
            XYSeries sd = new XYSeries(c.standardName() + ": " + state, false, true);
            XYSeries dd = new XYSeries(c.deviantName() + ": " + state, false, true);
            XYSeries df = new XYSeries(c.deviantName() + " - " + c.standardName() + ": " + state, false, true);
            for (int i = 0; i < ni; i++) {
                double t = i * msPerSample;
                sd.add(t, s[i]);
                dd.add(t, d[i]);
                df.add(t, diff[i]);
            }
            int base = responses.getSeriesCount();
            responses.addSeries(sd);
            responses.addSeries(dd);
            differences.addSeries(df);
            top.setSeriesPaint(base, FigureStyle.colour(k));
            top.setSeriesStroke(
                    base,
                    new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f));
            top.setSeriesPaint(base + 1, FigureStyle.colour(k));
            top.setSeriesStroke(base + 1, new BasicStroke(2f));
            bottom.setSeriesPaint(k, FigureStyle.colour(k));
            bottom.setSeriesStroke(k, new BasicStroke(2.4f));
        }
        XYPlot p1 = new XYPlot(responses, null, FigureStyle.axis("LFP (a.u./s)"), top);
        XYPlot p2 = new XYPlot(differences, null, FigureStyle.axis("difference (a.u./s)"), bottom);
        for (XYPlot p : new XYPlot[] {p1, p2}) {
            FigureStyle.plot(p);
            p.addRangeMarker(new ValueMarker(0, java.awt.Color.GRAY, new BasicStroke(0.8f)));
        }
        NumberAxis x = FigureStyle.axis("peristimulus time (ms)");
        x.setRange(0, (ni - 1) * msPerSample);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        plot.setGap(12);
        plot.add(p1, 1);
        plot.add(p2, 1);
        String sub = rec.model() + ", " + rec.scheme() + ": LFP of the " + c.description();
        return FigureStyle.chart(c.title(), sub, plot, true);
    }
}
