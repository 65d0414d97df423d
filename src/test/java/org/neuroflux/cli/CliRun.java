package org.neuroflux.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the command line in-process with captured output, as the tests of commands need it. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Copies a reference case's mdp.json into dir, named after the case. */
    static Path referenceModel(Path dir, String caseName) throws Exception {
        Path file = dir.resolve(caseName + ".json");
        try (InputStream in = CliRun.class.getResourceAsStream("/reference/" + caseName + "/mdp.json")) {
            Files.copy(in, file);
        }
        return file;
    }
}
