package org.neuroflux.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.neuroflux.library.ModelFiles;
import org.neuroflux.model.LoadedModel;
import org.neuroflux.model.ModelLimits;
import org.neuroflux.model.ModelProblem;
import org.neuroflux.model.ModelValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code neuroflux validate FILE...}: loads each model file and prints, for a valid one, a
 * one-line summary (warnings go to stderr), and for an invalid one every problem found, one per
 * line as {@code FILE: path: message}. Exit code 0 when every file is valid, 2 otherwise.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Checks model files (the native YAML/JSON format, or SPM MDP structs as jsonencode writes them).",
            "Prints a one-line summary per valid model, or every problem of an invalid one; exit code 2 if any file is invalid."
        })
public final class ValidateCommand implements Callable<Integer> {
    /** Exit code when at least one file is invalid or unreadable. */
    public static final int INVALID = 2;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "model files (.yaml, .yml or .json)")
    private List<Path> files;

    @Option(names = "--spm", description = "read every FILE as an SPM MDP struct, whatever its name or content")
    private boolean spm;

    @Mixin
    private ModelLimitOptions limits = new ModelLimitOptions();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allValid = true;
        boolean internal = false;
        ModelLimits modelLimits = limits.limits();
        for (Path file : files) {
            try {
                LoadedModel loaded = ModelFiles.load(file, spm, modelLimits);
                for (ModelProblem w : loaded.warnings()) err.println("warning: " + line(file, w));
                int trials = loaded.models().size();
                out.println(file + ": " + loaded.first().summary() + (trials > 1 ? "; " + trials + " trials" : ""));
            } catch (ModelValidationException e) {
                allValid = false;
                for (ModelProblem p : e.problems()) out.println(line(file, p));
            } catch (NoSuchFileException e) {
                allValid = false;
                out.println(file + ": no such model file");
            } catch (IOException e) {
                allValid = false;
                out.println(file + ": cannot be read: " + e.getMessage());
            } catch (RuntimeException e) { // a reader bug, not the file's fault: say so, and go on with the other files
                internal = true;
                out.println(file + ": internal error while reading (please report it): " + e);
                e.printStackTrace(err);
            }
        }
        out.flush();
        err.flush();
        return internal ? 1 : allValid ? 0 : INVALID;
    }

    /** "FILE: path: message", with the file as given on the command line. */
    private static String line(Path file, ModelProblem p) {
        return file + ": " + (p.path().isEmpty() ? "" : p.path() + ": ") + p.message();
    }
}
