package org.neuroflux.export;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.Factor;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.Modality;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.signal.EventRelatedPotential;
import org.neuroflux.signal.FieldPotential;
import org.neuroflux.signal.FiringRates;
import org.neuroflux.signal.HanningWavelet;
import org.neuroflux.signal.SignalKind;
import org.neuroflux.signal.SpikeRaster;
import org.neuroflux.signal.Timebase;

/**
 * Builds a {@link Recording} from consecutive trials (docs/signals.md): the units of each selected
 * factor give rate, potential, LFP, ERP and spike channels; each factor gives TF channels (the wavelet
 * magnitude of every unit's LFP, summed over units, as SPM) and theta and phase channels (the 4 Hz
 * component of the population field, the sum over units of |LFP|: SPM sums the signed LFP, which
 * vanishes up to rounding because the states' rates at each time point sum to one, so its theta is
 * rounding noise); dopamine and precision are trial-wide. Trials are concatenated
 * on SPM's 64 Hz clock. The time-frequency transform and the ERP filter run over the whole
 * concatenation, as SPM's plotting routines do; the LFP never crosses an epoch boundary.
 *
 * <p>Annotations: each epoch ("trial k epoch e", lasting the epoch), its outcomes at its onset
 * ("outcome modality=outcome ..."), and the actions chosen at its end ("action factor=control ...",
 * for factors with more than one control).
 *
 * <p>A deep model's lower level is recorded from its trials (one per epoch of the level above, in
 * order), which may stop before its T: units then cover all T time points and hold 0 where a trial
 * did not reach them, as SPM's xn does. {@link #level} labels every channel with its level.
 *
 * <p>A builder is mutable and not thread-safe; {@link #build} may be called more than once.
 */
public final class RecordingBuilder {
    /** The signals of a default recording. */
    public static final Set<SignalKind> DEFAULT_SIGNALS = EnumSet.of(
            SignalKind.RATE,
            SignalKind.LFP,
            SignalKind.THETA,
            SignalKind.PHASE,
            SignalKind.DOPAMINE,
            SignalKind.PRECISION);

    private final GenerativeModel model;
    private final String scheme;
    private Set<SignalKind> signals = EnumSet.copyOf(DEFAULT_SIGNALS);
    private int[] factors;
    private long spikeSeed;
    private int level; // 0: a single-level model, no level label

    /**
     * @param model  the model the traces came from (for names)
     * @param scheme the scheme label recorded with the data, e.g. "active-inference"
     */
    public RecordingBuilder(GenerativeModel model, String scheme) {
        this.model = Objects.requireNonNull(model, "model");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.factors = new int[model.factorCount()];
        for (int f = 0; f < factors.length; f++) factors[f] = f;
    }

    /** Which signals to include (default {@link #DEFAULT_SIGNALS}). */
    public RecordingBuilder signals(Set<SignalKind> kinds) {
        if (kinds.isEmpty()) throw new IllegalArgumentException("select at least one signal");
        for (SignalKind k : kinds) {
            if (!k.exported())
                throw new IllegalArgumentException(
                        "signal '" + k.label() + "' is streamed only, a recording holds " + SignalKind.exportedKinds());
        }
        this.signals = EnumSet.copyOf(kinds);
        return this;
    }

    /** Which factors (0-based) give unit and factor channels (default: all). */
    public RecordingBuilder factors(int... selected) {
        for (int f : selected) {
            if (f < 0 || f >= model.factorCount())
                throw new IllegalArgumentException("factor " + f + " outside 0.." + (model.factorCount() - 1));
        }
        this.factors = selected.clone();
        return this;
    }

    /**
     * Labels channels with the level of a deep model they come from (1 = top): names gain a
     * {@code level<k>/} prefix, labels an {@code L<k> } prefix, descriptions "level k". 0 (default): none.
     */
    public RecordingBuilder level(int value) {
        if (value < 0) throw new IllegalArgumentException("level must be >= 0, was " + value);
        this.level = value;
        return this;
    }

    /** Seed of the SplitMix64 stream that draws the spikes (default 0). */
    public RecordingBuilder spikeSeed(long seed) {
        this.spikeSeed = seed;
        return this;
    }

