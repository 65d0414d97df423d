package org.neuroflux.model.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.neuroflux.model.spec.SpecFixtures.assertProblem;
import static org.neuroflux.model.spec.SpecFixtures.load;
import static org.neuroflux.model.spec.SpecFixtures.problems;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;
import org.neuroflux.spm.SpmImport;
import org.neuroflux.spm.SpmModelReader;

/** learn.b, learn.c and learn.e of the native format: what they mean in SPM's arrays, and their messages. */
class ModelSpecLearningTest {
    private static final String LEARN_D = """
            learn:
              d:
                location: {centre: 128, left: 1, right: 1}     # cue: 0, never learned
                context: {left-better: 2, right-better: 2}
            """;

    /** The shipped T-maze learning b, d and e as tmaze-ai-learn-2trials does (b = 8 B + 1/4, e = [2 1 1 3 3]). */
    private static String learningTmaze() throws Exception {
        String text = Files.readString(Path.of("config/models/tmaze.yaml"));
        String learn = LEARN_D + """
                  b:
                    location: {scale: 8, add: 0.25}
                    context: {scale: 8, add: 0.25}
                  e: {stay: 2, wait-then-left: 1, wait-then-right: 1, left: 3, right: 3}
                """;
        int from = text.indexOf("learn:");
        int to = text.indexOf("parameters:");
        return text.substring(0, from) + learn + "\n" + text.substring(to);
    }

    private static SpmImport reference() throws Exception {
        try (InputStream in =
                ModelSpecLearningTest.class.getResourceAsStream("/reference/tmaze-ai-learn-2trials/mdp.json")) {
            return new SpmModelReader().read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "learn");
        }
    }

    @Test
    void theLearningTmazeEqualsSpmsAndRunsTheSame() throws Exception {
        GenerativeModel mine =
                new ModelSpecReader().read(learningTmaze(), "tmaze.yaml").first();
        SpmImport spm = reference();
        GenerativeModel theirs = spm.models().get(0);
        for (int f = 0; f < 2; f++)
            assertArrayEquals(theirs.transitionCounts(f), mine.transitionCounts(f), 0, "b{" + (f + 1) + "}");
        assertArrayEquals(theirs.policyCounts(), mine.policyCounts(), 0, "e");
        TrialFixture fixture = spm.fixtures().get(0);
        TrialTrace a = new TrialRunner(mine, SolverOptions.spm()).run(mine, fixture, new SplitMixSource(1));
        TrialTrace b = new TrialRunner(theirs, SolverOptions.spm()).run(theirs, fixture, new SplitMixSource(1));
        assertArrayEquals(b.xn[0], a.xn[0], 1e-15);
        assertArrayEquals(b.learned.transitionCounts()[0], a.learned.transitionCounts()[0], 1e-15);
        assertArrayEquals(b.learned.policyCounts(), a.learned.policyCounts(), 1e-15);
    }

    @Test
    void transitionCountsByMatrixAndPolicyCountsByScale() throws Exception {
        String text = SpecFixtures.MINI + """
                E: {wait: 0.25, left: 0.75}
                learn:
                  b:
                    location:
                      stay: {matrix: [[4, 0, 0], [0, 4, 0], [0, 0, 4]]}
                      go-left: {matrix: [[1, 0, 0], [2, 3, 1], [0, 0, 2]]}
                      go-right: {matrix: [[0, 0, 0], [0, 0, 0], [1, 1, 1]]}
                    context: {matrix: [[5, 1], [1, 5]]}
                  e: {scale: 8}
                """;
        GenerativeModel m = load(text).first();
        double[] b = m.transitionCounts(0);
        assertEquals(2, b[1 + 3 * (0 + 3 * 1)], 0, "go-left: from centre to left, rows are the to-states");
        assertEquals(1, b[1 + 3 * (2 + 3 * 1)], 0, "go-left: from right to left");
        assertArrayEquals(new double[] {5, 1, 1, 5}, m.transitionCounts(1), 0);
        assertArrayEquals(new double[] {2, 6}, m.policyCounts(), 0);
        assertEquals(
                "mini: location(3) x context(2) states; where(3), reward(2) outcomes; 2 policies; T=3; tau=4; learns b; learns e",
                m.summary());
    }

    @Test
    void preferenceCountsAreGivenAsPreferencesAre() throws Exception {
        GenerativeModel m = load(SpecFixtures.MINI + """
                learn:
                  c:
                    reward: {none: 1, win: [2, 4, 8]}
                """).first();
        assertArrayEquals(
                new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0},
                m.preferenceCounts(0),
                0,
                "unnamed modalities hold no counts");
        assertArrayEquals(new double[] {1, 2, 1, 4, 1, 8}, m.preferenceCounts(1), 0, "(No, T), one column per epoch");
    }

    @Test
    void badCountsAreReportedWithTheirPaths() throws Exception {
        assertProblem(
                problems(SpecFixtures.MINI + "C: {reward: {win: 1}}\nlearn:\n  c: {reward: {win: 2}}\n"),
                "C",
                "is given with learn.c; expected one of them");
        assertProblem(
                problems(SpecFixtures.MINI + "learn:\n  c: {reward: {win: -2}}\n"),
                "learn.c[2].win",
                "is -2; expected a finite count >= 0");
        assertProblem(
                problems(SpecFixtures.MINI + "learn:\n  b: {location: {scale: 2}}\n"),
                "learn.b",
                "missing required field 'context'");
        assertProblem(
                problems(SpecFixtures.MINI + "learn:\n  b: {location: {scale: 2}, context: {matrix: [[1, 0]]}}\n"),
                "learn.b[2].matrix",
                "has 1 rows; expected 2 x 2");
        assertProblem(
                problems(SpecFixtures.MINI + "learn:\n  b: {location: {matrix: [[1]]}, context: {scale: 1}}\n"),
                "learn.b[1]",
                "is a single matrix but location has 3 controls");
        assertProblem(problems(SpecFixtures.MINI + "learn:\n  e: {wait: 0, left: 0}\n"), "learn.e", "counts are all 0");
        assertProblem(
                problems(SpecFixtures.MINI + "learn:\n  e: {hold: 1}\n"),
                "learn.e",
                "unknown field 'hold'; allowed: wait, left");
        assertProblem(
                problems(SpecFixtures.MINI + "learn:\n  f: {}\n"),
                "learn",
                "unknown field 'f'; allowed: a, b, c, d, e");
    }
}
