package org.neuroflux.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.neuroflux.dynamics.Scheme;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.random.SplitMixSource;

/**
 * A session's epoch, solver and channel kernels (LFP, dopamine, information length, the spectral
 * block), allocates nothing in steady state: the kernels work on the engine's rows in place.
 */
class SchemeEngineAllocationTest {
    private static final GenerativeModel TMAZE =
            TestModels.tmazeTwoTrials().models().get(0);

    @Test
    void anEpochWithEveryChannelAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (Scheme scheme : Scheme.values()) {
            SchemeEngine engine =
                    new SchemeEngine(TMAZE, SolverOptions.spm().withScheme(scheme), new FrameLayout(TMAZE));
            engine.computeSpectral(true);
            SplitMixSource random = new SplitMixSource(11);
            long allocated = 0;
            int epochs = 0;
            for (int trial = 0; trial < 160; trial++) {
                if (trial > 0) engine.finishTrial(); // learning: a new model per trial, not per epoch
                engine.startTrial(random);
                while (engine.hasNextEpoch()) {
                    long before = threads.getThreadAllocatedBytes(id);
                    engine.runEpoch(null);
                    long after = threads.getThreadAllocatedBytes(id);
                    if (trial >= 80) { // warmed up
                        allocated += after - before;
                        epochs++;
                    }
                }
            }
            assertTrue(
                    allocated < 4096,
                    scheme + ": " + epochs + " epochs of " + engine.iterations() + " iterations allocated " + allocated
                            + " bytes");
        }
    }
}
