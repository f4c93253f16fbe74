package dev.lathe.diag;

import java.util.List;

/**
 * Thrown when user input is wrong and compilation cannot go on. Carries every diagnostic gathered
 * so far; the CLI prints them and exits with status 1. Never used for internal faults.
 */
public final class DiagnosticException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public DiagnosticException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "error" : diagnostics.getFirst().span().location() + ": " + diagnostics.getFirst().message(), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public DiagnosticException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
