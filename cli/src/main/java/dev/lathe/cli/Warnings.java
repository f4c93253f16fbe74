package dev.lathe.cli;

import dev.lathe.diag.Diagnostic;
import dev.lathe.diag.DiagnosticRenderer;
import java.io.PrintWriter;
import java.util.List;

final class Warnings {
    private Warnings() {}

    static void print(PrintWriter err, List<Diagnostic> warnings) {
        if (!warnings.isEmpty()) err.print(DiagnosticRenderer.fromFiles().renderAll(warnings));
    }
}
