package org.neuroflux.figure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.export.Channel;
import org.neuroflux.export.Recording;
import org.neuroflux.model.Factor;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.signal.SignalKind;

/**
 * What the electrophysiology figures draw: a recording (with rate, LFP, TF, theta and phase channels,
 * and dopamine and precision when the model has them), the trials it came from, the factor to show,
 * and the seed of the raster's spikes.
 *
 * @param model     the model (names)
 * @param traces    the simulated trials
 * @param recording their signals
 * @param factor    0-based factor shown (SPM's default: the first)
 * @param spikeSeed seed of the SplitMix64 stream that draws the raster
 */
public record FigureData(GenerativeModel model, TrialTrace[] traces, Recording recording, int factor, long spikeSeed) {
    public FigureData {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(traces, "traces");
        Objects.requireNonNull(recording, "recording");
        if (factor < 0 || factor >= model.factorCount())
            throw new IllegalArgumentException("factor " + factor + " outside the model's " + model.factorCount());
    }

    Factor shownFactor() {
        return model.factors().get(factor);
    }

    /** Channel indices of kind k for the shown factor, in recording order (units: state fastest, then tau). */
    int[] channels(SignalKind kind) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < recording.channels().size(); c++) {
            Channel ch = recording.channel(c);
            if (ch.kind() == kind && (ch.factor() == factor || ch.factor() < 0)) out.add(c);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** SPM's unit label: "state: t=tau". */
    String unitLabel(int channel) {
        Channel ch = recording.channel(channel);
        return shownFactor().states().get(ch.state()) + ": t=" + (ch.tau() + 1);
    }

    /** The first channel of kind k for the shown factor, or -1. */
    int channel(SignalKind kind) {
        int[] c = channels(kind);
        return c.length == 0 ? -1 : c[0];
    }
}
