package org.neuroflux.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.neuroflux.dynamics.BatchSolver;
import org.neuroflux.dynamics.LaneMath;
import org.neuroflux.experiment.Paradigm;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.random.UniformSource;

/**
 * Thread CPU time per agent-trial of the batched solver beside the scalar one, interleaved, on
 * BatchTrialBenchmark's T-maze trial: less sensitive than JMH's wall time to other processes on a
 * shared machine. {@code java -cp target/benchmarks.jar org.neuroflux.bench.BatchCpuTime spm 64}
 * (add {@code --add-modules jdk.incubator.vector} before -cp for the vector kernels). Prints one
 * line per round and the medians.
 */
public final class BatchCpuTime {
    private BatchCpuTime() {}

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "spm";
        int lanes = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 11;
        GenerativeModel model = TmazeTrial.loadModel();
        TrialFixture fixture = Paradigm.tmaze(model).fixture(3);
        BatchSolver batch = new BatchSolver(model, TmazeTrial.options(preset), lanes);
        GenerativeModel[] models = new GenerativeModel[lanes];
        TrialFixture[] fixtures = new TrialFixture[lanes];
        UniformSource[] streams = new UniformSource[lanes];
        for (int b = 0; b < lanes; b++) {
            models[b] = model;
            fixtures[b] = fixture;
            streams[b] = new SplitMixSource(b + 1);
        }
        TmazeTrial scalar = new TmazeTrial(preset, 1);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        int batches = preset.equals("spm") ? 40 : 8;
        double[] perBatched = new double[rounds];
        double[] perScalar = new double[rounds];
        System.out.println("kernels: " + LaneMath.kernel());
        for (int r = -3; r < rounds; r++) { // 3 warm-up rounds
            long c0 = bean.getCurrentThreadCpuTime();
            for (int n = 0; n < batches; n++) {
                batch.startTrial(models, fixtures, streams);
                while (batch.hasNextEpoch()) batch.runEpoch();
            }
            long c1 = bean.getCurrentThreadCpuTime();
            for (int n = 0; n < batches * lanes; n++) {
                scalar.start();
                while (scalar.epoch()) {
                    /* next epoch */
                }
            }
            long c2 = bean.getCurrentThreadCpuTime();
            if (r < 0) continue;
            perBatched[r] = (c1 - c0) / 1e3 / batches / lanes;
            perScalar[r] = (c2 - c1) / 1e3 / batches / lanes;
            System.out.printf(
                    "%s lanes=%d: batched %.1f us per agent-trial, scalar %.1f us per trial%n",
                    preset, lanes, perBatched[r], perScalar[r]);
        }
        java.util.Arrays.sort(perBatched);
        java.util.Arrays.sort(perScalar);
        System.out.printf(
                "median: batched %.1f us, scalar %.1f us, ratio %.2f%n",
                perBatched[rounds / 2], perScalar[rounds / 2], perScalar[rounds / 2] / perBatched[rounds / 2]);
    }
}
