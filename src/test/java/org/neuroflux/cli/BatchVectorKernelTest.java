package org.neuroflux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroflux.dynamics.LaneMath;

/**
 * The batched solver's Vector API kernels (a JVM started with --add-modules jdk.incubator.vector)
 * against the plain kernels of this JVM, which equal the scalar solver bit for bit: the MATLAB-seeded
 * paper experiment (agents 1-16 in one batch of 16 lanes, two vectors wide, 24 trials, both schemes) gives the same states, actions, outcomes
 * and hits, and every number within 1e-12. Agent 1 is the agent MatlabSeededTmazeTest checks
 * against SPM, so the vector path reproduces it too.
 */
class BatchVectorKernelTest {
    @TempDir
    Path dir;

    @Test
    void vectorKernelsReproduceThePlainOnesWithin1e12() throws Exception {
        assertTrue(LaneMath.exact(), "this JVM runs the plain kernels: " + LaneMath.kernel());
        String[] args = {
            "experiment",
            "tmaze",
            "--rng",
            "matlab",
            "--seed",
            "0",
            "--agents",
            "16",
            "--trials",
            "24",
            "--threads",
            "1",
            "--schemes",
            "natural-gradient,active-inference",
            "--configuration",
            "paper"
        }; // the two batched schemes
        Path plainDir = dir.resolve("plain");
        Path vectorDir = dir.resolve("vector");
        CliRun plain = CliRun.of(concat(args, "--out", plainDir.toString()));
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().contains("plain loops"), plain.out());

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(concat(args, "--out", vectorDir.toString())));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("batched solver: Vector API"), output);

        List<String> a = Files.readAllLines(plainDir.resolve("experiment-tmaze.csv"));
        List<String> b = Files.readAllLines(vectorDir.resolve("experiment-tmaze.csv"));
        assertEquals(a.size(), b.size());
        assertEquals(1 + 16 * 24 * 2, a.size());
        assertEquals(a.get(0), b.get(0));
        String[] header = a.get(0).split(",");
        double worst = 0;
        for (int r = 1; r < a.size(); r++) {
            String[] x = a.get(r).split(",", -1);
            String[] y = b.get(r).split(",", -1);
            assertEquals(x.length, y.length);
            for (int c = 0; c < x.length; c++) {
                String at = "row " + r + " " + header[c];
                String[] xs = x[c].split(";");
                String[] ys = y[c].split(";");
                assertEquals(xs.length, ys.length, at);
                for (int i = 0; i < xs.length; i++) {
                    if (xs[i].matches("-?[0-9]+")) {
                        assertEquals(xs[i], ys[i], at); // states, actions, outcomes, hits, agents: identical
                    } else if (xs[i].matches("[-0-9.eE+]+|NaN")) {
                        double d = Math.abs(Double.parseDouble(xs[i]) - Double.parseDouble(ys[i]));
                        assertTrue(d <= 1e-12 || xs[i].equals(ys[i]), at + ": " + xs[i] + " vs " + ys[i]);
                        if (d == d) worst = Math.max(worst, d);
                    } else {
                        assertEquals(xs[i], ys[i], at);
                    }
                }
            }
        }
        System.out.println("vector vs plain kernels, largest difference: " + worst);
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
