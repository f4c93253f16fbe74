package dev.lathe.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lathe} command. Exit status (DESIGN.md §7): 0 success, 1 user error (diagnostics
 * printed), 2 internal error.
 */
@Command(name = "lathe", mixinStandardHelpOptions = true, versionProvider = LatheVersion.class,
        description = "Compile, check and run .model neural-network graphs on the JVM.",
        subcommands = {CheckCommand.class, FmtCommand.class, IrCommand.class, RunCommand.class, CompileCommand.class, BenchCommand.class, ReportCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class})
public final class LatheCommand {
    public static final int OK = 0;
    public static final int USER_ERROR = 1;
    public static final int INTERNAL_ERROR = 2;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; used by tests to run the CLI in-process. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new LatheCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("lathe: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return USER_ERROR;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
