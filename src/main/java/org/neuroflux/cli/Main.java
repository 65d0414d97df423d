package org.neuroflux.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code neuroflux} command line. Exit codes: 0 success, 2 user error (a one-paragraph
 * message, no stack trace), 1 internal error.
 */
@Command(
        name = "neuroflux",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Reactive streaming neural-signal emulator: SPM-exact active-inference and "
                    + "natural-gradient belief dynamics over discrete generative models.",
            ""
        },
        subcommands = {
            SimulateCommand.class,
            ValidateCommand.class,
            ExperimentCommand.class,
            SweepCommand.class,
            HealthcheckCommand.class,
            ExportCommand.class,
            FiguresCommand.class,
            ServeCommand.class,
            RecordCommand.class,
            LoadtestCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler(Main::handle);
        cmd.setParameterExceptionHandler(Main::handleParameters);
        return cmd;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A mistyped command line: one paragraph and a pointer to --help, not the whole usage text. */
    private static int handleParameters(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("neuroflux " + cmd.getCommandName() + ": " + e.getMessage());
        err.println("Try 'neuroflux " + (cmd.getParent() == null ? "" : cmd.getCommandName() + " ")
                + "--help' for the options.");
        err.flush();
        return UserErrors.EXIT_USER_ERROR;
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String userMessage = UserErrors.message(e);
        if (userMessage != null) {
            err.println("neuroflux " + cmd.getCommandName() + ": " + userMessage);
            err.flush();
            return UserErrors.EXIT_USER_ERROR;
        }
        err.println("neuroflux " + cmd.getCommandName() + ": internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"neuroflux " + (v == null ? "development" : v)};
        }
    }
}
