package dev.lathe.cli;

import dev.lathe.diag.DiagnosticException;
import dev.lathe.diag.DiagnosticRenderer;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * User errors print their diagnostics and exit 1; anything else is an internal error: it says so,
 * prints the trace for a bug report and exits 2.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (ex instanceof DiagnosticException d) {
            err.print(DiagnosticRenderer.fromFiles().renderAll(d.diagnostics()));
            long errors = d.diagnostics().stream().filter(x -> x.isError()).count();
            err.println(errors == 1 ? "1 error" : errors + " errors");
            return LatheCommand.USER_ERROR;
        }
        if (ex instanceof UserError u) {
            err.println("lathe: error: " + u.getMessage());
            return LatheCommand.USER_ERROR;
        }
        err.println("lathe: internal error: " + ex + " (this is a bug in lathe; please report it with the trace below)");
        ex.printStackTrace(err);
        return LatheCommand.INTERNAL_ERROR;
    }
}
