package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.dynamics.InformationLength;
import org.neuroflux.dynamics.SolverOptions;
import org.neuroflux.dynamics.TrialRunner;
import org.neuroflux.dynamics.TrialTrace;
import org.neuroflux.model.GenerativeModel;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.SolverParameters;
import org.neuroflux.model.TrialFixture;
import org.neuroflux.random.SplitMixSource;

/** neuroflux sweep: the grid, the rows, agreement with agents run alone, reproducibility and bad input. */
class SweepCommandTest {
    private static final Path TMAZE = Path.of("config/models/tmaze.yaml");

    @TempDir
    Path dir;

    @Test
    void everyRowIsTheAgentRunAloneWithThosePointValues() throws Exception {
        Path out = dir.resolve("sweep.csv");
        CliRun r = CliRun.of(
                "sweep",
                "--model",
                TMAZE.toString(),
                "--param",
                "alpha=2,16",
                "--param",
                "beta=0.5:1.5:3",
                "--agents",
                "3",
                "--trials",
                "2",
                "--seed",
                "9",
                "--threads",
                "2",
                "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("point,alpha,beta,agent,trial,scheme,info_length,hit,free_energy", lines.get(0));
        assertEquals(1 + 2 * 3 * 3 * 2, lines.size(), "6 points x 3 agents x 2 trials");
        assertTrue(r.out().contains("wrote"), r.out());
        GenerativeModel tmaze =
                ModelRun.load(TMAZE, false, 2, ModelLimits.DEFAULTS).model();
        TrialFixture free = ModelRun.load(TMAZE, false, 2, ModelLimits.DEFAULTS).fixtures[0];
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double alpha = Double.parseDouble(c[1]);
            double beta = Double.parseDouble(c[2]);
            int agent = Integer.parseInt(c[3]);
            int trial = Integer.parseInt(c[4]);
            assertTrue(alpha == 2 || alpha == 16, line);
            assertTrue(beta == 0.5 || beta == 1.0 || beta == 1.5, line);
            SolverParameters p = tmaze.parameters();
            GenerativeModel m = tmaze.withParameters(
                    new SolverParameters(p.tau(), p.erp(), alpha, beta, p.zeta(), p.eta(), p.chi()));
            GenerativeModel[] ms = new GenerativeModel[2];
            TrialFixture[] fs = new TrialFixture[2];
            Arrays.fill(ms, m);
            Arrays.fill(fs, free);
            TrialTrace tr = new TrialRunner(m, SolverOptions.spm())
                    .runSequence(ms, fs, new SplitMixSource(9 + agent))[trial - 1];
            double length = 0;
            for (int f = 0; f < tr.xn.length; f++)
                length += InformationLength.pooledChordLength(tr.xn[f], tr.iterations);
            double h = 0;
            for (double v : tr.H) h += v;
            assertEquals(Double.toString(length), c[6], line);
            boolean hit = Arrays.stream(tr.o[1]).anyMatch(o -> o == 1)
                    && Arrays.stream(tr.o[1]).noneMatch(o -> o == 2);
            assertEquals(hit ? "1" : "0", c[7], line);
            assertEquals(Double.toString(-h), c[8], line);
        }
    }

    @Test
    void theFileDoesNotDependOnThreadsAndNamesPreferenceAndPriorColumns() throws Exception {
        Path one = dir.resolve("one.csv");
        Path two = dir.resolve("two.csv");
        String[] common = {
            "sweep",
            "--model",
            TMAZE.toString(),
            "--param",
            "C:reward:positive=2,6",
            "--param",
            "D:context:2=1,3",
            "--agents",
            "5",
            "--trials",
            "2"
        };
        CliRun a = CliRun.of(concat(common, "--threads", "1", "--out", one.toString()));
        CliRun b = CliRun.of(concat(common, "--threads", "2", "--out", two.toString()));
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        assertEquals(Files.readString(one), Files.readString(two));
        List<String> lines = Files.readAllLines(one);
        assertTrue(lines.get(0).startsWith("point,C.reward.positive,D.context.right-better,agent"), lines.get(0));
        assertEquals(1 + 4 * 5 * 2, lines.size());
        // a more strongly preferred reward changes what the agents do or feel
        String low = lines.get(1).substring(lines.get(1).indexOf(",active"));
        String high =
                lines.get(1 + 2 * 5 * 2).substring(lines.get(1 + 2 * 5 * 2).indexOf(",active"));
        assertTrue(!low.equals(high), low + " vs " + high);
    }

    @Test
    void badParametersAreUserErrorsNamingThem() throws Exception {
        CliRun unknown = CliRun.of(
                "sweep",
                "--model",
                TMAZE.toString(),
                "--param",
                "gamma=1,2",
                "--out",
                dir.resolve("x.csv").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("gamma"), unknown.err());
        CliRun badOutcome = CliRun.of(
                "sweep",
                "--model",
                TMAZE.toString(),
                "--param",
                "C:reward:jackpot=1",
                "--out",
                dir.resolve("x.csv").toString());
        assertEquals(2, badOutcome.code());
        assertTrue(badOutcome.err().contains("jackpot") && badOutcome.err().contains("positive"), badOutcome.err());
        CliRun badValue = CliRun.of(
                "sweep",
                "--model",
                TMAZE.toString(),
                "--param",
                "beta=-1",
                "--out",
                dir.resolve("x.csv").toString());
        assertEquals(2, badValue.code());
        assertTrue(badValue.err().contains("beta") && badValue.err().contains("-1"), badValue.err());
        CliRun badRange = CliRun.of(
                "sweep",
                "--model",
                TMAZE.toString(),
                "--param",
                "tau=1:x:3",
                "--out",
                dir.resolve("x.csv").toString());
        assertEquals(2, badRange.code());
        assertTrue(badRange.err().contains("LOW:HIGH:COUNT"), badRange.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
