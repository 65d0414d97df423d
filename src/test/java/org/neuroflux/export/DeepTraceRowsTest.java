package org.neuroflux.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.spec.ModelSpecReader;
import org.neuroflux.random.SplitMixSource;

/** Tidy rows of a deep model: every level, labelled, on one clock where lower trials nest in higher epochs. */
class DeepTraceRowsTest {
    @Test
    void bothLevelsAreWrittenOnTheNestedClock() throws Exception {
        LoadedModel loaded = new ModelSpecReader().read(Path.of("config/models/oddball-sequence.yaml"));
        GenerativeModel model = loaded.first();
        TrialTrace tr = new TrialRunner(model, SolverOptions.spm())
                .run(model, loaded.fixtures().get(0), new SplitMixSource(2));
        StringWriter out = new StringWriter();
        TidyTraceWriter.write(out, TidyTraceWriter.Format.CSV, model, "active-inference", new TrialTrace[] {tr});
        List<String> lines = out.toString().lines().toList();
        assertEquals(
                "scheme,trial,level,higher_epoch,epoch,iteration,time_s,factor,state,tau,rate,potential,error,precision,dopamine",
                lines.get(0));
        long top = 0;
        long lower = 0;
        double lastLowerTimeInEpoch1 = 0;
        double firstTopTime = Double.NaN;
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            double time = Double.parseDouble(c[6]);
            if (c[2].equals("1")) {
                top++;
                assertEquals("", c[3], "the top level has no higher epoch");
                assertEquals("regime", c[7]);
                if (Double.isNaN(firstTopTime)) firstTopTime = time;
            } else {
                lower++;
                assertEquals("2", c[2]);
                assertTrue(c[7].equals("run") || c[7].equals("position"), c[7]);
                if (c[3].equals("1")) lastLowerTimeInEpoch1 = Math.max(lastLowerTimeInEpoch1, time);
            }
        }
        // top: 3 epochs x 16 iterations x 2 states x 3 time points
        assertEquals(3 * 16 * 2 * 3, top);
        long expectedLower = 0;
        for (TrialTrace low : tr.lower) expectedLower += (long) low.epochs * 16 * (2 + 4) * low.epochs;
        assertEquals(expectedLower, lower);
        // the higher level's first epoch updates after the lower trial that gives it its evidence
        assertEquals(lastLowerTimeInEpoch1 + 1.0 / 64, firstTopTime, 1e-12);
        assertEquals((tr.lower[0].epochs * 16 + 1) / 64.0, firstTopTime, 1e-12);
        assertEquals(
                TidyTraceWriter.duration(tr),
                3 * 16 + tr.lower[0].epochs * 16 + tr.lower[1].epochs * 16 + tr.lower[2].epochs * 16);
    }
}
