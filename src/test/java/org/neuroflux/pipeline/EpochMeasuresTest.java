package org.neuroflux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuroflux.dynamics.InformationLength;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.metrics.MetricsSettings;
import org.neuroflux.metrics.SchemeMetrics;
import org.neuroflux.metrics.ServiceMetrics;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.signal.SignalKind;

/** The per-epoch measures against the offline definitions, on real meters. */
class EpochMeasuresTest {
    private static final GenerativeModel TMAZE =
            TestModels.tmazeTwoTrials().models().get(0);
    private static final int TRIALS = 4;

    private static List<String> factors(GenerativeModel model) {
        List<String> names = new ArrayList<>();
        model.factors().forEach(f -> names.add(f.name()));
        return names;
    }

    private static double summaryTotal(MeterRegistry registry, String name, Scheme scheme) {
        return registry.get(name).tag("scheme", scheme.label()).summary().totalAmount();
    }

    private static double signedTotal(MeterRegistry registry, String name, Scheme scheme) {
        return registry.get(name)
                        .tag("scheme", scheme.label())
                        .tag("sign", "positive")
                        .summary()
                        .totalAmount()
                - registry.get(name)
                        .tag("scheme", scheme.label())
                        .tag("sign", "negative")
                        .summary()
                        .totalAmount();
    }

