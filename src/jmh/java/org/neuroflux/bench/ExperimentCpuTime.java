package org.neuroflux.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.neuroflux.dynamics.LaneMath;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.experiment.ExperimentRunner;
import org.neuroflux.experiment.Paradigm;
import org.neuroflux.random.RandomStreamKind;

/**
 * Thread CPU time of the paper's experiment (64 agents x 24 trials, natural gradient nat3 then
 * active inference spm, MATLAB-seeded) on one thread, in process, repeated: the first run includes
 * the JIT's warm-up. {@code java [-Dneuroflux.batch=false] [--add-modules jdk.incubator.vector] -cp
 * target/benchmarks.jar org.neuroflux.bench.ExperimentCpuTime}.
 */
public final class ExperimentCpuTime {
    private ExperimentCpuTime() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Paradigm paradigm = Paradigm.tmaze(TmazeTrial.loadModel());
        ExperimentRunner runner = new ExperimentRunner(
                paradigm, new SolverOptions[] {SolverOptions.nat3(), SolverOptions.spm()}, RandomStreamKind.MATLAB, 0);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        System.out.println(
                "kernels: " + LaneMath.kernel() + "; batched path " + (System.getProperty("neuroflux.batch", "true")));
        for (int r = 0; r < rounds; r++) {
            long c0 = bean.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            int rows = runner.runAgents(1, 64, 24).size();
            System.out.printf(
                    "round %d: %d rows, cpu %.3f s, wall %.3f s%n",
                    r + 1, rows, (bean.getCurrentThreadCpuTime() - c0) / 1e9, (System.nanoTime() - w0) / 1e9);
        }
    }
}
