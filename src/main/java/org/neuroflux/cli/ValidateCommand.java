package org.neuroflux.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the native-format branch lands its validate command. */
@Command(name = "validate", description = "Check model files.")
public final class ValidateCommand implements Callable<Integer> {
    @Override
    public Integer call() { return 0; }
}