    public Recording build(TrialTrace[] traces) {
        if (traces.length == 0) throw new IllegalArgumentException("no trials");
        int ni = traces[0].iterations;
        int[] starts = new int[traces.length];
        int total = 0;
        for (int k = 0; k < traces.length; k++) {
            if (traces[k].iterations != ni)
                throw new IllegalArgumentException(
                        "trial " + (k + 1) + " has Ni=" + traces[k].iterations + ", trial 1 has " + ni);
            starts[k] = total;
            total += traces[k].epochs * ni;
        }
        Timebase timebase = Timebase.spm(ni);
        double fs = timebase.samplesPerSecond();
        List<Channel> channels = new ArrayList<>();
        List<double[]> data = new ArrayList<>();
        List<double[]> spikeRates = new ArrayList<>();
        List<Channel> spikeChannels = new ArrayList<>();
        HanningWavelet wavelet = HanningWavelet.spm(fs);
        EventRelatedPotential erp = new EventRelatedPotential();
        for (int f : factors) {
            Factor factor = model.factors().get(f);
            int ns = factor.stateCount();
            int epochs = traces[0].timePoints; // a lower level's trials may stop before their T time points
            for (TrialTrace tr : traces) {
                if (tr.timePoints != epochs || tr.states[f] != ns)
                    throw new IllegalArgumentException("trials differ in T or Ns");
            }
            int units = FiringRates.unitCount(ns, epochs);
            double[][] rate = new double[units][total];
            double[][] lfp = new double[units][total];
            for (int u = 0; u < units; u++) {
                int s = u % ns;
                int tau = u / ns;
                for (int k = 0; k < traces.length; k++) {
                    int run = traces[k].epochs;
                    if (tau < run) FiringRates.unit(traces[k].xn[f], ni, ns, run, s, tau, rate[u], starts[k]);
                    FieldPotential.epochs(rate[u], starts[k], run, ni, fs, lfp[u], starts[k]);
                }
            }
            double[] work = signals.contains(SignalKind.ERP) ? new double[2 * total] : null;
            for (SignalKind kind :
                    List.of(SignalKind.RATE, SignalKind.POTENTIAL, SignalKind.LFP, SignalKind.ERP, SignalKind.SPIKES)) {
                if (!signals.contains(kind)) continue;
                for (int u = 0; u < units; u++) {
                    Channel ch = unitChannel(kind, f, u % ns, u / ns);
                    if (kind == SignalKind.SPIKES) {
                        spikeChannels.add(ch);
                        spikeRates.add(rate[u]);
                        continue;
                    }
                    double[] out =
                            kind == SignalKind.RATE ? rate[u] : kind == SignalKind.LFP ? lfp[u] : new double[total];
                    if (kind == SignalKind.POTENTIAL) FiringRates.potential(rate[u], 0, total, out, 0);
                    if (kind == SignalKind.ERP) erp.apply(rate[u], 0, total, out, 0, work);
                    channels.add(ch);
                    data.add(out);
                }
            }
            if (signals.contains(SignalKind.TF)) addTimeFrequency(wavelet, f, lfp, total, channels, data);
            if (signals.contains(SignalKind.THETA) || signals.contains(SignalKind.PHASE))
                addTheta(wavelet, f, lfp, total, channels, data);
        }
        if (!spikeChannels.isEmpty()) addSpikes(spikeChannels, spikeRates, total, channels, data);
        boolean hasPrecision = true;
        for (TrialTrace tr : traces) hasPrecision &= tr.wn.length == tr.epochs * ni;
        if (hasPrecision) {
            if (signals.contains(SignalKind.DOPAMINE)) {
                channels.add(trialWide(SignalKind.DOPAMINE));
                data.add(concat(traces, starts, total, true));
            }
            if (signals.contains(SignalKind.PRECISION)) {
                channels.add(trialWide(SignalKind.PRECISION));
                data.add(concat(traces, starts, total, false));
            }
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channels: the selected signals " + signals
                    + " do not apply to this model " + "(dopamine and precision need more than one policy)");
        }
        if (level > 0) channels.replaceAll(this::labelled);
        return new Recording(
                model.name(),
                scheme,
                timebase,
                starts,
                total,
                channels,
                data.toArray(double[][]::new),
                annotations(traces, starts, timebase));
    }

    private Channel labelled(Channel c) {
        String label = "L" + level + " " + c.label();
        if (label.length() > 16) label = "L" + level + c.label(); // EDF labels hold 16 characters
        return new Channel(
                c.kind(),
                "level" + level + "/" + c.name(),
                label,
                "level " + level + ": " + c.description(),
                c.factor(),
                c.state(),
                c.tau(),
                c.frequencyHz());
    }

    /** A channel for the whole trial (no factor, state or time point), named by its kind. */
    private static Channel trialWide(SignalKind kind) {
        return new Channel(kind, kind.label(), kind.code(), kind.description(), -1, -1, -1, Double.NaN);
    }

    private Channel unitChannel(SignalKind kind, int f, int s, int tau) {
        Factor factor = model.factors().get(f);
        String state = factor.states().get(s);
        String name = kind.label() + "/" + clean(factor.name()) + "/" + clean(state) + "/t" + (tau + 1);
        String label = kind.code() + " f" + (f + 1) + "s" + (s + 1) + "t" + (tau + 1);
        String description = kind.description() + "; " + factor.name() + "=" + state + " tau=" + (tau + 1);
        return new Channel(kind, name, label, description, f, s, tau, Double.NaN);
    }

    private void addTimeFrequency(
            HanningWavelet wavelet, int f, double[][] lfp, int total, List<Channel> channels, List<double[]> data) {
        int nf = wavelet.frequencyCount();
        double[] mags = new double[nf * total];
        for (double[] unit : lfp) wavelet.addMagnitudes(unit, 0, total, mags, 0);
        String factor = model.factors().get(f).name();
        for (int k = 0; k < nf; k++) {
            double[] row = new double[total];
            for (int n = 0; n < total; n++) row[n] = mags[k + nf * n];
            String hz = hz(wavelet.frequency(k));
            channels.add(new Channel(
                    SignalKind.TF,
                    SignalKind.TF.label() + "/" + clean(factor) + "/" + hz + "Hz",
                    SignalKind.TF.code() + " f" + (f + 1) + " " + hz + "Hz",
                    SignalKind.TF.description() + "; " + factor + " at " + hz + " Hz",
                    f,
                    -1,
                    -1,
                    wavelet.frequency(k)));
            data.add(row);
        }
    }

    private void addTheta(
            HanningWavelet wavelet, int f, double[][] lfp, int total, List<Channel> channels, List<double[]> data) {
        double[] re = new double[total];
        double[] im = new double[total];
        double[] ur = new double[total];
        double[] ui = new double[total];
        double[] rectified = new double[total];
        for (double[] unit : lfp) {
            for (int n = 0; n < total; n++) rectified[n] = Math.abs(unit[n]);
            wavelet.transform(0, rectified, 0, total, ur, 0, ui, 0);
            for (int n = 0; n < total; n++) {
                re[n] += ur[n];
                im[n] += ui[n];
            }
        }
        String factor = model.factors().get(f).name();
        if (signals.contains(SignalKind.THETA)) {
            channels.add(new Channel(
                    SignalKind.THETA,
                    SignalKind.THETA.label() + "/" + clean(factor),
                    SignalKind.THETA.code() + " f" + (f + 1),
                    SignalKind.THETA.description() + "; " + factor,
                    f,
                    -1,
                    -1,
                    wavelet.frequency(0)));
            data.add(re);
        }
        if (signals.contains(SignalKind.PHASE)) {
            double[] phase = new double[total];
            for (int n = 0; n < total; n++) phase[n] = Math.atan2(im[n], re[n]);
            channels.add(new Channel(
                    SignalKind.PHASE,
                    SignalKind.PHASE.label() + "/" + clean(factor),
                    SignalKind.PHASE.code() + " f" + (f + 1),
                    SignalKind.PHASE.description() + "; " + factor,
                    f,
                    -1,
                    -1,
                    wavelet.frequency(0)));
            data.add(phase);
        }
    }

    private void addSpikes(
            List<Channel> spikeChannels, List<double[]> rates, int total, List<Channel> channels, List<double[]> data) {
        int units = spikeChannels.size();
        double[][] counts = new double[units][total];
        double[] frame = new double[units];
        int[] count = new int[units];
        SpikeRaster raster = new SpikeRaster();
        SplitMixSource random = new SplitMixSource(spikeSeed);
        for (int n = 0; n < total; n++) {
            for (int u = 0; u < units; u++) frame[u] = rates.get(u)[n];
            raster.sample(frame, 0, units, random, null, 0, count, 0);
            for (int u = 0; u < units; u++) counts[u][n] = count[u];
        }
        channels.addAll(spikeChannels);
        for (double[] c : counts) data.add(c);
    }

    private static double[] concat(TrialTrace[] traces, int[] starts, int total, boolean dopamine) {
        double[] out = new double[total];
        for (int k = 0; k < traces.length; k++) {
            double[] src = dopamine ? traces[k].dn : traces[k].wn;
            System.arraycopy(src, 0, out, starts[k], src.length);
        }
        return out;
    }

    private List<Annotation> annotations(TrialTrace[] traces, int[] starts, Timebase timebase) {
        List<Annotation> out = new ArrayList<>();
        int ni = timebase.samplesPerEpoch();
        double epochSeconds = timebase.epochSeconds();
        for (int k = 0; k < traces.length; k++) {
            TrialTrace tr = traces[k];
            for (int t = 0; t < tr.epochs; t++) {
                double onset = timebase.seconds(starts[k] + (long) t * ni);
                out.add(new Annotation(onset, epochSeconds, "trial " + (k + 1) + " epoch " + (t + 1)));
                StringJoiner outcome = new StringJoiner(" ", "outcome ", "");
                for (int g = 0; g < tr.o.length; g++) {
                    Modality m = model.modalities().get(g);
                    outcome.add(clean(m.name()) + "=" + clean(m.outcomes().get(tr.o[g][t])));
                }
                out.add(new Annotation(onset, 0, outcome.toString()));
                if (t < tr.epochs - 1) {
                    StringJoiner action = new StringJoiner(" ", "action ", "");
                    boolean any = false;
                    for (int f = 0; f < tr.u.length; f++) {
                        Factor factor = model.factors().get(f);
                        if (factor.controlCount() < 2) continue;
                        action.add(clean(factor.name()) + "="
                                + clean(factor.controls().get(tr.u[f][t])));
                        any = true;
                    }
                    if (any) out.add(new Annotation(onset + epochSeconds, 0, action.toString()));
                }
            }
        }
        return out;
    }

    /** Names inside channel names and annotations: no spaces, slashes or control characters. */
    private static String clean(String name) {
        return name.trim().replaceAll("[\\s/=\\p{Cntrl}]+", "_");
    }

    private static String hz(double f) {
        return f == Math.rint(f) ? Long.toString((long) f) : String.format(Locale.ROOT, "%.1f", f);
    }
}
