package org.neuroflux.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.neuroflux.dynamics.LearnedCounts;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialSolver;
import org.neuroflux.experiment.Paradigm;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.ModelValidationException;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.random.UniformSource;
import org.neuroflux.spm.SpmModelReader;

/**
 * One agent solving T-maze trials back to back, as the benchmarks and the transcendental count
 * run them: DEM_demo_MDP_X2's T-maze (the first struct of the SPM reference case
 * tmaze-ai-2trials, its fixed s/o/u dropped so that everything after the first epoch is sampled),
 * the experiment's fixture of its typical trial (start in the centre, context 1), one reused
 * {@link TrialSolver} and one continuing random stream. The model is the same every trial (no
 * counts carried over), so every trial does comparable work.
 */
public final class TmazeTrial {
    /** Resource the bench profile copies from src/test/resources/reference/tmaze-ai-2trials. */
    static final String MODEL_RESOURCE = "/bench/tmaze-ai-2trials/mdp.json";

    final GenerativeModel model;
    final TrialFixture fixture;
    final TrialSolver solver;
    final UniformSource random;

    public TmazeTrial(String preset, long seed) {
        this.model = loadModel();
        this.fixture = Paradigm.tmaze(model).fixture(3); // trials 2 and 4..24 of the experiment
        this.solver = new TrialSolver(model, options(preset));
        this.random = new SplitMixSource(seed);
    }

    /** "spm" (active inference, Ni = 16) or "nat3" (the fork: natural gradient, Ni = 512). */
    public static SolverOptions options(String preset) {
        return switch (preset) {
            case "spm" -> SolverOptions.spm();
            case "nat3" -> SolverOptions.nat3();
            default -> throw new IllegalArgumentException("preset must be spm or nat3, was " + preset);
        };
    }

    /** The T-maze with d = [128 1 1 0]', [2 2]' (learned), 5 policies, T = 3. */
    public static GenerativeModel loadModel() {
        try (InputStream in = TmazeTrial.class.getResourceAsStream(MODEL_RESOURCE)) {
            if (in == null)
                throw new IllegalStateException("missing resource " + MODEL_RESOURCE + " (build with -Pbench)");
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode first = (ObjectNode) mapper.readTree(in).get(0);
            first.remove("s");
            first.remove("o");
            first.remove("u");
            return new SpmModelReader()
                    .read(mapper.writeValueAsString(first), "tmaze")
                    .models()
                    .get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ModelValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the next trial. */
    public void start() {
        solver.startTrial(model, fixture, random);
    }

    /** Runs the next epoch; false when the trial had none left. */
    public boolean epoch() {
        if (!solver.hasNextEpoch()) return false;
        solver.runEpoch();
        return true;
    }

    /** Learning at the end of the trial (allocates its small result). */
    public LearnedCounts finish() {
        return solver.finishTrial();
    }

    /** A whole trial: startTrial, runEpoch x T, finishTrial. */
    public LearnedCounts run() {
        solver.startTrial(model, fixture, random);
        for (int t = solver.epochs(); t > 0; t--) solver.runEpoch();
        return solver.finishTrial();
    }
}