    @Test
    void trialScoreIsTheAuthorsCatInfLengthOfTheTrialsXnBitForBitAndTheOtherMeasuresMatchTheirDefinitions() {
        for (Scheme scheme : Scheme.values()) {
            MeterRegistry registry = new SimpleMeterRegistry();
            ServiceMetrics service = new ServiceMetrics(registry, MetricsSettings.DEFAULTS);
            FrameLayout layout = new FrameLayout(TMAZE);
            SchemeEngine engine = new SchemeEngine(
                    TMAZE,
                    SolverOptions.spm().withScheme(scheme),
                    layout,
                    service.scheme("tmaze", scheme.label(), factors(TMAZE), null));
            int ni = engine.iterations();
            int nf = layout.factorCount();
            int T = layout.epochs();
            int info = layout.offset(SignalKind.INFOLENGTH);
            int infoWhole = layout.offset(SignalKind.INFOLENGTH_WHOLE_PATH);
            SplitMixSource random = new SplitMixSource(5);
            double scores = 0;
            double wholeScores = 0;
            double[] lengths = new double[nf];
            double[] wholeLengths = new double[nf];
            double efficiencies = 0;
            double epochLengths = 0;
            double freeEnergy = 0;
            int moved = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                if (trial > 0) engine.finishTrial();
                engine.startTrial(random);
                double[][] xn = new double[nf][];
                double[][] x0 = new double[nf][];
                for (int f = 0; f < nf; f++) {
                    xn[f] = new double[ni * layout.stateCount(f) * T * T];
                    x0[f] = new double[layout.stateCount(f) * T * T];
                }
                for (int t = 0; t < T; t++) {
                    engine.runEpoch(null);
                    double h = engine.solver().totalFreeEnergy();
                    if (Double.isFinite(h))
                        freeEnergy += -h; // SPM's plain logs give NaN once a policy's posterior underflows
                    double l = 0;
                    double d = 0;
                    for (int f = 0; f < nf; f++) {
                        int ns = layout.stateCount(f);
                        engine.solver().copyRates(f, xn[f], ni * ns * T * t);
                        for (int j = 0; j < T; j++) {
                            for (int st = 0; st < ns; st++)
                                x0[f][st + ns * (j + T * t)] = engine.solver().startRate(f, st, j);
                        }
                        l += InformationLength.epochArcLength(xn[f], ni, ns, T, t, t);
                        d += InformationLength.epochDistance(xn[f], ni, ns, T, t, t);
                    }
                    epochLengths += l;
                    if (l > 0) {
                        efficiencies += Math.min(1, d / l);
                        moved++;
                    }
                }
                double score = 0;
                for (int f = 0; f < nf; f++) score += InformationLength.pooledChordLength(xn[f], ni);
                scores += score; // the summary's total is the same sequence of double additions
                assertEquals(
                        scores,
                        summaryTotal(registry, "neuroflux.trial.information.length", scheme),
                        0.0,
                        scheme + " trial " + trial + ": cat_inf_length bit for bit");
                double whole = 0;
                for (int f = 0; f < nf; f++) whole += InformationLength.pooledChordLengthWholePath(xn[f], x0[f], ni);
                wholeScores += whole;
                assertEquals(
                        wholeScores,
                        summaryTotal(registry, "neuroflux.trial.information.length.whole.path", scheme),
                        1e-12 * wholeScores,
                        scheme + " trial " + trial + ": cat_inf_length of the whole path");
                assertTrue(whole > score, "the whole path is longer");
                double[] last = engine.row(ni - 1);
                for (int f = 0; f < nf; f++) {
                    lengths[f] += last[info + f];
                    wholeLengths[f] += last[infoWhole + f];
                }
            }
            for (int f = 0; f < nf; f++) {
                double counted = registry.get("neuroflux.information.length")
                        .tag("scheme", scheme.label())
                        .tag("factor", TMAZE.factors().get(f).name())
                        .counter()
                        .count();
                assertEquals(
                        lengths[f],
                        counted,
                        1e-12 * lengths[f],
                        "information length = the infolength channel's trial totals");
                assertTrue(counted > 0);
                double wholeCounted = registry.get("neuroflux.information.length.whole.path")
                        .tag("scheme", scheme.label())
                        .tag("factor", TMAZE.factors().get(f).name())
                        .counter()
                        .count();
                assertEquals(
                        wholeLengths[f],
                        wholeCounted,
                        1e-12 * wholeLengths[f],
                        "whole path = the infolength-whole-path channel's totals");
                assertTrue(wholeCounted > counted);
            }
            DistributionSummary efficiency = registry.get("neuroflux.epoch.efficiency")
                    .tag("scheme", scheme.label())
                    .summary();
            assertEquals(moved, efficiency.count());
            assertTrue(moved > 0 && efficiency.max() <= 1 && efficiency.max() > 0);
            assertEquals(efficiencies, efficiency.totalAmount(), 1e-12 * efficiencies, "d/L of the current time point");
            assertEquals(
                    epochLengths,
                    summaryTotal(registry, "neuroflux.epoch.information.length", scheme),
                    1e-12 * epochLengths);
            assertEquals(
                    TRIALS * T,
                    registry.get("neuroflux.epoch.information.length")
                            .tag("scheme", scheme.label())
                            .summary()
                            .count());
            assertEquals(freeEnergy, signedTotal(registry, "neuroflux.free.energy", scheme), 1e-9, "-H, where finite");
            assertEquals(
                    TRIALS * T * ni,
                    registry.get("neuroflux.precision")
                            .tag("scheme", scheme.label())
                            .summary()
                            .count());
            long dopamine = registry.get("neuroflux.dopamine").tag("scheme", scheme.label()).summaries().stream()
                    .mapToLong(DistributionSummary::count)
                    .sum();
            assertEquals(TRIALS * T * ni, dopamine, "every iteration's dopamine, of either sign");
            assertEquals(
                    TRIALS * T,
                    registry.get("neuroflux.belief.update")
                            .tag("scheme", scheme.label())
                            .timer()
                            .count());
        }
    }

    @Test
    void recordingAnEpochAllocatesNothing() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServiceMetrics service = new ServiceMetrics(registry, MetricsSettings.DEFAULTS);
        FrameLayout layout = new FrameLayout(TMAZE);
        SchemeEngine engine = new SchemeEngine(TMAZE, SolverOptions.spm(), layout);
        engine.startTrial(new SplitMixSource(3));
        engine.runEpoch(null);
        int ni = engine.iterations();
        int size = layout.storedSize();
        double[] rows = new double[ni * size];
        for (int i = 0; i < ni; i++) {
            double[] row = engine.row(i); // without the spectral block when nobody asked for it
            System.arraycopy(row, 0, rows, i * size, row.length);
        }
        SchemeMetrics metrics = service.scheme("tmaze", "active-inference", factors(TMAZE), null);
        EpochMeasures measures = new EpochMeasures(metrics, layout, ni);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int k = 0; k < 20_000; k++) measures.epoch(rows, k % layout.epochs(), engine.solver(), 1000);
        long before = threads.getThreadAllocatedBytes(id);
        for (int k = 0; k < 20_000; k++) measures.epoch(rows, k % layout.epochs(), engine.solver(), 1000);
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 4096, "20000 epochs recorded with " + allocated + " bytes allocated");
    }
}
